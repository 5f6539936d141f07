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
//! record as valid is refused.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tdkt_core::cccd::Cccd;
use tdkt_core::date::{format_vn, today_vn};
use tdkt_core::org::Unit;
use tdkt_core::person::Gender;
use tdkt_core::text;
use time::{Date, Month};

use super::{catalogue, check_award, decision_key, dedupe_key, RecipientKind};
use crate::audit::{audit, json};
use crate::{Pool, Result, Store, StoreError};

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
}

impl Column {
    const ALL: [Self; 12] = [
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
    index: HashMap<Column, usize>,
    names: Vec<String>,
}

impl Header {
    /// # Errors
    /// A required column is missing (Vietnamese, naming it).
    pub fn parse(names: &[String]) -> std::result::Result<Self, String> {
        let mut index = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            let h = normalise_header(n);
            if let Some(c) = Column::ALL
                .iter()
                .find(|c| normalise_header(c.code()) == h || c.aliases().contains(&h.as_str()))
            {
                index.entry(*c).or_insert(i);
            }
        }
        let missing: Vec<&str> = Column::ALL
            .iter()
            .filter(|c| c.required() && !index.contains_key(c))
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
        self.index
            .get(&c)
            .and_then(|i| row.get(*i))
            .map_or("", |s| s.trim())
    }

    /// The column as the file names it (for error messages).
    #[must_use]
    pub fn name(&self, c: Column) -> String {
        self.index
            .get(&c)
            .and_then(|i| self.names.get(*i))
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
    award: String,
    year: i32,
    achieved_on: Option<Date>,
    decision_no: String,
    decision_date: Date,
    authority: String,
    reason: String,
    revoked: bool,
}

struct PersonEntry {
    id: i64,
    name_key: String,
    name: String,
    unit_id: i64,
}

struct Pending {
    kind: RecipientKind,
    person_id: Option<i64>,
    unit_id: i64,
    award: String,
    year: i32,
    achieved_on: Option<Date>,
    decision_no: String,
    dkey: String,
    decision_date: Date,
    authority: String,
    reason: String,
    key: String,
}

const BATCH: usize = 500;

struct Checker<'a> {
    header: &'a Header,
    units: HashMap<String, Unit>,
    awards_by_name: HashMap<String, String>,
    today: Date,
}

fn cell_date(s: &str) -> std::result::Result<Date, String> {
    // XLSX date cells arrive as `2019-12-20` or `2019-12-20T00:00:00`.
    let s = s.split(['T', ' ']).next().unwrap_or(s);
    tdkt_core::date::parse(s)
}

impl Checker<'_> {
    fn err(&self, c: Column, m: impl Into<String>) -> (String, String) {
        (self.header.name(c), m.into())
    }

    fn check(&self, row: &[String]) -> std::result::Result<Checked, (String, String)> {
        let h = self.header;
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
        let award = if catalogue().get(raw_award).is_some() {
            raw_award.to_owned()
        } else if let Some(code) = self.awards_by_name.get(&text::slug(raw_award)) {
            code.clone()
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
        check_award(&award, kind, year, decision_date, self.today).map_err(|(c, m)| {
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
                Some(c)
            }
            RecipientKind::Unit => {
                if unit.is_none() {
                    return Err(self.err(Column::UnitCode, "trống: tập thể phải có mã đơn vị."));
                }
                None
            }
        };
        Ok(Checked {
            kind,
            cccd,
            unit,
            name,
            award,
            year,
            achieved_on,
            decision_no,
            decision_date,
            authority: h.get(row, Column::Authority).to_owned(),
            reason: h.get(row, Column::Reason).to_owned(),
            revoked,
        })
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

/// Runs `$body` in one transaction `$tx`; commits when it yields `true`,
/// rolls back otherwise (all-or-nothing imports), and on any error.
macro_rules! import_tx {
    ($self:expr, |$tx:ident| $body:expr) => {
        match &$self.pool {
            Pool::Sqlite(p) => {
                let _writer = $self.write_lock.lock().await;
                let mut $tx = p.begin().await?;
                // a big cache for this connection while it imports: with the
                // default 2 MB, inserts into the unique index spill pages to
                // the WAL again and again
                sqlx::query("pragma cache_size = -262144")
                    .execute(&mut *$tx)
                    .await?;
                let (commit, out) = $body;
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

/// Inserts the pending valid records in one multi-row statement.
macro_rules! flush {
    ($tx:ident, $pending:expr, $now:expr) => {{
        let mut n = 0u64;
        if !$pending.is_empty() {
            let mut qb = sqlx::QueryBuilder::new(
                "insert into award_records (recipient_kind, person_id, unit_id, award_code, year, achieved_on, decision_no,
                 decision_key, decision_date, authority, reason, status, source, dedupe_key, created_at) ",
            );
            qb.push_values($pending.drain(..), |mut b, r: Pending| {
                b.push_bind(r.kind.code())
                    .push_bind(r.person_id)
                    .push_bind(r.unit_id)
                    .push_bind(r.award)
                    .push_bind(r.year)
                    .push_bind(r.achieved_on)
                    .push_bind(r.decision_no)
                    .push_bind(r.dkey)
                    .push_bind(r.decision_date)
                    .push_bind(r.authority)
                    .push_bind(r.reason)
                    .push_bind("valid")
                    .push_bind("imported")
                    .push_bind(r.key)
                    .push_bind($now.clone());
            });
            qb.push(" on conflict (dedupe_key) do nothing");
            n = qb.build().execute(&mut *$tx).await?.rows_affected();
        }
        n
    }};
}

impl Store {
    /// Imports award rows read from a file whose first row is `header`.
    /// `progress` is called with the number of rows read so far.
    ///
    /// # Errors
    /// A missing required column (`Invalid`, field `header`) or a database
    /// failure; refused rows are in the report, not errors.
    #[allow(clippy::too_many_lines)]
    pub async fn import_awards<I>(
        &self,
        actor: &str,
        header: &[String],
        rows: I,
        opts: &ImportOptions,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<ImportReport>
    where
        I: Iterator<Item = std::result::Result<Vec<String>, String>> + Send,
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
            awards_by_name.insert(text::slug(&a.name), a.code.clone());
        }
        let checker = Checker {
            header: &header,
            units,
            awards_by_name,
            today: today_vn(),
        };
        let now = crate::now_rfc3339();
        let mut report = ImportReport::default();
        let max_errors = if opts.max_errors == 0 {
            usize::MAX
        } else {
            opts.max_errors
        };
        let mut people: HashMap<String, PersonEntry> = HashMap::new();
        let mut pending: Vec<Pending> = Vec::with_capacity(BATCH);
        let mut rows = rows;
        let report = import_tx!(self, |tx| {
            let mut revoked_keys: HashSet<String> = sqlx::query_scalar::<_, String>(
                "select dedupe_key from award_records where status = 'revoked'",
            )
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
            let mut row_no: u64 = 1;
            while let Some(row) = rows.next() {
                row_no += 1;
                report.rows += 1;
                if report.rows % 1000 == 0 {
                    progress(report.rows);
                }
                let row = match row {
                    Ok(r) => r,
                    Err(m) => {
                        report.rejected_count += 1;
                        if report.rejected.len() < max_errors {
                            report.rejected.push(RowError {
                                row: row_no,
                                column: String::new(),
                                message: m,
                                fields: Vec::new(),
                            });
                        }
                        continue;
                    }
                };
                if row.iter().all(|c| c.trim().is_empty()) {
                    report.rows -= 1;
                    continue;
                }
                let reject = |report: &mut ImportReport, (column, message): (String, String)| {
                    report.rejected_count += 1;
                    if report.rejected.len() < max_errors {
                        report.rejected.push(RowError {
                            row: row_no,
                            column,
                            message,
                            fields: row.clone(),
                        });
                    }
                };
                let c = match checker.check(&row) {
                    Ok(c) => c,
                    Err(e) => {
                        reject(&mut report, e);
                        continue;
                    }
                };
                // the recipient: a person matched by CCCD (created if new) or a unit
                let (rid, person_id, unit_id) = match (&c.kind, &c.cccd) {
                    (RecipientKind::Person, Some(cccd)) => {
                        let hash = self.secrets.cccd_index(cccd.expose());
                        if !people.contains_key(&hash) {
                            let found: Option<(i64, String, i64)> = sqlx::query_as(
                                "select id, full_name, unit_id from people where cccd_hash = $1",
                            )
                            .bind(&hash)
                            .fetch_optional(&mut *tx)
                            .await?;
                            if let Some((id, name, unit_id)) = found {
                                people.insert(
                                    hash.clone(),
                                    PersonEntry {
                                        id,
                                        name_key: text::fold(&name),
                                        name,
                                        unit_id,
                                    },
                                );
                            }
                        }
                        match people.get(&hash) {
                            Some(p) => {
                                if p.name_key != text::fold(&c.name) {
                                    let m = format!(
                                        "số CCCD {} đã gắn với «{}», khác tên trong tệp «{}».",
                                        cccd.masked(),
                                        p.name,
                                        c.name
                                    );
                                    reject(&mut report, (header.name(Column::RecipientName), m));
                                    continue;
                                }
                                (p.id, Some(p.id), c.unit.unwrap_or(p.unit_id))
                            }
                            None => {
                                let Some(unit_id) = c.unit else {
                                    let m = "trống: cần mã đơn vị để tạo người mới chưa có trong hệ thống.".to_owned();
                                    reject(&mut report, (header.name(Column::UnitCode), m));
                                    continue;
                                };
                                let (gender, birth_year) =
                                    from_cccd(cccd).unwrap_or((Gender::Male, 1900));
                                let birth = Date::from_calendar_date(birth_year, Month::January, 1)
                                    .map_err(|_| {
                                        tdkt_core::DomainError::invalid(
                                            "cccd",
                                            "năm sinh không hợp lệ",
                                        )
                                    })?;
                                let id: i64 = sqlx::query_scalar(
                                    "insert into people (full_name, search_key, gender, birth_date, birth_date_estimated, cccd_hash, cccd_enc, cccd_masked, unit_id)
                                     values ($1, $2, $3, $4, true, $5, $6, $7, $8) returning id",
                                )
                                .bind(&c.name)
                                .bind(text::fold(&c.name))
                                .bind(gender.code())
                                .bind(birth)
                                .bind(&hash)
                                .bind(self.secrets.encrypt(cccd.expose())?)
                                .bind(cccd.masked())
                                .bind(unit_id)
                                .fetch_one(&mut *tx)
                                .await?;
                                let start = Date::from_calendar_date(c.year, Month::January, 1)
                                    .unwrap_or(birth);
                                sqlx::query("insert into employment_periods (person_id, unit_id, start_date) values ($1, $2, $3)")
                                    .bind(id)
                                    .bind(unit_id)
                                    .bind(start)
                                    .execute(&mut *tx)
                                    .await?;
                                report.people_created += 1;
                                people.insert(
                                    hash,
                                    PersonEntry {
                                        id,
                                        name_key: text::fold(&c.name),
                                        name: c.name.clone(),
                                        unit_id,
                                    },
                                );
                                (id, Some(id), unit_id)
                            }
                        }
                    }
                    _ => {
                        let u = c.unit.unwrap_or_default();
                        (u, None, u)
                    }
                };
                let dkey = decision_key(&c.decision_no);
                let key = dedupe_key(c.kind, rid, &c.award, c.year, &dkey);
                if c.revoked {
                    // rare: flush, then insert the record as revoked or revoke the valid one
                    report.inserted += flush!(tx, pending, now);
                    let existing: Option<String> = sqlx::query_scalar(
                        "select status from award_records where dedupe_key = $1",
                    )
                    .bind(&key)
                    .fetch_optional(&mut *tx)
                    .await?;
                    match existing.as_deref() {
                        Some("revoked") => {}
                        Some(_) => {
                            sqlx::query(
                                "update award_records set status = 'revoked' where dedupe_key = $1",
                            )
                            .bind(&key)
                            .execute(&mut *tx)
                            .await?;
                            report.revoked += 1;
                        }
                        None => {
                            sqlx::query(
                                "insert into award_records (recipient_kind, person_id, unit_id, award_code, year, achieved_on, decision_no,
                                 decision_key, decision_date, authority, reason, status, source, dedupe_key, created_at)
                                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'revoked', 'imported', $12, $13)",
                            )
                            .bind(c.kind.code())
                            .bind(person_id)
                            .bind(unit_id)
                            .bind(&c.award)
                            .bind(c.year)
                            .bind(c.achieved_on)
                            .bind(&c.decision_no)
                            .bind(&dkey)
                            .bind(c.decision_date)
                            .bind(&c.authority)
                            .bind(&c.reason)
                            .bind(&key)
                            .bind(&now)
                            .execute(&mut *tx)
                            .await?;
                            report.inserted += 1;
                        }
                    }
                    revoked_keys.insert(key);
                    continue;
                }
                if revoked_keys.contains(&key) {
                    let m = format!(
                        "quyết định {} về «{}» năm {} đã bị hủy bỏ; không thể nhập lại với trạng thái còn hiệu lực.",
                        c.decision_no, c.name, c.year
                    );
                    reject(&mut report, (header.name(Column::Status), m));
                    continue;
                }
                pending.push(Pending {
                    kind: c.kind,
                    person_id,
                    unit_id,
                    award: c.award,
                    year: c.year,
                    achieved_on: c.achieved_on,
                    decision_no: c.decision_no,
                    dkey,
                    decision_date: c.decision_date,
                    authority: c.authority,
                    reason: c.reason,
                    key,
                });
                if pending.len() >= BATCH {
                    let n = flush!(tx, pending, now);
                    report.inserted += n;
                }
            }
            report.inserted += flush!(tx, pending, now);
            report.duplicates =
                report.rows - report.rejected_count - report.inserted - report.revoked;
            progress(report.rows);
            let commit = opts.skip_invalid || report.rejected_count == 0;
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
        Ok(report)
    }
}

impl From<RowError> for StoreError {
    fn from(e: RowError) -> Self {
        tdkt_core::DomainError::invalid("row", e.to_string()).into()
    }
}
