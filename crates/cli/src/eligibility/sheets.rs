//! The workbook of `tdkt eligibility scan --out FILE.xlsx`, written while
//! the scan runs.
//!
//! One worksheet per award (in catalogue order), named by its code; under
//! the header the people *đủ điều kiện* by person id, then those *còn một
//! năm nữa* by person id; a list longer than a sheet holds continues on
//! `code (2)`, `code (3)`… The scan yields people in ascending id order
//! ([`tdkt_store::Store::scan_histories`]), so an eligible person's row goes
//! straight to its sheet, which rust_xlsxwriter's constant-memory mode
//! writes row by row to a temporary file; a "one year away" row must wait
//! for every eligible row of its award and is spilled to a temporary file
//! of its own (id, unit, name, masked CCCD), read back in order at the end.
//! Nothing is held in memory but the row at hand: at 1 M people a year's
//! list is over 2 M rows.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use tdkt_core::catalogue::{AwardId, Catalogue};
use tdkt_store::ratings::scan::ScanPerson;

/// Rows a worksheet holds under its header (Excel's limit is 1 048 576).
pub const SHEET_ROWS: u32 = 1_048_575;

const HEAD: [&str; 7] = [
    "Danh hiệu/hình thức",
    "Mã",
    "Họ và tên",
    "CCCD",
    "Đơn vị",
    "Kết quả",
    "Mã người",
];
const WIDTHS: [f64; 7] = [34.0, 24.0, 28.0, 16.0, 48.0, 18.0, 12.0];

/// One line of the list, as the scan hands it to the writer's thread.
pub struct Hit {
    pub award: AwardId,
    pub eligible: bool,
    pub person_id: i64,
    pub unit_id: i64,
    pub name: String,
    pub cccd: String,
}

impl Hit {
    #[must_use]
    pub fn new(award: AwardId, p: &ScanPerson, eligible: bool) -> Self {
        Self {
            award,
            eligible,
            person_id: p.id,
            unit_id: p.unit_id,
            name: p.full_name.clone(),
            cccd: p.cccd_masked.clone(),
        }
    }
}

/// One line of the list.
struct Row<'a> {
    person_id: i64,
    unit_id: i64,
    name: &'a str,
    cccd: &'a str,
    eligible: bool,
}

/// The sheets of one award.
#[derive(Default)]
struct List {
    /// Its sheets so far; rows go to the last one.
    sheets: Vec<Worksheet>,
    /// Rows under the header of the last sheet.
    rows: u32,
    /// The "one year away" rows, in id order, until the eligible are all in.
    near: Option<BufWriter<File>>,
    near_rows: u64,
}

/// The workbook being written.
pub struct ScanBook<'c> {
    path: PathBuf,
    dir: PathBuf,
    year: i32,
    rows_per_sheet: u32,
    cat: &'c Catalogue,
    /// Unit names by id.
    units: HashMap<i64, String>,
    wb: Workbook,
    bold: Format,
    lists: BTreeMap<AwardId, List>,
    written: u64,
}

impl<'c> ScanBook<'c> {
    /// A workbook for `path`; its temporary files go beside it (not to a
    /// `/tmp` that may be memory). `rows_per_sheet` is [`SHEET_ROWS`] but
    /// in tests.
    ///
    /// # Errors
    /// The directory is not writable.
    pub fn new(
        path: &Path,
        year: i32,
        cat: &'c Catalogue,
        units: HashMap<i64, String>,
        rows_per_sheet: u32,
    ) -> Result<Self> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut wb = Workbook::new();
        wb.set_tempdir(&dir)
            .with_context(|| format!("không ghi được vào thư mục {}", dir.display()))?;
        // The worksheets are deflated at save, on one thread, after the scan:
        // about 0,9 GB of XML at 1 M people. Level 1 took a quarter of the
        // time of the default 6 on a 45 MB sheet of this list; the file is
        // larger (12,2 MB instead of 7,8 MB at 100 000 people), see
        // docs/benchmarks.md.
        wb.set_zip_compression_level(1);
        Ok(Self {
            path: path.to_path_buf(),
            dir,
            year,
            rows_per_sheet: rows_per_sheet.max(1),
            cat,
            units,
            wb,
            bold: Format::new().set_bold(),
            lists: BTreeMap::new(),
            written: 0,
        })
    }

    /// Lists a person for an award: eligible, or one year away.
    ///
    /// # Errors
    /// A temporary file could not be written.
    pub fn push(&mut self, h: &Hit) -> Result<()> {
        let (award, eligible) = (h.award, h.eligible);
        let row = Row {
            person_id: h.person_id,
            unit_id: h.unit_id,
            name: &h.name,
            cccd: &h.cccd,
            eligible,
        };
        if eligible {
            return self.write(award, &row);
        }
        let list = self.lists.entry(award).or_default();
        let near = match &mut list.near {
            Some(f) => f,
            None => list.near.insert(BufWriter::with_capacity(
                1 << 16,
                tempfile::tempfile_in(&self.dir).with_context(|| {
                    format!("không tạo được tệp tạm trong {}", self.dir.display())
                })?,
            )),
        };
        spill(near, &row)?;
        list.near_rows += 1;
        Ok(())
    }

    /// Writes `row` under the last row of the award's sheets.
    fn write(&mut self, award: AwardId, row: &Row<'_>) -> Result<()> {
        let cat: &'c Catalogue = self.cat;
        let a = cat.award(award);
        let list = self.lists.entry(award).or_default();
        if list.sheets.is_empty() || list.rows >= self.rows_per_sheet {
            let mut ws = self.wb.new_worksheet_with_constant_memory()?;
            let code: String = a.code.chars().take(26).collect();
            let part = list.sheets.len();
            ws.set_name(if part == 0 {
                code
            } else {
                format!("{code} ({})", part + 1)
            })?;
            for (c, (h, w)) in HEAD.iter().zip(WIDTHS).enumerate() {
                let c = u16::try_from(c)?;
                ws.write_string_with_format(0, c, *h, &self.bold)?;
                ws.set_column_width(c, w)?;
            }
            ws.set_freeze_panes(1, 0)?;
            list.sheets.push(ws);
            list.rows = 0;
        }
        list.rows += 1;
        let r = list.rows;
        let Some(ws) = list.sheets.last_mut() else {
            unreachable!("a sheet was added above")
        };
        let unit = self.units.get(&row.unit_id).map_or("", String::as_str);
        ws.write_string(r, 0, &a.name)?;
        ws.write_string(r, 1, &a.code)?;
        ws.write_string(r, 2, row.name)?;
        ws.write_string(r, 3, row.cccd)?;
        ws.write_string(r, 4, unit)?;
        ws.write_string(
            r,
            5,
            if row.eligible {
                "đủ điều kiện"
            } else {
                "còn một năm nữa"
            },
        )?;
        #[expect(clippy::cast_precision_loss, reason = "a person id, far below 2^52")]
        ws.write_number(r, 6, row.person_id as f64)?;
        self.written += 1;
        Ok(())
    }

    /// Appends each award's "one year away" rows, saves the workbook and
    /// returns the number of rows listed.
    ///
    /// # Errors
    /// A temporary file could not be read, the workbook not written.
    pub fn finish(mut self) -> Result<u64> {
        let awards: Vec<AwardId> = self.lists.keys().copied().collect();
        for award in awards {
            let Some(near) = self.lists.get_mut(&award).and_then(|l| l.near.take()) else {
                continue;
            };
            let n = self.lists[&award].near_rows;
            let mut file = near
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            file.rewind()?;
            let mut r = BufReader::with_capacity(1 << 16, file);
            let (mut name, mut cccd) = (String::new(), String::new());
            for _ in 0..n {
                let (person_id, unit_id) = unspill(&mut r, &mut name, &mut cccd)?;
                let row = Row {
                    person_id,
                    unit_id,
                    name: &name,
                    cccd: &cccd,
                    eligible: false,
                };
                self.write(award, &row)?;
            }
        }
        if self.lists.is_empty() {
            self.wb
                .add_worksheet()
                .set_name(format!("Năm {}", self.year))?;
        }
        for list in std::mem::take(&mut self.lists).into_values() {
            for ws in list.sheets {
                self.wb.push_worksheet(ws);
            }
        }
        self.wb
            .save(&self.path)
            .with_context(|| format!("không ghi được {}", self.path.display()))?;
        Ok(self.written)
    }
}

/// A "one year away" row to its temporary file: id, unit id, then the name
/// and the masked CCCD, each after its length.
fn spill(w: &mut impl Write, row: &Row<'_>) -> Result<()> {
    w.write_all(&row.person_id.to_le_bytes())?;
    w.write_all(&row.unit_id.to_le_bytes())?;
    for s in [row.name, row.cccd] {
        w.write_all(&u32::try_from(s.len())?.to_le_bytes())?;
        w.write_all(s.as_bytes())?;
    }
    Ok(())
}

/// The next spilled row: (person id, unit id), its name and CCCD in the
/// buffers given.
fn unspill(r: &mut impl Read, name: &mut String, cccd: &mut String) -> Result<(i64, i64)> {
    let mut b8 = [0u8; 8];
    r.read_exact(&mut b8)?;
    let id = i64::from_le_bytes(b8);
    r.read_exact(&mut b8)?;
    let unit = i64::from_le_bytes(b8);
    for s in [name, cccd] {
        let mut b4 = [0u8; 4];
        r.read_exact(&mut b4)?;
        let mut bytes = std::mem::take(s).into_bytes();
        bytes.clear();
        bytes.resize(usize::try_from(u32::from_le_bytes(b4))?, 0);
        r.read_exact(&mut bytes)?;
        *s = String::from_utf8(bytes)?;
    }
    Ok((id, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spilled_row_reads_back_as_written() {
        let mut buf = Vec::new();
        for (id, name) in [(7, "Trần Thị Hà"), (9_000_000_001, "")] {
            let row = Row {
                person_id: id,
                unit_id: 42,
                name,
                cccd: "0931******06",
                eligible: false,
            };
            spill(&mut buf, &row).unwrap();
        }
        let mut r = buf.as_slice();
        let (mut name, mut cccd) = (String::new(), String::new());
        assert_eq!(unspill(&mut r, &mut name, &mut cccd).unwrap(), (7, 42));
        assert_eq!(
            (name.as_str(), cccd.as_str()),
            ("Trần Thị Hà", "0931******06")
        );
        assert_eq!(
            unspill(&mut r, &mut name, &mut cccd).unwrap(),
            (9_000_000_001, 42)
        );
        assert_eq!(name, "");
        assert!(
            unspill(&mut r, &mut name, &mut cccd).is_err(),
            "nothing more"
        );
    }
}
