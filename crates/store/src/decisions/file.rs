//! The annexed list of a decision from a file (CSV or XLSX, the reader of
//! the award import) or the web form's pasted rows: one row per recipient,
//! columns named in Vietnamese or English, every bad row reported with its
//! row number, column and reason, as the award import does. Nothing is
//! drafted while one row is refused.
//!
//! | column (canonical) | Vietnamese headers accepted | |
//! |---|---|---|
//! | `recipient_type` | Loại đối tượng, Đối tượng | cá nhân, tập thể, hộ gia đình |
//! | `cccd` | Số CCCD | an individual, or a household's head |
//! | `unit_code` | Mã đơn vị | a collective (required); a person's unit (checked) |
//! | `recipient_name` | Họ tên, Tên | checked against the person; a household's name |
//! | `award` | Danh hiệu, Hình thức khen thưởng | catalogue code |
//! | `year` | Năm, Năm thành tích | |
//! | `reason` | Thành tích, Nội dung | optional |
//! | `dossier_id` | Mã hồ sơ | optional |

use tdkt_core::catalogue::Recipient;
use tdkt_core::decision::parse_recipient;
use tdkt_core::text;

use super::NewRecipient;
use crate::awards::file::RowResult;
use crate::awards::import::normalise_header;
use crate::{Result, Store};
use tdkt_core::import::RowError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Kind,
    Cccd,
    Unit,
    Name,
    Award,
    Year,
    Reason,
    Dossier,
}

const COLS: [(Col, &str, &[&str]); 8] = [
    (
        Col::Kind,
        "recipient_type",
        &["loai doi tuong", "doi tuong", "loai"],
    ),
    (
        Col::Cccd,
        "cccd",
        &["so cccd", "can cuoc", "so can cuoc", "cccd chu ho"],
    ),
    (Col::Unit, "unit_code", &["ma don vi", "don vi"]),
    (
        Col::Name,
        "recipient_name",
        &["ho ten", "ho va ten", "ten", "ten doi tuong", "ten ho"],
    ),
    (
        Col::Award,
        "award",
        &[
            "danh hieu",
            "hinh thuc",
            "hinh thuc khen thuong",
            "ma danh hieu",
        ],
    ),
    (Col::Year, "year", &["nam", "nam thanh tich"]),
    (Col::Reason, "reason", &["thanh tich", "noi dung", "ly do"]),
    (Col::Dossier, "dossier_id", &["ma ho so", "ho so"]),
];

/// The Vietnamese header a blank file or form starts from.
pub const TEMPLATE_HEADER: &str =
    "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích,Thành tích";

/// The recipients read from a file, with the name of each (for messages).
#[derive(Debug, Clone, Default)]
pub struct Recipients {
    pub lines: Vec<NewRecipient>,
    pub names: Vec<String>,
}

fn header_index(header: &[String]) -> std::result::Result<[Option<usize>; 8], String> {
    let mut index = [None; 8];
    for (i, h) in header.iter().enumerate() {
        let h = normalise_header(h);
        if let Some(k) = COLS.iter().position(|(_, code, aliases)| {
            normalise_header(code) == h || aliases.contains(&h.as_str())
        }) {
            index[k].get_or_insert(i);
        }
    }
    let missing: Vec<&str> = [Col::Kind, Col::Award, Col::Year]
        .iter()
        .filter(|c| index[**c as usize].is_none())
        .map(|c| COLS[*c as usize].1)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "Tệp thiếu cột bắt buộc: {} (dòng tiêu đề có: {}). Mẫu: {TEMPLATE_HEADER}",
            missing.join(", "),
            header.join(", ")
        ));
    }
    if index[Col::Cccd as usize].is_none() && index[Col::Unit as usize].is_none() {
        return Err(
            "Tệp phải có cột Số CCCD (cá nhân, hộ gia đình) hoặc Mã đơn vị (tập thể).".to_owned(),
        );
    }
    Ok(index)
}

impl Store {
    /// Reads the recipients of a decision from `rows` under `header`.
    ///
    /// # Errors
    /// `Ok(Err(rows))`: every refused row (row 1 is the header); `Err`: a
    /// missing column (as a row-1 error too) never reaches here — it is
    /// `Ok(Err)` with one error — so only database failures are `Err`.
    pub async fn read_recipients(
        &self,
        header: &[String],
        rows: impl Iterator<Item = RowResult>,
    ) -> Result<std::result::Result<Recipients, Vec<RowError>>> {
        let index = match header_index(header) {
            Ok(i) => i,
            Err(m) => {
                return Ok(Err(vec![RowError {
                    row: 1,
                    column: String::new(),
                    message: m,
                    fields: header.to_vec(),
                }]))
            }
        };
        let name_of = |c: Col| {
            index[c as usize].and_then(|i| header.get(i)).map_or_else(
                || COLS[c as usize].1.to_owned(),
                |h| h.trim_start_matches('\u{feff}').trim().to_owned(),
            )
        };
        let mut out = Recipients::default();
        let mut errors = Vec::new();
        for (n, row) in rows.enumerate() {
            let row_no = n as u64 + 2;
            let fields = match row {
                Ok(f) => f,
                // the reader names the row and column itself (not UTF-8,
                // a cell over the limit)
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            if fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let get = |c: Col| {
                index[c as usize]
                    .and_then(|i| fields.get(i))
                    .map_or("", |s| s.trim())
            };
            let mut fail = |c: Col, m: String| {
                errors.push(RowError {
                    row: row_no,
                    column: name_of(c),
                    message: m,
                    fields: fields.clone(),
                });
            };
            let kind = match parse_recipient(get(Col::Kind)) {
                Ok(k) => k,
                Err(e) => {
                    fail(Col::Kind, e.message().to_owned());
                    continue;
                }
            };
            let award = get(Col::Award).to_owned();
            if award.is_empty() {
                fail(
                    Col::Award,
                    "thiếu mã danh hiệu, hình thức khen thưởng.".to_owned(),
                );
                continue;
            }
            let Ok(year) = get(Col::Year).parse::<i32>() else {
                fail(
                    Col::Year,
                    format!("năm thành tích «{}» không phải số năm.", get(Col::Year)),
                );
                continue;
            };
            let dossier_id = match get(Col::Dossier) {
                "" => None,
                s => match s.parse::<i64>() {
                    Ok(d) if d > 0 => Some(d),
                    _ => {
                        fail(
                            Col::Dossier,
                            format!("mã hồ sơ «{s}» phải là số nguyên dương."),
                        );
                        continue;
                    }
                },
            };
            let name = get(Col::Name).to_owned();
            let unit_code = get(Col::Unit);
            let unit = if unit_code.is_empty() {
                None
            } else {
                match self.unit_by_code(unit_code).await {
                    Ok(u) => Some(u),
                    Err(crate::StoreError::NotFound(_)) => {
                        fail(Col::Unit, format!("không có đơn vị mã «{unit_code}»."));
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            };
            let (person_id, unit_id, shown) = if kind == Recipient::Collective {
                let Some(u) = unit else {
                    fail(Col::Unit, "tập thể phải ghi mã đơn vị.".to_owned());
                    continue;
                };
                (None, u.id, u.name)
            } else {
                let cccd = get(Col::Cccd);
                if cccd.is_empty() {
                    fail(
                        Col::Cccd,
                        format!(
                            "{} phải ghi số CCCD{}.",
                            kind.label(),
                            if kind == Recipient::Household {
                                " của chủ hộ"
                            } else {
                                ""
                            }
                        ),
                    );
                    continue;
                }
                let Some(p) = self.person_by_cccd(cccd).await? else {
                    fail(
                        Col::Cccd,
                        "không có người nào mang số CCCD này trong hệ thống.".to_owned(),
                    );
                    continue;
                };
                if kind == Recipient::Individual
                    && !name.is_empty()
                    && text::fold(&name) != text::fold(&p.full_name)
                {
                    fail(
                        Col::Name,
                        format!(
                            "họ tên «{name}» không khớp với người mang số CCCD này («{}»).",
                            p.full_name
                        ),
                    );
                    continue;
                }
                if let Some(u) = &unit {
                    if u.id != p.unit_id {
                        fail(
                            Col::Unit,
                            format!(
                                "{} thuộc «{}», không thuộc đơn vị mã «{unit_code}».",
                                p.full_name, p.unit_name
                            ),
                        );
                        continue;
                    }
                }
                let shown = if kind == Recipient::Household && !name.is_empty() {
                    name.clone()
                } else {
                    p.full_name.clone()
                };
                (Some(p.id), p.unit_id, shown)
            };
            out.lines.push(NewRecipient {
                kind,
                person_id,
                unit_id,
                household: if kind == Recipient::Household {
                    if name.is_empty() {
                        format!("Hộ gia đình {shown}")
                    } else {
                        name.clone()
                    }
                } else {
                    String::new()
                },
                award_code: award,
                year,
                reason: get(Col::Reason).to_owned(),
                dossier_id,
            });
            out.names.push(shown);
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        if out.lines.is_empty() {
            return Ok(Err(vec![RowError {
                row: 1,
                column: String::new(),
                message: "Danh sách không có dòng nào.".to_owned(),
                fields: Vec::new(),
            }]));
        }
        Ok(Ok(out))
    }
}
