//! Proposal lists (*danh sách đề nghị*) of a unit for one award and year
//! (issue 6, migration 0009). A list is drafted (people or units added, each
//! with the council's vote share from its minutes or from a closed secret
//! ballot held in tdkt), checked, and submitted. Submitting runs the
//! eligibility engine for every nominee and the quota and vote clauses of
//! the rule in force ([`tdkt_core::eligibility::proposal`]), and refuses a
//! list over a quota (naming the count, the limit and the citation) or with
//! a nominee under the vote threshold or not eligible (naming them).
//!
//! Quotas count in the proposing unit's lineage-aware subtree for the year:
//! those holding the base award in the registry, plus those on the unit's
//! *submitted* lists for that award and year (a list of *Lao động tiên
//! tiến* submitted first is the base of the *Chiến sĩ thi đua cơ sở* list
//! that follows); those rated at least a level; or everyone employed there.
//! One list per unit, award and year, so a quota cannot be split over lists.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;
use tdkt_core::catalogue::Recipient;
use tdkt_core::eligibility::RuleSet;
use tdkt_core::DomainError;
use time::{Date, Month};

use crate::audit::{audit, json};
use crate::{now_rfc3339, with_pool, write_tx, Result, Store, StoreError};

mod check;

pub use check::{EntryCheck, ListCheck};

/// A stored list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProposalList {
    pub id: i64,
    pub unit_id: i64,
    pub year: i32,
    pub award_code: String,
    /// `person` or `unit`.
    pub nominee_kind: String,
    /// `draft` or `submitted`.
    pub status: String,
    pub note: String,
    pub version: i32,
    #[serde(skip)]
    pub check_json: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<String>,
}

impl ProposalList {
    #[must_use]
    pub fn is_draft(&self) -> bool {
        self.status == "draft"
    }

    #[must_use]
    pub fn status_label(&self) -> &'static str {
        if self.is_draft() {
            "đang soạn"
        } else {
            "đã trình"
        }
    }
}

/// A list to open.
#[derive(Debug, Clone, Copy)]
pub struct NewProposalList<'a> {
    /// The proposing unit.
    pub unit_id: i64,
    pub year: i32,
    pub award_code: &'a str,
    /// Individuals or collectives.
    pub kind: Recipient,
    pub note: &'a str,
}

/// A nominee on a list, with the vote recorded for them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProposalEntry {
    pub id: i64,
    pub list_id: i64,
    pub person_id: Option<i64>,
    pub nominee_unit_id: Option<i64>,
    /// Person's full name or unit's name.
    pub name: String,
    pub vote_source: Option<String>,
    pub vote_yes: Option<i32>,
    pub vote_base: Option<i32>,
    pub minutes_ref: String,
    pub ballot_id: Option<i64>,
    pub ballot_candidate: Option<String>,
}

/// Where a nominee's vote share comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoteInput {
    /// `yes` of `base` votes, as the council's minutes record them.
    Minutes {
        yes: u32,
        base: u32,
        minutes_ref: String,
    },
    /// A candidate of a closed secret ballot held in tdkt.
    Ballot { ballot_id: i64, candidate: String },
    /// No vote recorded.
    Clear,
}

/// A nominee's vote as counted for the check.
#[derive(Debug, Clone, Serialize)]
pub struct VoteFigures {
    /// Yes votes of the base the rule in force counts on.
    pub share: tdkt_core::share::Share,
    /// "biên bản …" or "bỏ phiếu kín #…".
    pub source: String,
}

/// Marks the list changed (same transaction as the change).
const BUMP: &str = "update proposal_lists set version = version + 1 where id = $1";
const LIST_SELECT: &str = "select id, unit_id, year, award_code, nominee_kind, status, note, version, check_json, created_by, created_at, submitted_by, submitted_at from proposal_lists";
const ENTRY_SELECT: &str = "select e.id, e.list_id, e.person_id, e.nominee_unit_id,
    coalesce(p.full_name, u.name) as name, e.vote_source, e.vote_yes, e.vote_base, e.minutes_ref, e.ballot_id, e.ballot_candidate
    from proposal_entries e left join people p on p.id = e.person_id left join org_units u on u.id = e.nominee_unit_id";

fn ids(v: impl IntoIterator<Item = i64>) -> String {
    v.into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `'a', 'b'` for codes from the catalogue or the rating enum (lowercase
/// letters, digits and hyphens only, checked), so one statement serves both
/// backends without mixing bound and inlined placeholders.
fn quoted<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    codes
        .into_iter()
        .filter(|c| {
            c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        })
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn year_bounds(year: i32) -> (Date, Date) {
    (
        Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN),
        Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX),
    )
}

fn invalid(field: &'static str, m: impl Into<String>) -> StoreError {
    DomainError::invalid(field, m.into()).into()
}

/// The pct as the pages show it: `66,67%`.
fn pct(d: Decimal) -> String {
    format!("{}%", d.round_dp(2).normalize()).replace('.', ",")
}

impl Store {
    /// Opens a draft list.
    ///
    /// # Errors
    /// Unknown award, an award not given to `kind`, a year the unit did not
    /// exist or in the future; `Conflict` when the unit already has a list
    /// for the award and year.
    pub async fn create_proposal_list(
        &self,
        actor: &str,
        rules: &RuleSet,
        new: &NewProposalList<'_>,
    ) -> Result<ProposalList> {
        let NewProposalList {
            unit_id,
            year,
            award_code,
            kind,
            note,
        } = *new;
        let unit = self.unit(unit_id).await?;
        crate::ratings::check_year(year, tdkt_core::date::today_vn())
            .map_err(|m| invalid("year", format!("Năm đề nghị: {m}")))?;
        if !unit.valid_in_year(year) {
            return Err(invalid(
                "year",
                format!("Đơn vị {} không hoạt động trong năm {year}.", unit.name),
            ));
        }
        let award = rules
            .catalogue()
            .get(award_code.trim())
            .ok_or_else(|| {
                invalid(
                    "award",
                    format!("Mã danh hiệu, hình thức «{award_code}» không có trong danh mục."),
                )
            })?
            .clone();
        if !matches!(kind, Recipient::Individual | Recipient::Collective) || !award.accepts(kind) {
            return Err(invalid(
                "kind",
                format!("«{}» không tặng cho {}.", award.name, kind.label()),
            ));
        }
        let nominee_kind = if kind == Recipient::Collective {
            "unit"
        } else {
            "person"
        };
        let note = note.trim();
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into proposal_lists (unit_id, year, award_code, nominee_kind, status, note, created_by, created_at)
                 values ($1, $2, $3, $4, 'draft', $5, $6, $7) returning id",
            )
            .bind(unit_id)
            .bind(year)
            .bind(&award.code)
            .bind(nominee_kind)
            .bind(note)
            .bind(actor)
            .bind(now_rfc3339())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "award",
                format!(
                    "{} đã có danh sách đề nghị «{}» năm {year}: bổ sung vào danh sách đó.",
                    unit.name, award.name
                ),
            ))?;
            let after = serde_json::json!({
                "unit_id": unit_id, "year": year, "award": award.code, "nominee_kind": nominee_kind, "note": note,
            });
            audit!(tx, actor, "proposal_list", id, "create", None, json(&after));
            id
        });
        self.proposal_list(id).await
    }

    /// # Errors
    /// `NotFound`, database failure.
    pub async fn proposal_list(&self, id: i64) -> Result<ProposalList> {
        let row: Option<ProposalList> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{LIST_SELECT} where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("danh sách đề nghị #{id}")))
    }

    /// The lists of a unit, newest year first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn proposal_lists_of(&self, unit_id: i64) -> Result<Vec<ProposalList>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{LIST_SELECT} where unit_id = $1 order by year desc, award_code, id"
        ))
        .bind(unit_id)
        .fetch_all(p)
        .await?))
    }

    /// # Errors
    /// Database failure.
    pub async fn proposal_entries(&self, list_id: i64) -> Result<Vec<ProposalEntry>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{ENTRY_SELECT} where e.list_id = $1 order by e.id"
        ))
        .bind(list_id)
        .fetch_all(p)
        .await?))
    }

    /// # Errors
    /// `NotFound`, database failure.
    pub async fn proposal_entry(&self, entry_id: i64) -> Result<ProposalEntry> {
        let row: Option<ProposalEntry> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{ENTRY_SELECT} where e.id = $1"
        ))
        .bind(entry_id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("người được đề nghị #{entry_id}")))
    }

    fn draft_only(list: &ProposalList) -> Result<()> {
        if list.is_draft() {
            Ok(())
        } else {
            Err(StoreError::Conflict(
                "status",
                "Danh sách đã trình: không sửa được nữa.".into(),
            ))
        }
    }

    /// People with an employment period in `scope` touching `year`, by name
    /// (those a unit may propose), at most `limit`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn people_employed_in(
        &self,
        scope: &BTreeSet<i64>,
        year: i32,
        limit: i64,
    ) -> Result<Vec<(i64, String)>> {
        if scope.is_empty() {
            return Ok(Vec::new());
        }
        let (from, to) = year_bounds(year);
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "select p.id, p.full_name from people p where p.id in (
                select person_id from employment_periods where unit_id in ({})
                and start_date <= $1 and (end_date is null or end_date >= $2))
             order by p.search_key, p.id limit $3",
            ids(scope.iter().copied())
        ))
        .bind(to)
        .bind(from)
        .bind(limit)
        .fetch_all(p)
        .await?))
    }

    /// Adds a person (or a unit, on a list of units) to a draft list. The
    /// nominee must belong to the proposing unit's subtree in the list's year.
    ///
    /// # Errors
    /// `Invalid` with the reason, `Conflict` (already on the list, or the
    /// list is submitted), `NotFound`.
    pub async fn add_proposal_entry(
        &self,
        actor: &str,
        list_id: i64,
        nominee: i64,
    ) -> Result<ProposalEntry> {
        let list = self.proposal_list(list_id).await?;
        Self::draft_only(&list)?;
        let lineage = self.lineage().await?;
        let scope = lineage.scope(list.unit_id);
        let unit = self.unit(list.unit_id).await?;
        // A nominee outside the list's unit (or out of the caller's scope,
        // which the list's unit bounds) answers exactly as a missing one:
        // the message names neither the person nor where they work (issue 12).
        let (pid, uid, name) = if list.nominee_kind == "unit" {
            let absent = || {
                invalid(
                    "nominee",
                    format!(
                        "Không có đơn vị #{nominee} thuộc {} trong năm {}: không đề nghị được.",
                        unit.name, list.year
                    ),
                )
            };
            let u = self.unit(nominee).await.map_err(|_| absent())?;
            if !scope.contains(&u.id) || !u.valid_in_year(list.year) {
                return Err(absent());
            }
            (None, Some(u.id), u.name)
        } else {
            let absent = || {
                invalid(
                    "nominee",
                    format!(
                        "Không có người #{nominee} công tác tại {} hoặc đơn vị trực thuộc trong năm {}: không đề nghị được.",
                        unit.name, list.year
                    ),
                )
            };
            let p = self.person(nominee).await.map_err(|_| absent())?;
            let here = self
                .people_employed_in(&scope, list.year, i64::MAX)
                .await?
                .iter()
                .any(|(id, _)| *id == p.id);
            if !here {
                return Err(absent());
            }
            (Some(p.id), None, p.full_name)
        };
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into proposal_entries (list_id, person_id, nominee_unit_id, created_at)
                 values ($1, $2, $3, $4) returning id",
            )
            .bind(list_id)
            .bind(pid)
            .bind(uid)
            .bind(now_rfc3339())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "nominee",
                format!("{name} đã có trong danh sách."),
            ))?;
            sqlx::query(BUMP).bind(list_id).execute(&mut *tx).await?;
            let after = serde_json::json!({"list_id": list_id, "person_id": pid, "unit_id": uid});
            audit!(
                tx,
                actor,
                "proposal_entry",
                id,
                "create",
                None,
                json(&after)
            );
            id
        });
        self.proposal_entry(id).await
    }

    /// Takes a nominee off a draft list (audited with what was recorded).
    ///
    /// # Errors
    /// `Conflict` on a submitted list, `NotFound`.
    pub async fn remove_proposal_entry(&self, actor: &str, entry_id: i64) -> Result<()> {
        let entry = self.proposal_entry(entry_id).await?;
        let list = self.proposal_list(entry.list_id).await?;
        Self::draft_only(&list)?;
        write_tx!(self, |tx| {
            sqlx::query("delete from proposal_entries where id = $1")
                .bind(entry_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(BUMP).bind(list.id).execute(&mut *tx).await?;
            audit!(
                tx,
                actor,
                "proposal_entry",
                entry_id,
                "delete",
                json(&entry),
                None
            );
        });
        Ok(())
    }

    /// Records where a nominee's vote share comes from.
    ///
    /// # Errors
    /// `Invalid`: more yes than votes, an empty base, a ballot that is not
    /// closed, not the council of the unit or above, or without that
    /// candidate; `Conflict` on a submitted list.
    pub async fn set_entry_vote(
        &self,
        actor: &str,
        entry_id: i64,
        vote: &VoteInput,
    ) -> Result<ProposalEntry> {
        let entry = self.proposal_entry(entry_id).await?;
        let list = self.proposal_list(entry.list_id).await?;
        Self::draft_only(&list)?;
        let (source, yes, base, minutes_ref, ballot, candidate) = match vote {
            VoteInput::Clear => (None, None, None, String::new(), None, None),
            VoteInput::Minutes {
                yes,
                base,
                minutes_ref,
            } => {
                if *base == 0 {
                    return Err(invalid(
                        "vote_base",
                        "Tổng số phiếu (thành viên Hội đồng) phải lớn hơn 0.",
                    ));
                }
                if yes > base {
                    return Err(invalid(
                        "vote_yes",
                        format!("Số phiếu đồng ý ({yes}) lớn hơn tổng số phiếu ({base})."),
                    ));
                }
                let to_i32 = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
                (
                    Some("minutes"),
                    Some(to_i32(*yes)),
                    Some(to_i32(*base)),
                    minutes_ref.trim().to_owned(),
                    None,
                    None,
                )
            }
            VoteInput::Ballot {
                ballot_id,
                candidate,
            } => {
                let b = self.ballot(*ballot_id).await.map_err(|_| {
                    invalid("ballot", format!("Không có cuộc bỏ phiếu #{ballot_id}."))
                })?;
                let lineage = self.lineage().await?;
                if !lineage.ancestry(list.unit_id).contains(&b.unit_id)
                    && !lineage.scope(list.unit_id).contains(&b.unit_id)
                {
                    return Err(invalid(
                        "ballot",
                        format!(
                            "Cuộc bỏ phiếu «{}» không phải của Hội đồng đơn vị này hoặc cấp trên.",
                            b.spec.title
                        ),
                    ));
                }
                if !b.closed {
                    return Err(invalid(
                        "ballot",
                        format!("Cuộc bỏ phiếu «{}» chưa kết thúc.", b.spec.title),
                    ));
                }
                if !b.spec.candidates.iter().any(|c| c.id.0 == *candidate) {
                    return Err(invalid(
                        "ballot",
                        format!(
                            "Cuộc bỏ phiếu «{}» không có ứng viên «{candidate}».",
                            b.spec.title
                        ),
                    ));
                }
                (
                    Some("ballot"),
                    None,
                    None,
                    String::new(),
                    Some(*ballot_id),
                    Some(candidate.clone()),
                )
            }
        };
        write_tx!(self, |tx| {
            sqlx::query(
                "update proposal_entries set vote_source = $1, vote_yes = $2, vote_base = $3, minutes_ref = $4, ballot_id = $5, ballot_candidate = $6 where id = $7",
            )
            .bind(source)
            .bind(yes)
            .bind(base)
            .bind(&minutes_ref)
            .bind(ballot)
            .bind(&candidate)
            .bind(entry_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(BUMP).bind(list.id).execute(&mut *tx).await?;
            let after = serde_json::json!({
                "vote_source": source, "vote_yes": yes, "vote_base": base, "minutes_ref": minutes_ref,
                "ballot_id": ballot, "ballot_candidate": candidate,
            });
            audit!(
                tx,
                actor,
                "proposal_entry",
                entry_id,
                "vote",
                json(&entry),
                json(&after)
            );
        });
        self.proposal_entry(entry_id).await
    }
}
