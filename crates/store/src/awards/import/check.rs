//! The checks that need no database, run on their own thread: each row is
//! read, validated and its CCCD hashed, then sent to the writer in chunks.

use std::collections::{BTreeSet, HashMap};

use tdkt_core::cccd::Cccd;
use tdkt_core::date::format_vn;
use tdkt_core::org::Unit;
use tdkt_core::person::Gender;
use tdkt_core::revocation::Ground;
use tdkt_core::text;
use time::Date;

use super::header::{normalise_header, Column, Header};
use crate::awards::{catalogue, check_award, decision_key, RecipientKind};

/// A row that passed the checks that need no database.
pub(super) struct Checked {
    pub(super) kind: RecipientKind,
    pub(super) cccd: Option<Cccd>,
    pub(super) unit: Option<i64>,
    pub(super) name: String,
    /// The name folded, compared with the stored one of a known CCCD
    /// (computed here, on the checking thread, like `dkey`).
    pub(super) name_key: String,
    pub(super) award: &'static str,
    pub(super) year: i32,
    pub(super) achieved_on: Option<Date>,
    pub(super) decision_no: String,
    pub(super) dkey: String,
    pub(super) decision_date: Date,
    pub(super) authority: String,
    pub(super) reason: String,
    /// Set for a row marked revoked: why, as far as the file says.
    pub(super) revocation: Option<ImportedRevocation>,
}

/// The revocation a file records for a row (its optional columns).
#[derive(Debug, Clone)]
pub(crate) struct ImportedRevocation {
    pub ground: Ground,
    pub decision_no: String,
    pub decision_date: Option<Date>,
    pub reason: String,
}

/// Rows validated and resolved together: one lookup of their people, one
/// insert of the new people, one or two of the records.
pub(super) const CHUNK: usize = 8192;

/// The checks that need no database, owned: they run on their own thread
/// (see [`check_rows`]).
pub(super) struct Checker {
    pub(super) header: Header,
    pub(super) units: HashMap<String, Unit>,
    pub(super) awards_by_name: HashMap<String, &'static str>,
    pub(super) today: Date,
    pub(super) scope: Option<BTreeSet<i64>>,
}

/// Is `unit` one the importer may write for?
pub(super) fn in_scope(scope: Option<&BTreeSet<i64>>, unit: i64) -> bool {
    scope.is_none_or(|s| s.contains(&unit))
}

fn cell_date(s: &str) -> std::result::Result<Date, String> {
    // XLSX date cells arrive as `2019-12-20` or `2019-12-20T00:00:00`.
    let s = s.split(['T', ' ']).next().unwrap_or(s);
    tdkt_core::date::parse(s)
}

impl Checker {
    fn err(&self, c: Column, m: impl Into<String>) -> (String, String) {
        (self.header.name(c), m.into())
    }

    fn check(&self, row: &[String]) -> std::result::Result<Checked, (String, String)> {
        let h = &self.header;
        let kind = match normalise_header(h.get(row, Column::RecipientType)).as_str() {
            "person" | "ca nhan" | "individual" | "nguoi" => RecipientKind::Person,
            "unit" | "tap the" | "collective" | "don vi" => RecipientKind::Unit,
            "household" | "ho gia dinh" => {
                return Err(self.err(
                    Column::RecipientType,
                    "khen thưởng hộ gia đình chưa được hỗ trợ khi nhập tệp.",
                ))
            }
            "" => {
                return Err(self.err(
                    Column::RecipientType,
                    "trống (phải là cá nhân hoặc tập thể).",
                ))
            }
            other => {
                return Err(self.err(
                    Column::RecipientType,
                    format!("«{other}» không phải cá nhân/tập thể (person/unit)."),
                ))
            }
        };
        let name = h
            .get(row, Column::RecipientName)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            return Err(self.err(Column::RecipientName, "trống."));
        }
        let raw_award = h.get(row, Column::Award);
        let award = if let Some(a) = catalogue().get(raw_award) {
            a.code.as_str()
        } else if let Some(code) = self.awards_by_name.get(&text::slug(raw_award)) {
            code
        } else if raw_award.is_empty() {
            return Err(self.err(Column::Award, "trống."));
        } else {
            return Err(self.err(
                Column::Award,
                format!("mã danh hiệu/hình thức «{raw_award}» không có trong danh mục."),
            ));
        };
        let raw_year = h.get(row, Column::Year);
        let year: i32 = raw_year
            .split('.')
            .next()
            .unwrap_or_default()
            .parse()
            .ok()
            .filter(|y| (1900..=9999).contains(y))
            .ok_or_else(|| {
                self.err(
                    Column::Year,
                    format!("«{raw_year}» không phải năm (4 chữ số)."),
                )
            })?;
        let decision_no = h
            .get(row, Column::DecisionNo)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if decision_no.is_empty() {
            return Err(self.err(Column::DecisionNo, "trống."));
        }
        let decision_date = cell_date(h.get(row, Column::DecisionDate))
            .map_err(|m| self.err(Column::DecisionDate, m))?;
        let achieved_on = match h.get(row, Column::AchievedOn) {
            "" => None,
            s => Some(cell_date(s).map_err(|m| self.err(Column::AchievedOn, m))?),
        };
        let revoked = match normalise_header(h.get(row, Column::Status)).as_str() {
            "" | "valid" | "hieu luc" | "con hieu luc" => false,
            "revoked" | "huy" | "da huy" | "huy bo" | "da huy bo" | "thu hoi" | "da thu hoi" => {
                true
            }
            other => {
                return Err(self.err(
                    Column::Status,
                    format!(
                        "«{other}» không phải trạng thái (còn hiệu lực/đã hủy, valid/revoked)."
                    ),
                ))
            }
        };
        let revocation = self.revocation(row, revoked, decision_date)?;
        check_award(award, kind, year, decision_date, self.today).map_err(|(c, m)| {
            let col = match c {
                "year" => Column::Year,
                "decision_date" => Column::DecisionDate,
                _ => Column::Award,
            };
            self.err(col, m)
        })?;
        let unit = match h.get(row, Column::UnitCode) {
            "" => None,
            code => {
                let u = self.units.get(code).ok_or_else(|| {
                    self.err(Column::UnitCode, format!("không có đơn vị mã «{code}»."))
                })?;
                if !u.valid_in_year(year) {
                    return Err(self.err(
                        Column::UnitCode,
                        format!(
                            "đơn vị «{}» không hoạt động trong năm {year} (hoạt động {}–{}); hãy ghi đơn vị của năm đó.",
                            u.name,
                            format_vn(u.valid_from),
                            u.valid_to.map_or_else(|| "nay".to_owned(), format_vn)
                        ),
                    ));
                }
                if !in_scope(self.scope.as_ref(), u.id) {
                    return Err(self.err(
                        Column::UnitCode,
                        format!(
                            "đơn vị «{}» ({code}) ngoài phạm vi tài khoản của bạn; không được nhập khen thưởng cho đơn vị này.",
                            u.name
                        ),
                    ));
                }
                Some(u.id)
            }
        };
        let cccd = match kind {
            RecipientKind::Person => {
                let raw = h.get(row, Column::Cccd);
                if raw.is_empty() {
                    return Err(self.err(Column::Cccd, "trống: cá nhân phải có số CCCD."));
                }
                let c = Cccd::parse(raw).map_err(|e| self.err(Column::Cccd, e.message()))?;
                let (_, birth_year) = from_cccd(&c).ok_or_else(|| {
                    self.err(Column::Cccd, "chữ số thế kỷ/giới tính không hợp lệ.")
                })?;
                if birth_year > self.today.year() {
                    return Err(self.err(
                        Column::Cccd,
                        format!("năm sinh {birth_year} theo số CCCD ở tương lai."),
                    ));
                }
                if birth_year >= year {
                    return Err(self.err(
                        Column::Year,
                        format!(
                            "năm thành tích {year} không sau năm sinh {birth_year} (theo số CCCD)."
                        ),
                    ));
                }
                // the award's conditions on its recipient (catalogue data),
                // from what the CCCD encodes
                let (gender, _) = from_cccd(&c).unwrap_or((Gender::Male, birth_year));
                if let Some(a) = catalogue().get(award) {
                    a.check_recipient(Some(gender), Some(birth_year), decision_date)
                        .map_err(|(_, m)| self.err(Column::Cccd, format!("theo số CCCD, {m}")))?;
                }
                Some(c)
            }
            RecipientKind::Unit => {
                if unit.is_none() {
                    return Err(self.err(Column::UnitCode, "trống: tập thể phải có mã đơn vị."));
                }
                None
            }
        };
        let name_key = if cccd.is_some() {
            text::fold(&name)
        } else {
            String::new()
        };
        Ok(Checked {
            kind,
            cccd,
            unit,
            name,
            name_key,
            award,
            year,
            achieved_on,
            dkey: decision_key(&decision_no),
            decision_no,
            decision_date,
            authority: h.get(row, Column::Authority).to_owned(),
            reason: h.get(row, Column::Reason).to_owned(),
            revocation,
        })
    }

    /// The revocation columns of a row: read when the row is revoked,
    /// refused when they are filled on a valid one.
    fn revocation(
        &self,
        row: &[String],
        revoked: bool,
        awarded_on: Date,
    ) -> std::result::Result<Option<ImportedRevocation>, (String, String)> {
        let h = &self.header;
        let ground = h.get(row, Column::RevocationGround);
        let no = h
            .get(row, Column::RevocationDecisionNo)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let date = h.get(row, Column::RevocationDecisionDate);
        let reason = h.get(row, Column::RevocationReason);
        if !revoked {
            if let Some((c, _)) = [
                (Column::RevocationGround, ground),
                (Column::RevocationDecisionNo, no.as_str()),
                (Column::RevocationDecisionDate, date),
                (Column::RevocationReason, reason),
            ]
            .into_iter()
            .find(|(_, v)| !v.is_empty())
            {
                return Err(self.err(
                    c,
                    "có thông tin hủy bỏ nhưng cột trạng thái không ghi đã hủy bỏ.",
                ));
            }
            return Ok(None);
        }
        let ground = if ground.is_empty() {
            Ground::KhongGhi
        } else {
            Ground::parse(ground).map_err(|e| self.err(Column::RevocationGround, e.message()))?
        };
        let decision_date = match date {
            "" => None,
            s => {
                let d = cell_date(s).map_err(|m| self.err(Column::RevocationDecisionDate, m))?;
                if d < awarded_on {
                    return Err(self.err(
                        Column::RevocationDecisionDate,
                        format!(
                            "ngày quyết định hủy bỏ {} trước ngày quyết định khen thưởng {}.",
                            format_vn(d),
                            format_vn(awarded_on)
                        ),
                    ));
                }
                if d > self.today {
                    return Err(self.err(
                        Column::RevocationDecisionDate,
                        format!("ngày quyết định hủy bỏ {} ở tương lai.", format_vn(d)),
                    ));
                }
                Some(d)
            }
        };
        Ok(Some(ImportedRevocation {
            ground,
            decision_no: no,
            decision_date,
            reason: reason.to_owned(),
        }))
    }
}

/// Gender and birth year encoded in a CCCD (Điều 7 Thông tư 07/2016/TT-BCA).
#[must_use]
pub fn from_cccd(c: &Cccd) -> Option<(Gender, i32)> {
    let s = c.expose().as_bytes();
    let d = i32::from(s[3].checked_sub(b'0')?);
    let yy = i32::from(s[4].checked_sub(b'0')?) * 10 + i32::from(s[5].checked_sub(b'0')?);
    let gender = if d % 2 == 1 {
        Gender::Female
    } else {
        Gender::Male
    };
    Some((gender, 1900 + 100 * (d / 2) + yy))
}

/// A chunk of rows read and checked, sent by the checking thread.
pub(super) struct Batch {
    pub(super) staged: Vec<Staged>,
    /// Rows in the chunk, blank rows of the file left out.
    pub(super) rows: u64,
    /// The file's last chunk.
    pub(super) last: bool,
}

/// Chunks in flight between the checking thread and the writer: enough for
/// neither to wait on the other's jitter, few enough to bound memory.
pub(super) const IN_FLIGHT: usize = 4;

/// Reads and checks the rows on the calling (a dedicated) thread and sends
/// them in chunks: parsing and validation on one core while the database
/// writes on the other. Stops early when the writer hangs up (it failed).
pub(super) fn check_rows<I>(
    checker: &Checker,
    secrets: &crate::Secrets,
    rows: I,
    tx: &tokio::sync::mpsc::Sender<Batch>,
) where
    I: Iterator<Item = crate::awards::file::RowResult>,
{
    let mut staged = Vec::with_capacity(CHUNK);
    let mut n: u64 = 0;
    // a person's rows usually follow one another: their CCCD is hashed once
    let mut last: Option<(Cccd, String)> = None;
    // the header is row 1
    for (row_no, row) in (2_u64..).zip(rows) {
        let fields = match row {
            Ok(r) => r,
            Err(e) => {
                n += 1;
                staged.push(Staged {
                    row_no,
                    fields: e.fields,
                    checked: Err((e.column, e.message)),
                    hash: None,
                });
                continue;
            }
        };
        if fields.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        n += 1;
        let checked = checker.check(&fields);
        let hash = match &checked {
            Ok(Checked { cccd: Some(c), .. }) => Some(match &last {
                Some((l, h)) if l == c => h.clone(),
                _ => {
                    let h = secrets.cccd_index(c.expose());
                    last = Some((c.clone(), h.clone()));
                    h
                }
            }),
            _ => None,
        };
        staged.push(Staged {
            row_no,
            fields,
            checked,
            hash,
        });
        if staged.len() == CHUNK {
            let batch = Batch {
                staged: std::mem::replace(&mut staged, Vec::with_capacity(CHUNK)),
                rows: std::mem::take(&mut n),
                last: false,
            };
            if tx.blocking_send(batch).is_err() {
                return;
            }
        }
    }
    let _ = tx.blocking_send(Batch {
        staged,
        rows: n,
        last: true,
    });
}

/// One row read from the file, checked, waiting for its recipient.
pub(super) struct Staged {
    pub(super) row_no: u64,
    pub(super) fields: Vec<String>,
    pub(super) checked: std::result::Result<Checked, (String, String)>,
    /// Keyed hash of the CCCD of a person row.
    pub(super) hash: Option<String>,
}
