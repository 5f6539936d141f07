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

use serde::{Deserialize, Serialize};
use tdkt_core::date::today_vn;
use tdkt_core::import::{Report, RowError};
use tdkt_core::org::Unit;
use tdkt_core::person::Gender;
use tdkt_core::text;
use time::{Date, Month};

use super::bulk::{Bulk, NewPerson, Pending};
use super::{catalogue, dedupe_key, RecipientKind};
use crate::audit::{audit, json};
use crate::{with_pool, Backend, Pool, Result, Store, StoreError};

mod check;
mod header;

pub use check::from_cccd;
pub(crate) use check::ImportedRevocation;
use check::{check_rows, in_scope, Batch, Checked, Checker, Staged, CHUNK, IN_FLIGHT};
pub use header::{normalise_header, Column, Header};

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
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImportReport {
    /// Rows read and refused, as every import reports them.
    #[serde(flatten)]
    pub file: Report,
    pub inserted: u64,
    /// Rows already in the registry (or twice in the file): nothing done.
    pub duplicates: u64,
    /// Records turned from valid to revoked by a row marked revoked.
    pub revoked: u64,
    pub people_created: u64,
    /// `false` when refused rows made an all-or-nothing import roll back.
    pub committed: bool,
}

struct PersonEntry {
    id: i64,
    name_key: String,
    name: String,
    unit_id: i64,
}

/// Import state shared by the chunks of one file.
struct Run<'a> {
    header: &'a Header,
    actor: &'a str,
    scope: Option<&'a BTreeSet<i64>>,
    report: ImportReport,
    people: HashMap<String, PersonEntry>,
    revoked_keys: HashSet<String>,
    new_people: Vec<NewPerson>,
    pending: Vec<Pending>,
}

impl Run<'_> {
    fn reject(&mut self, row_no: u64, fields: Vec<String>, (column, message): (String, String)) {
        self.report
            .file
            .reject(RowError::new(row_no, column, message).with_fields(fields));
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
                            search_key: text::search_key(&c.name_key),
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
                let mut $tx = $crate::begin_immediate(p).await?;
                sqlx::query($crate::awards::bulk::SQLITE_IMPORT_CACHE)
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
        I: Iterator<Item = crate::awards::file::RowResult> + Send + 'static,
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
            report: ImportReport {
                file: Report::keeping(opts.max_errors),
                ..ImportReport::default()
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
            let newest = Bulk::defer_newest(&mut *tx).await?;
            let suspend_after = opts
                .rebuild_indexes_after
                .unwrap_or_else(|| Bulk::suspend_after(&*tx, existing));
            let mut rebuild: Option<Vec<String>> = None;
            let mut ended = false;
            while let Some(batch) = rx.recv().await {
                run.report.file.rows += batch.rows;
                if rebuild.is_none() && run.report.inserted >= suspend_after {
                    rebuild = Some(Bulk::suspend_indexes(&mut *tx).await?);
                }
                progress(Progress {
                    checked: run.report.file.rows,
                    done: run.report.file.rows - batch.rows,
                    inserted: run.report.inserted,
                });
                run.chunk(&mut *tx, &self.secrets, batch.staged, &now)
                    .await?;
                progress(Progress {
                    checked: run.report.file.rows,
                    done: run.report.file.rows,
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
                report.file.rows - report.file.rejected_count - report.inserted - report.revoked;
            let commit = opts.skip_invalid || report.file.is_clean();
            if let Some(ddl) = rebuild.filter(|_| commit) {
                // a rollback brings the indexes back by itself
                Bulk::rebuild(&mut *tx, &ddl).await?;
            }
            if let Some(trigger) = newest.filter(|_| commit) {
                // after the rebuild: it reads the person index
                Bulk::catch_up_newest(&mut *tx, existing, &trigger).await?;
            }
            // a re-import that changes nothing leaves no trace either
            let changed = report.inserted + report.revoked + report.people_created > 0;
            if commit && changed {
                let after = serde_json::json!({
                    "file": opts.source_name, "rows": report.file.rows, "inserted": report.inserted,
                    "duplicates": report.duplicates, "revoked": report.revoked,
                    "people_created": report.people_created, "rejected": report.file.rejected_count,
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
                rows = report.file.rows,
                rejected = report.file.rejected_count,
                "nhập khen thưởng bị hủy: có dòng lỗi"
            );
        }
        // PostgreSQL plans from statistics, and reads an index alone only
        // for pages its visibility map marks all-visible; autovacuum sees to
        // both, but later (name_keys, person_keys and award_unit_keys,
        // walked index only, migrations 0051 to 0053, too). Right after a
        // first load of history a name search walked a whole index (no statistics: p95 409 ms at 1 M awards
        // instead of 37) or visited an award row per index entry. A vacuum
        // is outside any transaction, after the commit.
        if report.committed
            && report.inserted >= ANALYZE_AFTER
            && self.backend() == Backend::Postgres
        {
            with_pool!(self, |p| {
                sqlx::raw_sql(
                    "vacuum (analyze) award_records, people, newest_awards, name_keys, person_keys, award_unit_keys",
                )
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
