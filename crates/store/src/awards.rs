//! The award registry (issue 5): every emulation title and commendation a
//! person or a unit received, by decision. Award codes come from the
//! catalogue ([`catalogue`]: `catalogue/awards.toml` of the rules in force) and are
//! checked on every write. A unit's history is its own records and those of
//! its predecessors (lineage), so Hậu Giang's 2019 awards belong to today's
//! Cần Thơ. Bulk import lives in [`import`].

mod bulk;
pub mod file;
pub mod import;
mod newest;
mod search;
pub mod unit_list;
mod walk;

pub(crate) use newest::KeyCounts;

pub use walk::MERGE_UNITS;

use std::collections::BTreeSet;

use serde::Serialize;
use tdkt_core::catalogue::{Catalogue, Recipient};
use tdkt_core::lineage::{Lineage, LineageKind};
use tdkt_core::org::UnitId;
use tdkt_core::{text, DomainError};
use time::Date;

use crate::audit::{audit, json};
use crate::people::PeopleScope;
use crate::{with_pool, write_tx, Result, Store};

/// The catalogue of the process's rules ([`crate::rules::current`]: the
/// rules directory given at start-up, else the compiled-in one).
#[must_use]
pub fn catalogue() -> &'static Catalogue {
    crate::rules::current().catalogue()
}

/// Folded decision number without spaces: `123/QĐ-UBND` → `123/qd-ubnd`.
#[must_use]
pub fn decision_key(no: &str) -> String {
    text::fold(no).replace(' ', "")
}

/// Does `q` look like a decision number (`123/QĐ-UBND`, `45/2019/QĐ-TTg`)?
#[must_use]
pub fn looks_like_decision(q: &str) -> bool {
    let q = q.trim();
    q.contains('/') && q.starts_with(|c: char| c.is_ascii_digit()) && !q.contains(' ')
}

/// Who received an award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecipientKind {
    Person,
    Unit,
}

impl RecipientKind {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Unit => "unit",
        }
    }

    #[must_use]
    pub fn catalogue(self) -> Recipient {
        match self {
            Self::Person => Recipient::Individual,
            Self::Unit => Recipient::Collective,
        }
    }
}

/// One award record as shown: names joined, CCCD masked.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AwardRecord {
    pub id: i64,
    pub recipient_kind: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub cccd_masked: Option<String>,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub award_code: String,
    pub year: i32,
    pub achieved_on: Option<Date>,
    pub decision_no: String,
    pub decision_date: Date,
    pub authority: String,
    pub reason: String,
    pub status: String,
    pub source: String,
    /// Why and by what decision it was revoked (revoked records only).
    #[sqlx(skip)]
    pub revocation: Option<crate::revocations::RevocationRow>,
}

impl AwardRecord {
    /// The award's name from the catalogue (the code if unknown).
    #[must_use]
    pub fn award_name(&self) -> &str {
        catalogue()
            .get(&self.award_code)
            .map_or(self.award_code.as_str(), |a| a.name.as_str())
    }

    #[must_use]
    pub fn recipient_name(&self) -> &str {
        self.person_name.as_deref().unwrap_or(&self.unit_name)
    }

    #[must_use]
    pub fn status_label(&self) -> &'static str {
        if self.status == "revoked" {
            "đã hủy bỏ"
        } else {
            "còn hiệu lực"
        }
    }

    /// `đã hủy bỏ theo Quyết định số 12/QĐ-UBND ngày 05/3/2026` for a
    /// revoked record whose revocation is known; the status label otherwise.
    #[must_use]
    pub fn status_text(&self) -> String {
        match &self.revocation {
            Some(r) if self.status == "revoked" && !r.decision_no.is_empty() => {
                format!("đã hủy bỏ theo {}", r.decision())
            }
            _ => self.status_label().to_owned(),
        }
    }
}

/// A record in a unit's history, with the predecessor it came from.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    #[serde(flatten)]
    pub record: AwardRecord,
    /// "của đơn vị tiền thân … trước khi sáp nhập (01/07/2025)" when the
    /// record belongs to a predecessor unit.
    pub inherited: Option<String>,
}

/// LIKE patterns, one a word, that a folded name padded with a space on each
/// side (`' ' || key || ' '`) matches when every word matches a word of it,
/// as the text index matches ([`crate::people::is_beginning`]): the same
/// answers whichever way a search goes. Words are ASCII letters and digits
/// (`name_words`): nothing to escape.
pub(crate) fn word_patterns(words: &[String]) -> Vec<String> {
    (0..words.len())
        .map(|i| {
            if crate::people::is_beginning(words, i) {
                format!("% {}%", words[i])
            } else {
                format!("% {} %", words[i])
            }
        })
        .collect()
}

/// ` and <every word matches a word of column>` (a folded name).
fn push_word_starts<'a, DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'a, DB>,
    column: &str,
    words: &[String],
) where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    push_patterns(qb, column, &word_patterns(words));
}

/// ` and <column matches every pattern of [`word_patterns`]>`: a walk that
/// made them once, or a subset of them.
pub(crate) fn push_patterns<'a, DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'a, DB>,
    column: &str,
    patterns: &[String],
) where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    for pattern in patterns {
        qb.push(format!(" and (' ' || {column} || ' ') like "));
        qb.push_bind(pattern.clone());
    }
}

/// ` and <the filters of f other than its text>` on award records `a`.
fn push_filters<'a, DB: sqlx::Database>(qb: &mut sqlx::QueryBuilder<'a, DB>, f: &AwardFilter)
where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i32: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if let Some(code) = f.award.as_deref().filter(|c| !c.is_empty()) {
        qb.push(" and a.award_code = ");
        qb.push_bind(code.to_owned());
    }
    if let Some(y) = f.year_from {
        qb.push(" and a.year >= ");
        qb.push_bind(y);
    }
    if let Some(y) = f.year_to {
        qb.push(" and a.year <= ");
        qb.push_bind(y);
    }
    if let Some(pid) = f.person_id {
        qb.push(" and a.person_id = ");
        qb.push_bind(pid);
    }
    if let Some(units) = &f.units {
        // a test on the rows another index found (`+ 0`): as an index, a
        // subtree's list made SQLite read and sort every award of it. A
        // list walked by unit goes through `walk_units` instead.
        qb.push(" and a.unit_id + 0 in (");
        let mut sep = qb.separated(", ");
        for u in units {
            sep.push_bind(*u);
        }
        qb.push(")");
    }
    if let Some(c) = f.after {
        // a row value: both backends seek an index on (…, year, id) to the
        // cursor, where `year < y or (year = y and id < i)` walked from
        // the newest award to it (a later page cost all the earlier ones)
        qb.push(" and (a.year, a.id) < (");
        qb.push_bind(c.year);
        qb.push(", ");
        qb.push_bind(c.id);
        qb.push(")");
    }
}

/// Matching people from which a name search walks the newest awards instead
/// of collecting each person's (see `search_awards`). Measured at 1 M people
/// and 10 M awards (migration 0013): a name 1 200 people share costs 8 ms
/// through the person index and 17 ms walking (the walk reads about 50 ×
/// 1 M / 1 200 index entries, each with the recipient's row); one 57 000
/// share, 4 ms walking. At 1 000 the bench's names had p95 86 ms, at 3 000
/// 55 ms.
pub const BROAD_NAME: i64 = 3000;

pub(crate) const AWARD_SELECT: &str = "select a.id, a.recipient_kind, a.person_id, p.full_name as person_name, p.cccd_masked,
    a.unit_id, u.code as unit_code, u.name as unit_name, a.award_code, a.year, a.achieved_on, a.decision_no,
    a.decision_date, a.authority, a.reason, a.status, a.source
    from award_records a join org_units u on u.id = a.unit_id left join people p on p.id = a.person_id";

/// Keyset cursor of award lists (ordered by year desc, id desc): `year.id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub year: i32,
    pub id: i64,
}

impl Cursor {
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let (y, i) = s.split_once('.')?;
        Some(Self {
            year: y.parse().ok()?,
            id: i.parse().ok()?,
        })
    }

    #[must_use]
    pub fn of(r: &AwardRecord) -> Self {
        Self {
            year: r.year,
            id: r.id,
        }
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.year, self.id)
    }
}

/// What to look for among award records.
#[derive(Debug, Clone, Default)]
pub struct AwardFilter {
    /// Free text: a decision number (exact), a full CCCD (exact), or words
    /// of the recipient's name in any order, without diacritics (`tran thi
    /// ha`, `Hà Trần`, `ng v binh`; short and last words may be beginnings,
    /// see [`crate::people::is_beginning`]).
    pub q: String,
    pub award: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub person_id: Option<i64>,
    /// Only records under these units (`None` = everywhere).
    pub units: Option<BTreeSet<UnitId>>,
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// One award to record by hand (source `entered`) or from a decision in tdkt.
#[derive(Debug, Clone)]
pub struct NewAward {
    pub recipient: RecipientKind,
    pub person_id: Option<i64>,
    pub unit_id: UnitId,
    pub award_code: String,
    pub year: i32,
    pub achieved_on: Option<Date>,
    pub decision_no: String,
    pub decision_date: Date,
    pub authority: String,
    pub reason: String,
    pub revoked: bool,
    /// `entered` or `decided`.
    pub source: &'static str,
}

/// The catalogue checks of one record: known code, right recipient, a year
/// when the award existed, a decision not before the achievement year.
///
/// # Errors
/// `(column, Vietnamese reason)`.
pub fn check_award(
    code: &str,
    recipient: RecipientKind,
    year: i32,
    decision_date: Date,
    today: Date,
) -> std::result::Result<(), (&'static str, String)> {
    check_award_for(code, recipient.catalogue(), year, decision_date, today)
}

/// [`check_award`] for any kind of recipient, households included (a
/// decision's annex; the registry records a household through its head).
///
/// # Errors
/// `(column, Vietnamese reason)`.
pub fn check_award_for(
    code: &str,
    recipient: Recipient,
    year: i32,
    decision_date: Date,
    today: Date,
) -> std::result::Result<(), (&'static str, String)> {
    let Some(award) = catalogue().get(code) else {
        return Err((
            "award",
            format!("mã danh hiệu/hình thức «{code}» không có trong danh mục."),
        ));
    };
    if !award.accepts(recipient) {
        return Err((
            "award",
            format!("«{}» không trao cho {}.", award.name, recipient.label()),
        ));
    }
    if year > today.year() {
        return Err(("year", format!("năm {year} ở tương lai.")));
    }
    if !award.could_exist_in(year) {
        let span = match award.effective_to {
            Some(to) => format!(
                "chỉ có từ {} đến {}",
                tdkt_core::date::format_vn(award.effective_from),
                tdkt_core::date::format_vn(to)
            ),
            None => format!(
                "chỉ có từ {}",
                tdkt_core::date::format_vn(award.effective_from)
            ),
        };
        return Err((
            "year",
            format!("năm {year}: «{}» {span} ({}).", award.name, award.citation),
        ));
    }
    if decision_date.year() < year {
        return Err((
            "decision_date",
            format!(
                "ngày quyết định {} trước năm thành tích {year}.",
                tdkt_core::date::format_vn(decision_date)
            ),
        ));
    }
    if decision_date > today {
        return Err((
            "decision_date",
            format!(
                "ngày quyết định {} ở tương lai.",
                tdkt_core::date::format_vn(decision_date)
            ),
        ));
    }
    Ok(())
}

pub(crate) fn dedupe_key(
    kind: RecipientKind,
    id: i64,
    code: &str,
    year: i32,
    dkey: &str,
) -> String {
    let k = match kind {
        RecipientKind::Person => 'p',
        RecipientKind::Unit => 'u',
    };
    format!("{k}:{id}|{code}|{year}|{dkey}")
}

impl Store {
    /// Records one award (validated against the catalogue) with its audit
    /// event. Recording the same recipient, award, year and decision twice
    /// returns the existing record.
    ///
    /// # Errors
    /// A catalogue rule broken (with its field), unknown person or unit.
    pub async fn record_award(&self, actor: &str, a: &NewAward) -> Result<AwardRecord> {
        let today = tdkt_core::date::today_vn();
        check_award(&a.award_code, a.recipient, a.year, a.decision_date, today)
            .map_err(|(f, m)| DomainError::invalid(f, m))?;
        // The unit must be in being in the year of achievement (issue 12,
        // item 9): a 2026 title goes to the successor of a merged unit.
        self.lineage()
            .await?
            .require_in_year(a.unit_id, a.year, "unit")?;
        let decision_no = a
            .decision_no
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if decision_no.is_empty() {
            return Err(DomainError::invalid("decision_no", "Phải có số quyết định.").into());
        }
        let (rid, person_id) = match (a.recipient, a.person_id) {
            (RecipientKind::Person, Some(p)) => {
                let person = self.person(p).await?;
                // the award's own conditions on its recipient (catalogue data)
                if let Some(award) = catalogue().get(&a.award_code) {
                    award
                        .check_recipient(
                            person.gender(),
                            Some(person.birth_date.year()),
                            a.decision_date,
                        )
                        .map_err(|(f, m)| DomainError::invalid(f, m))?;
                }
                (person.id, Some(p))
            }
            (RecipientKind::Person, None) => {
                return Err(DomainError::invalid("person", "Phải chọn người nhận.").into())
            }
            (RecipientKind::Unit, _) => (self.unit(a.unit_id).await?.id, None),
        };
        let dkey = decision_key(&decision_no);
        let key = dedupe_key(a.recipient, rid, &a.award_code, a.year, &dkey);
        let status = if a.revoked { "revoked" } else { "valid" };
        let id: i64 = write_tx!(self, |tx| {
            let inserted: Option<i64> = sqlx::query_scalar(
                "insert into award_records (recipient_kind, person_id, unit_id, award_code, year, achieved_on, decision_no,
                 decision_key, decision_date, authority, reason, status, source, dedupe_key, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                 on conflict (dedupe_key) do nothing returning id",
            )
            .bind(a.recipient.code())
            .bind(person_id)
            .bind(a.unit_id)
            .bind(&a.award_code)
            .bind(a.year)
            .bind(a.achieved_on)
            .bind(&decision_no)
            .bind(&dkey)
            .bind(a.decision_date)
            .bind(&a.authority)
            .bind(&a.reason)
            .bind(status)
            .bind(a.source)
            .bind(&key)
            .bind(crate::now_rfc3339())
            .fetch_optional(&mut *tx)
            .await?;
            match inserted {
                Some(id) => {
                    let after = serde_json::json!({
                        "recipient": a.recipient.code(), "person_id": person_id, "unit_id": a.unit_id,
                        "award": a.award_code, "year": a.year, "decision_no": decision_no,
                        "decision_date": a.decision_date.to_string(), "status": status, "source": a.source,
                    });
                    audit!(tx, actor, "award_record", id, "create", None, json(&after));
                    id
                }
                None => {
                    sqlx::query_scalar("select id from award_records where dedupe_key = $1")
                        .bind(&key)
                        .fetch_one(&mut *tx)
                        .await?
                }
            }
        });
        self.award_record(id).await
    }

    /// # Errors
    /// `NotFound`.
    pub async fn award_record(&self, id: i64) -> Result<AwardRecord> {
        let row: Option<AwardRecord> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{AWARD_SELECT} where a.id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        let mut rows: Vec<AwardRecord> = row.into_iter().collect();
        self.attach_revocations(&mut rows).await?;
        rows.pop()
            .ok_or_else(|| crate::StoreError::NotFound(format!("bản ghi khen thưởng #{id}")))
    }

    /// Fills [`AwardRecord::revocation`] of the revoked records of a page:
    /// one look-up, and none when nothing is revoked.
    pub(crate) async fn attach_revocations(&self, rows: &mut [AwardRecord]) -> Result<()> {
        let ids: Vec<i64> = rows
            .iter()
            .filter(|r| r.status == "revoked")
            .map(|r| r.id)
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let mut found: std::collections::HashMap<i64, crate::revocations::RevocationRow> = self
            .revocations_of(&ids)
            .await?
            .into_iter()
            .map(|r| (r.record_id, r))
            .collect();
        for r in rows.iter_mut() {
            r.revocation = found.remove(&r.id);
        }
        Ok(())
    }

    /// Everything a person received, newest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn person_awards(&self, person_id: i64) -> Result<Vec<AwardRecord>> {
        let mut rows: Vec<AwardRecord> = with_pool!(self, |p| {
            sqlx::query_as(&format!(
            "{AWARD_SELECT} where a.person_id = $1 order by a.year desc, a.decision_date desc, a.id desc"
        ))
        .bind(person_id)
        .fetch_all(p)
        .await?
        });
        self.attach_revocations(&mut rows).await?;
        Ok(rows)
    }

    /// A unit's history: records of the unit and of its predecessors (their
    /// own and those of their people), each predecessor's labelled, limited
    /// to what `scope` may read. Newest first, keyset-paginated.
    ///
    /// # Errors
    /// Database failure.
    pub async fn unit_history(
        &self,
        lineage: &Lineage,
        unit: UnitId,
        scope: &PeopleScope,
        after: Option<Cursor>,
        limit: i64,
    ) -> Result<Vec<HistoryEntry>> {
        let preds = lineage.predecessors(unit);
        let mut units: BTreeSet<UnitId> = lineage.with_predecessors(unit).into_iter().collect();
        if let PeopleScope::Units(s) = scope {
            units.retain(|u| s.contains(u));
        }
        let records = self
            .search_awards(&AwardFilter {
                units: Some(units),
                after,
                limit,
                ..AwardFilter::default()
            })
            .await?;
        Ok(history_entries(lineage, &preds, records))
    }

    /// Number of people (for benchmarks).
    ///
    /// # Errors
    /// Database failure.
    pub async fn count_people(&self) -> Result<i64> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "select count(*) from people"
        )
        .fetch_one(p)
        .await?))
    }

    /// Number of award records (all statuses).
    ///
    /// # Errors
    /// Database failure.
    pub async fn count_awards(&self) -> Result<i64> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "select count(*) from award_records"
        )
        .fetch_one(p)
        .await?))
    }
}

/// Records of a unit's history, each labelled with the predecessor it came
/// from (`preds`: the unit's predecessors).
pub(crate) fn history_entries(
    lineage: &Lineage,
    preds: &[tdkt_core::lineage::Predecessor],
    records: Vec<AwardRecord>,
) -> Vec<HistoryEntry> {
    records
        .into_iter()
        .map(|r| {
            let inherited = preds.iter().find(|p| p.unit == r.unit_id).map(|p| {
                let name = lineage
                    .name_at(p.unit, p.effective.previous_day().unwrap_or(p.effective))
                    .unwrap_or_else(|| r.unit_name.clone());
                let what = match p.kind {
                    LineageKind::Split => "chia tách",
                    _ => "sáp nhập",
                };
                format!(
                    "của đơn vị tiền thân {name} trước khi {what} ({})",
                    tdkt_core::date::format_vn(p.effective)
                )
            });
            HistoryEntry {
                record: r,
                inherited,
            }
        })
        .collect()
}
