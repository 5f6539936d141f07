//! Bulk import of award history from the offices' spreadsheets
//! (`tdkt import awards FILE.{csv,xlsx}`). The caller reads the file (CSV or
//! XLSX) into rows of strings; everything else is here: header matching in
//! Vietnamese or English, row validation in Rust, people matched by the keyed
//! hash of their CCCD (created when unknown), and inserts in one transaction,
//! batched into multi-row statements with `on conflict do nothing` so that a
//! re-import changes nothing. One audit event per import, with the counts.
//!
//! People created by an import know only what the CCCD says: gender and
//! birth year. Their birth date is 1 January of that year with
//! `people.birth_date_estimated` set (migration 0004).
//!
//! A file marks a revoked decision with an optional `status`/`trạng thái`
//! column (`revoked`, `đã hủy`, `thu hồi`…); a row that re-imports a revoked
//! record as valid is refused. Four optional columns keep why (issue 14,
//! docs/certificates.md): `revocation_ground` (a code or label of
//! `tdkt_core::revocation::Ground`), `revocation_decision_no`,
//! `revocation_decision_date`, `revocation_reason`; a file without them
//! imports as before, its revocations recorded with ground `khong-ghi`.
//!
//! An award's own conditions on its recipient (catalogue
//! `recipient_gender`, `recipient_min_age`: "Bà mẹ Việt Nam anh hùng") are
//! checked against the gender and birth year the CCCD encodes.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;
use tdkt_core::cccd::Cccd;
use tdkt_core::date::{format_vn, today_vn};
use tdkt_core::org::Unit;
use tdkt_core::person::Gender;
use tdkt_core::revocation::Ground;
use tdkt_core::text;
use time::{Date, Month};

use super::bulk::{Bulk, NewPerson, Pending};
use super::{catalogue, check_award, decision_key, dedupe_key, RecipientKind};
use crate::audit::{audit, json};
use crate::{with_pool, Backend, Pool, Result, Store, StoreError};

/// The columns of an award file, by their canonical (English) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    RecipientType,
    Cccd,
    UnitCode,
    RecipientName,
    Award,
    Year,
    DecisionNo,
    DecisionDate,
    Authority,
    Status,
    Reason,
    AchievedOn,
    RevocationGround,
    RevocationDecisionNo,
    RevocationDecisionDate,
    RevocationReason,
}

impl Column {
    const ALL: [Self; 16] = [
        Self::RecipientType,
        Self::Cccd,
        Self::UnitCode,
        Self::RecipientName,
        Self::Award,
        Self::Year,
        Self::DecisionNo,
        Self::DecisionDate,
        Self::Authority,
        Self::Status,
        Self::Reason,
        Self::AchievedOn,
        Self::RevocationGround,
        Self::RevocationDecisionNo,
        Self::RevocationDecisionDate,
        Self::RevocationReason,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::RecipientType => "recipient_type",
            Self::Cccd => "cccd",
            Self::UnitCode => "unit_code",
            Self::RecipientName => "recipient_name",
            Self::Award => "award",
            Self::Year => "year",
            Self::DecisionNo => "decision_no",
            Self::DecisionDate => "decision_date",
            Self::Authority => "authority",
            Self::Status => "status",
            Self::Reason => "reason",
            Self::AchievedOn => "achieved_on",
            Self::RevocationGround => "revocation_ground",
            Self::RevocationDecisionNo => "revocation_decision_no",
            Self::RevocationDecisionDate => "revocation_decision_date",
            Self::RevocationReason => "revocation_reason",
        }
    }

    /// Header spellings accepted, folded (see [`normalise_header`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::RecipientType => &["loai doi tuong", "doi tuong", "loai"],
            Self::Cccd => &["so cccd", "can cuoc", "so can cuoc", "so can cuoc cong dan"],
            Self::UnitCode => &["ma don vi", "don vi"],
            Self::RecipientName => &["ho ten", "ho va ten", "ten", "ten doi tuong"],
            Self::Award => &[
                "danh hieu",
                "hinh thuc",
                "danh hieu hinh thuc",
                "hinh thuc khen thuong",
                "ma danh hieu",
            ],
            Self::Year => &["nam", "nam thanh tich"],
            Self::DecisionNo => &["so quyet dinh", "so qd"],
            Self::DecisionDate => &["ngay quyet dinh", "ngay qd", "ngay ky"],
            Self::Authority => &["co quan", "cap quyet dinh", "co quan quyet dinh"],
            Self::Status => &["trang thai"],
            Self::Reason => &["ly do", "thanh tich", "noi dung"],
            Self::AchievedOn => &["ngay lap thanh tich", "ngay thanh tich"],
            Self::RevocationGround => &["can cu huy bo", "can cu huy"],
            Self::RevocationDecisionNo => &["so quyet dinh huy bo", "so qd huy bo", "so qd huy"],
            Self::RevocationDecisionDate => {
                &["ngay quyet dinh huy bo", "ngay qd huy bo", "ngay qd huy"]
            }
            Self::RevocationReason => &["ly do huy bo", "ly do huy"],
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Self::RecipientType
                | Self::RecipientName
                | Self::Award
                | Self::Year
                | Self::DecisionNo
                | Self::DecisionDate
        )
    }
}

/// `Số CCCD`, `so_cccd`, `\u{feff}số cccd ` → `so cccd`.
#[must_use]
pub fn normalise_header(h: &str) -> String {
    let h = h.trim_start_matches('\u{feff}');
    let folded = text::fold(&h.replace(['_', '-', '/', '.'], " "));
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where each column sits in the file, and what the file calls it.
#[derive(Debug, Clone)]
pub struct Header {
    /// Position of each column in the file, by `Column as usize`: an array,
    /// not a map, as it is read a dozen times per row.
    index: [Option<usize>; Column::ALL.len()],
    names: Vec<String>,
}

impl Header {
    /// # Errors
    /// A required column is missing (Vietnamese, naming it).
    pub fn parse(names: &[String]) -> std::result::Result<Self, String> {
        let mut index = [None; Column::ALL.len()];
        for (i, n) in names.iter().enumerate() {
            let h = normalise_header(n);
            if let Some(c) = Column::ALL
                .iter()
                .find(|c| normalise_header(c.code()) == h || c.aliases().contains(&h.as_str()))
            {
                index[*c as usize].get_or_insert(i);
            }
        }
        let missing: Vec<&str> = Column::ALL
            .iter()
            .filter(|c| c.required() && index[**c as usize].is_none())
            .map(|c| c.code())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "Tệp thiếu cột bắt buộc: {} (dòng tiêu đề có: {}).",
                missing.join(", "),
                names.join(", ")
            ));
        }
        Ok(Self {
            index,
            names: names.to_vec(),
        })
    }

    fn get<'a>(&self, row: &'a [String], c: Column) -> &'a str {
        self.index[c as usize]
            .and_then(|i| row.get(i))
            .map_or("", |s| s.trim())
    }

    /// The column as the file names it (for error messages).
    #[must_use]
    pub fn name(&self, c: Column) -> String {
        self.index[c as usize]
            .and_then(|i| self.names.get(i))
            .map_or_else(
                || c.code().to_owned(),
                |n| n.trim_start_matches('\u{feff}').trim().to_owned(),
            )
    }

    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// A refused row: 1-based row of the file (the header is row 1), the column
/// as the file names it, the reason in Vietnamese, and the row as read.
#[derive(Debug, Clone, Serialize)]
pub struct RowError {
    pub row: u64,
    pub column: String,
    pub message: String,
    pub fields: Vec<String>,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Dòng {}, cột «{}»: {}",
            self.row, self.column, self.message
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Import the valid rows and report the others (default: all or nothing).
    pub skip_invalid: bool,
    /// File name for the audit event.
    pub source_name: String,
    /// Keep at most this many refused rows in the report (0 = all).
    pub max_errors: usize,
    /// Units the importer may write awards for (an officer's subtree with
    /// its predecessors); `None` = every unit. A row outside is refused.
    pub scope: Option<BTreeSet<i64>>,
    /// After how many new records the secondary indexes of `award_records`
    /// are dropped and built again at the end; `None` = the backend's rule
    /// (`Bulk::suspend_after`). Tests set it low to take that path.
    pub rebuild_indexes_after: Option<u64>,
}

/// How far an import has gone, handed to the caller's progress hook.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Rows read and checked (a row refused by the checks counts).
    pub checked: u64,
    /// Rows through the database: written, found already present, or
    /// refused. Inside the import's one transaction until it commits.
    pub done: u64,
    /// Records written so far (rolled back if the import is refused).
    pub inserted: u64,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub rows: u64,
    pub inserted: u64,
    /// Rows already in the registry (or twice in the file): nothing done.
    pub duplicates: u64,
    /// Records turned from valid to revoked by a row marked revoked.
    pub revoked: u64,
    pub people_created: u64,
    pub rejected_count: u64,
    pub rejected: Vec<RowError>,
    /// `false` when refused rows made an all-or-nothing import roll back.
    pub committed: bool,
}

/// A row that passed the checks that need no database.
struct Checked {
    kind: RecipientKind,
    cccd: Option<Cccd>,
    unit: Option<i64>,
    name: String,
    /// The name folded, compared with the stored one of a known CCCD
    /// (computed here, on the checking thread, like `dkey`).
    name_key: String,
    award: &'static str,
    year: i32,
    achieved_on: Option<Date>,
    decision_no: String,
    dkey: String,
    decision_date: Date,
    authority: String,
    reason: String,
    /// Set for a row marked revoked: why, as far as the file says.
    revocation: Option<ImportedRevocation>,
}

/// The revocation a file records for a row (its optional columns).
#[derive(Debug, Clone)]
pub(crate) struct ImportedRevocation {
    pub ground: Ground,
    pub decision_no: String,
    pub decision_date: Option<Date>,
    pub reason: String,
}

struct PersonEntry {
    id: i64,
    name_key: String,
    name: String,
    unit_id: i64,
}

/// Rows validated and resolved together: one lookup of their people, one
/// insert of the new people, one or two of the records.
const CHUNK: usize = 8192;

/// The checks that need no database, owned: they run on their own thread
/// (see [`check_rows`]).
struct Checker {
    header: Header,
    units: HashMap<String, Unit>,
    awards_by_name: HashMap<String, &'static str>,
    today: Date,
    scope: Option<BTreeSet<i64>>,
}

/// Is `unit` one the importer may write for?
fn in_scope(scope: Option<&BTreeSet<i64>>, unit: i64) -> bool {
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
struct Batch {
    staged: Vec<Staged>,
    /// Rows in the chunk, blank rows of the file left out.
    rows: u64,
    /// The file's last chunk.
    last: bool,
}

/// Chunks in flight between the checking thread and the writer: enough for
/// neither to wait on the other's jitter, few enough to bound memory.
const IN_FLIGHT: usize = 4;

/// Reads and checks the rows on the calling (a dedicated) thread and sends
/// them in chunks: parsing and validation on one core while the database
/// writes on the other. Stops early when the writer hangs up (it failed).
fn check_rows<I>(
    checker: &Checker,
    secrets: &crate::Secrets,
    rows: I,
    tx: &tokio::sync::mpsc::Sender<Batch>,
) where
    I: Iterator<Item = std::result::Result<Vec<String>, String>>,
{
    let mut staged = Vec::with_capacity(CHUNK);
    let mut n: u64 = 0;
    // a person's rows usually follow one another: their CCCD is hashed once
    let mut last: Option<(Cccd, String)> = None;
    // the header is row 1
    for (row_no, row) in (2_u64..).zip(rows) {
        let fields = match row {
            Ok(r) => r,
            Err(m) => {
                n += 1;
                staged.push(Staged {
                    row_no,
                    fields: Vec::new(),
                    checked: Err((String::new(), m)),
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
struct Staged {
    row_no: u64,
    fields: Vec<String>,
    checked: std::result::Result<Checked, (String, String)>,
    /// Keyed hash of the CCCD of a person row.
    hash: Option<String>,
}

/// Import state shared by the chunks of one file.
struct Run<'a> {
    header: &'a Header,
    actor: &'a str,
    scope: Option<&'a BTreeSet<i64>>,
    report: ImportReport,
    max_errors: usize,
    people: HashMap<String, PersonEntry>,
    revoked_keys: HashSet<String>,
    new_people: Vec<NewPerson>,
    pending: Vec<Pending>,
}

impl Run<'_> {
    fn reject(&mut self, row_no: u64, fields: Vec<String>, (column, message): (String, String)) {
        self.report.rejected_count += 1;
        if self.report.rejected.len() < self.max_errors {
            self.report.rejected.push(RowError {
                row: row_no,
                column,
                message,
                fields,
            });
        }
    }

    /// Writes the people created and the records accepted so far.
    async fn flush<C: Bulk + Send>(&mut self, conn: &mut C, now: &str) -> Result<()> {
        conn.insert_people(&self.new_people).await?;
        self.new_people.clear();
        let pending = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK));
        self.report.inserted += conn.insert_awards(pending, now).await?;
        Ok(())
    }

    /// Resolves the recipients of a chunk and queues its records.
    #[allow(clippy::too_many_lines)]
    async fn chunk<C: Bulk + Send>(
        &mut self,
        conn: &mut C,
        secrets: &crate::Secrets,
        staged: Vec<Staged>,
        now: &str,
    ) -> Result<()> {
        // people of the chunk not seen yet: one lookup, then ids for the new ones
        let mut unknown: Vec<String> = staged
            .iter()
            .filter(|s| s.checked.is_ok())
            .filter_map(|s| s.hash.clone())
            .filter(|h| !self.people.contains_key(h))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if !unknown.is_empty() {
            for (id, hash, name, unit_id) in conn.people_by_hash(&unknown).await? {
                self.people.insert(
                    hash,
                    PersonEntry {
                        id,
                        name_key: text::fold(&name),
                        name,
                        unit_id,
                    },
                );
            }
            unknown.retain(|h| !self.people.contains_key(h));
        }
        let mut ids = if unknown.is_empty() {
            Vec::new()
        } else {
            conn.people_ids(unknown.len()).await?
        }
        .into_iter();
        for s in staged {
            let Staged {
                row_no,
                fields,
                checked,
                hash,
            } = s;
            let c = match checked {
                Ok(c) => c,
                Err(e) => {
                    self.reject(row_no, fields, e);
                    continue;
                }
            };
            // the recipient: a person matched by CCCD (created if new) or a unit
            let (rid, person_id, unit_id) = match (&c.kind, &c.cccd, hash) {
                (RecipientKind::Person, Some(cccd), Some(hash)) => {
                    if let Some(p) = self.people.get(&hash) {
                        let unit_id = c.unit.unwrap_or(p.unit_id);
                        if !in_scope(self.scope, unit_id) {
                            let m = format!(
                                "người có số CCCD {} thuộc đơn vị ngoài phạm vi tài khoản của bạn; ghi mã đơn vị (trong phạm vi) nơi người này được khen thưởng.",
                                cccd.masked()
                            );
                            let col = self.header.name(Column::UnitCode);
                            self.reject(row_no, fields, (col, m));
                            continue;
                        }
                        if p.name_key != c.name_key {
                            // the stored name of someone outside the
                            // importer's subtree is not theirs to read
                            let m = if in_scope(self.scope, p.unit_id) {
                                format!(
                                    "số CCCD {} đã gắn với «{}», khác tên trong tệp «{}».",
                                    cccd.masked(),
                                    p.name,
                                    c.name
                                )
                            } else {
                                format!(
                                    "số CCCD {} đã gắn với một người khác tên trong tệp «{}».",
                                    cccd.masked(),
                                    c.name
                                )
                            };
                            let col = self.header.name(Column::RecipientName);
                            self.reject(row_no, fields, (col, m));
                            continue;
                        }
                        (p.id, Some(p.id), unit_id)
                    } else {
                        let Some(unit_id) = c.unit else {
                            let m = "trống: cần mã đơn vị để tạo người mới chưa có trong hệ thống."
                                .to_owned();
                            let col = self.header.name(Column::UnitCode);
                            self.reject(row_no, fields, (col, m));
                            continue;
                        };
                        let (gender, birth_year) = from_cccd(cccd).unwrap_or((Gender::Male, 1900));
                        let birth = Date::from_calendar_date(birth_year, Month::January, 1)
                            .map_err(|_| {
                                tdkt_core::DomainError::invalid("cccd", "năm sinh không hợp lệ")
                            })?;
                        let id = match ids.next() {
                            Some(id) => id,
                            None => conn.people_ids(1).await?[0],
                        };
                        self.new_people.push(NewPerson {
                            id,
                            name: c.name.clone(),
                            search_key: c.name_key.clone(),
                            gender: gender.code(),
                            birth,
                            hash: hash.clone(),
                            enc: secrets.encrypt(cccd.expose())?,
                            masked: cccd.masked(),
                            unit_id,
                            start: Date::from_calendar_date(c.year, Month::January, 1)
                                .unwrap_or(birth),
                        });
                        self.report.people_created += 1;
                        self.people.insert(
                            hash,
                            PersonEntry {
                                id,
                                name_key: c.name_key.clone(),
                                name: c.name.clone(),
                                unit_id,
                            },
                        );
                        (id, Some(id), unit_id)
                    }
                }
                _ => {
                    let u = c.unit.unwrap_or_default();
                    (u, None, u)
                }
            };
            let key = dedupe_key(c.kind, rid, c.award, c.year, &c.dkey);
            if c.revocation.is_some() {
                // rare: write what is queued, then insert the record as
                // revoked or revoke the valid one
                self.flush(conn, now).await?;
                self.revoke(conn, c, person_id, unit_id, &key, now).await?;
                self.revoked_keys.insert(key);
                continue;
            }
            if self.revoked_keys.contains(&key) {
                let m = format!(
                    "quyết định {} về «{}» năm {} đã bị hủy bỏ; không thể nhập lại với trạng thái còn hiệu lực.",
                    c.decision_no, c.name, c.year
                );
                let col = self.header.name(Column::Status);
                self.reject(row_no, fields, (col, m));
                continue;
            }
            self.pending.push(Pending {
                kind: c.kind,
                person_id,
                unit_id,
                award: c.award,
                year: c.year,
                achieved_on: c.achieved_on,
                decision_no: c.decision_no,
                dkey: c.dkey,
                decision_date: c.decision_date,
                authority: c.authority,
                reason: c.reason,
                key,
            });
        }
        self.flush(conn, now).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn revoke<C: Bulk + Send>(
        &mut self,
        conn: &mut C,
        c: Checked,
        person_id: Option<i64>,
        unit_id: i64,
        key: &str,
        now: &str,
    ) -> Result<()> {
        let Some(revocation) = c.revocation.clone() else {
            return Ok(());
        };
        match conn.status_of(key).await?.as_deref() {
            Some("revoked") => {}
            Some(_) => {
                conn.revoke(key).await?;
                conn.record_revocation(key, &revocation, self.actor, now)
                    .await?;
                self.report.revoked += 1;
            }
            None => {
                let rec = Pending {
                    kind: c.kind,
                    person_id,
                    unit_id,
                    award: c.award,
                    year: c.year,
                    achieved_on: c.achieved_on,
                    decision_no: c.decision_no,
                    dkey: c.dkey,
                    decision_date: c.decision_date,
                    authority: c.authority,
                    reason: c.reason,
                    key: key.to_owned(),
                };
                conn.insert_revoked(&rec, now).await?;
                conn.record_revocation(key, &revocation, self.actor, now)
                    .await?;
                self.report.inserted += 1;
            }
        }
        Ok(())
    }
}

/// Runs `$body` in one transaction `$tx`; commits when it yields `true`,
/// rolls back otherwise (all-or-nothing imports), and on any error.
macro_rules! import_tx {
    ($self:expr, |$tx:ident| $body:expr) => {
        match &$self.pool {
            Pool::Sqlite(p) => {
                // IMMEDIATE and an explicit rollback on error, as in
                // `write_tx!`: the writer lock must not be released while a
                // failed transaction still holds SQLite's write lock.
                let _writer = $self.write_lock.lock().await;
                let mut $tx = p.begin_with("BEGIN IMMEDIATE").await?;
                // a big cache for this connection while it imports: with the
                // default 2 MB, inserts into the unique index spill pages to
                // the WAL again and again
                sqlx::query("pragma cache_size = -262144")
                    .execute(&mut *$tx)
                    .await?;
                let run: ::std::result::Result<_, $crate::StoreError> = async { Ok($body) }.await;
                let (commit, out) = match run {
                    Ok(v) => v,
                    Err(e) => {
                        $tx.rollback().await?;
                        return Err(e.into());
                    }
                };
                sqlx::query("pragma cache_size = -2000")
                    .execute(&mut *$tx)
                    .await?;
                if commit {
                    $tx.commit().await?;
                } else {
                    $tx.rollback().await?;
                }
                out
            }
            Pool::Postgres(p) => {
                let mut $tx = p.begin().await?;
                let (commit, out) = $body;
                if commit {
                    $tx.commit().await?;
                } else {
                    $tx.rollback().await?;
                }
                out
            }
        }
    };
}

impl Store {
    /// Imports award rows read from a file whose first row is `header`.
    /// `progress` is called as rows are checked and written.
    ///
    /// # Errors
    /// A missing required column (`Invalid`, field `header`) or a database
    /// failure; refused rows are in the report, not errors.
    pub async fn import_awards<I>(
        &self,
        actor: &str,
        header: &[String],
        rows: I,
        opts: &ImportOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<ImportReport>
    where
        I: Iterator<Item = std::result::Result<Vec<String>, String>> + Send + 'static,
    {
        let header =
            Header::parse(header).map_err(|m| tdkt_core::DomainError::invalid("header", m))?;
        let units: HashMap<String, Unit> = self
            .units()
            .await?
            .into_iter()
            .map(|u| (u.code.clone(), u))
            .collect();
        let mut awards_by_name = HashMap::new();
        for a in catalogue().awards() {
            awards_by_name.insert(text::slug(&a.name), a.code.as_str());
        }
        let checker = Checker {
            header: header.clone(),
            units,
            awards_by_name,
            today: today_vn(),
            scope: opts.scope.clone(),
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(IN_FLIGHT);
        let secrets = self.secrets.clone();
        std::thread::Builder::new()
            .name("tdkt-import-check".into())
            .spawn(move || check_rows(&checker, &secrets, rows, &tx))
            .map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
        let now = crate::now_rfc3339();
        let mut run = Run {
            header: &header,
            actor,
            scope: opts.scope.as_ref(),
            report: ImportReport::default(),
            max_errors: if opts.max_errors == 0 {
                usize::MAX
            } else {
                opts.max_errors
            },
            people: HashMap::new(),
            revoked_keys: HashSet::new(),
            new_people: Vec::new(),
            pending: Vec::with_capacity(CHUNK),
        };
        let report = import_tx!(self, |tx| {
            run.revoked_keys = sqlx::query_scalar::<_, String>(
                "select dedupe_key from award_records where status = 'revoked'",
            )
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
            let existing = Bulk::award_rows(&mut *tx).await?;
            let suspend_after = opts
                .rebuild_indexes_after
                .unwrap_or_else(|| Bulk::suspend_after(&*tx, existing));
            let mut rebuild: Option<Vec<String>> = None;
            let mut ended = false;
            while let Some(batch) = rx.recv().await {
                run.report.rows += batch.rows;
                if rebuild.is_none() && run.report.inserted >= suspend_after {
                    rebuild = Some(Bulk::suspend_indexes(&mut *tx).await?);
                }
                progress(Progress {
                    checked: run.report.rows,
                    done: run.report.rows - batch.rows,
                    inserted: run.report.inserted,
                });
                run.chunk(&mut *tx, &self.secrets, batch.staged, &now)
                    .await?;
                progress(Progress {
                    checked: run.report.rows,
                    done: run.report.rows,
                    inserted: run.report.inserted,
                });
                if batch.last {
                    ended = true;
                    break;
                }
            }
            if !ended {
                // the checking thread died (a panic) before the end of the
                // file: never commit part of it
                return Err(StoreError::Db(sqlx::Error::WorkerCrashed));
            }
            let mut report = std::mem::take(&mut run.report);
            report.duplicates =
                report.rows - report.rejected_count - report.inserted - report.revoked;
            let commit = opts.skip_invalid || report.rejected_count == 0;
            if let Some(ddl) = rebuild.filter(|_| commit) {
                // a rollback brings the indexes back by itself
                Bulk::rebuild(&mut *tx, &ddl).await?;
            }
            // a re-import that changes nothing leaves no trace either
            let changed = report.inserted + report.revoked + report.people_created > 0;
            if commit && changed {
                let after = serde_json::json!({
                    "file": opts.source_name, "rows": report.rows, "inserted": report.inserted,
                    "duplicates": report.duplicates, "revoked": report.revoked,
                    "people_created": report.people_created, "rejected": report.rejected_count,
                });
                audit!(
                    tx,
                    actor,
                    "award_import",
                    &opts.source_name,
                    "import",
                    None,
                    json(&after)
                );
            }
            report.committed = commit;
            (commit, report)
        });
        if !report.committed {
            tracing::info!(
                rows = report.rows,
                rejected = report.rejected_count,
                "nhập khen thưởng bị hủy: có dòng lỗi"
            );
        }
        // PostgreSQL plans from statistics, and reads an index alone only
        // for pages its visibility map marks all-visible; autovacuum sees to
        // both, but later. Right after a first load of history a name search
        // walked a whole index (no statistics: p95 409 ms at 1 M awards
        // instead of 37) or visited an award row per index entry. A vacuum
        // is outside any transaction, after the commit.
        if report.committed
            && report.inserted >= ANALYZE_AFTER
            && self.backend() == Backend::Postgres
        {
            with_pool!(self, |p| {
                sqlx::raw_sql("vacuum (analyze) award_records, people")
                    .execute(p)
                    .await?;
            });
        }
        Ok(report)
    }
}

/// New records from which an import vacuums and analyzes (PostgreSQL).
const ANALYZE_AFTER: u64 = 5_000;

impl From<RowError> for StoreError {
    fn from(e: RowError) -> Self {
        tdkt_core::DomainError::invalid("row", e.to_string()).into()
    }
}
