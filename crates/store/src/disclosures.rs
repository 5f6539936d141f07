//! Public disclosure (*công khai*) of dossiers before the council (issue 14,
//! migration 0042; the rule in [`tdkt_core::dossier::disclosure`]).
//!
//! An officer of the level holding some dossiers publishes them, with a
//! short achievement summary each, for a window of at least the catalogue's
//! working days (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP); each dossier's timeline
//! records it. Anyone may comment without signing in, at most
//! [`COMMENT_LIMIT`] comments per client address per [`COMMENT_WINDOW_MS`]
//! (counted in the shared `rate_buckets`, like sign-in failures); a comment
//! is stored pending and shown publicly only once an officer of the level
//! approved it, or dismissed with a reason that stays. The council asks
//! [`Store::disclosure_complete`] before taking a dossier, and its minutes
//! cite [`Store::comment_summary`].
//!
//! What the public sees of a candidate is its name, unit, award and the
//! summary the officer wrote: never a CCCD, never a birth date (the queries
//! of [`PublicCandidate`] do not select them).

use std::collections::BTreeSet;

use serde::Serialize;
use tdkt_core::access::Principal;
use tdkt_core::dossier::disclosure::{
    self, CommentSummary, DisclosureStanding, NewComment, Window, DEFAULT_CITATION, DEFAULT_DAYS,
};
use tdkt_core::dossier::Status;
use tdkt_core::org::UnitId;
use tdkt_core::DomainError;
use time::{Date, OffsetDateTime};

use crate::audit::{audit, json};
use crate::{id_list, now_rfc3339, with_pool, write_tx, Result, Store, StoreError};

/// Comments one client address may post per window.
pub use tdkt_core::throttle::{COMMENT_LIMIT, COMMENT_WINDOW_MS};

/// Who writes a public comment in the audit log (no account).
pub const PUBLIC_ACTOR: &str = "(công chúng)";

/// A stored disclosure.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Disclosure {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub required_days: i32,
    pub citation: String,
    pub created_by: String,
    pub created_at: String,
}

impl Disclosure {
    /// Is the comment form open on `today`?
    #[must_use]
    pub fn open_on(&self, today: Date) -> bool {
        self.starts_on <= today && today <= self.ends_on
    }
}

const SELECT: &str = "select d.id, d.unit_id, u.name as unit_name, d.title, d.starts_on, d.ends_on, d.required_days, d.citation, d.created_by, d.created_at
    from disclosures d join org_units u on u.id = d.unit_id";

/// One candidate as the public page shows it: no CCCD, no birth date.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PublicCandidate {
    pub dossier_id: i64,
    pub award_code: String,
    pub year: i32,
    /// The person's, unit's or household's name.
    pub name: String,
    /// The person's unit, or the dossier's unit.
    pub unit_name: String,
    pub summary: String,
}

/// A comment.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    pub disclosure_id: i64,
    pub dossier_id: i64,
    pub author_name: Option<String>,
    pub contact: Option<String>,
    pub body: String,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: String,
    pub moderated_by: Option<String>,
    pub moderated_at: Option<String>,
}

impl Comment {
    #[must_use]
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "pending" => "chờ xử lý",
            "approved" => "đã đăng công khai",
            "dismissed" => "không chấp nhận",
            _ => "?",
        }
    }
}

const COMMENT: &str = "select id, disclosure_id, dossier_id, author_name, contact, body, status, reason, created_at, moderated_by, moderated_at from disclosure_comments";

/// A disclosure to publish.
#[derive(Debug, Clone)]
pub struct NewDisclosure {
    pub title: String,
    pub starts_on: Date,
    /// `None`: the shortest window the rules allow.
    pub ends_on: Option<Date>,
    /// The dossiers and the achievement summary shown for each.
    pub dossiers: Vec<(i64, String)>,
}

/// What an officer decides about a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    Approve,
    Dismiss { reason: String },
}

/// The answer to a comment posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    /// Stored, pending moderation.
    Stored(i64),
    /// Too many comments from this address: try again after this instant
    /// (ms since the epoch). Nothing was stored.
    Throttled { retry_at_ms: i64 },
}

fn invalid(field: &'static str, m: impl Into<String>) -> StoreError {
    DomainError::invalid(field, m.into()).into()
}

impl Store {
    /// The working days and citation a disclosure of `dossier_id` needs: its
    /// award's rule where it is opened, or the default period.
    async fn disclosure_rule(
        &self,
        dossier_id: i64,
        on: Date,
    ) -> Result<Option<tdkt_core::dossier::disclosure::DisclosureRule>> {
        let d = self.dossier(dossier_id).await?;
        let rules = crate::rules::current();
        let Some(award) = rules.catalogue().get(&d.award_code).cloned() else {
            return Ok(None);
        };
        let units: std::collections::HashMap<i64, tdkt_core::org::Unit> =
            self.units().await?.into_iter().map(|u| (u.id, u)).collect();
        let scope = crate::dossiers::scope_codes(&units, d.unit_id);
        let refs: Vec<&str> = scope.iter().map(String::as_str).collect();
        Ok(rules
            .catalogue()
            .procedures()
            .disclosure(&award, &refs, on)
            .cloned())
    }

    /// Publishes dossiers held at `who`'s level for public comment, from
    /// `starts_on` (today or later) to `ends_on` (at least the longest
    /// period any of them needs, counted in working days; the shortest when
    /// not given): the disclosure, one timeline row per dossier and the
    /// audit event, in one transaction.
    ///
    /// # Errors
    /// No dossier, a dossier not held at `who`'s level or already settled,
    /// a window too short or in the past, a summary too long; `NotFound`.
    pub async fn publish_disclosure(
        &self,
        who: &Principal,
        new: &NewDisclosure,
        today: Date,
    ) -> Result<i64> {
        let title = new.title.trim();
        if title.is_empty() {
            return Err(invalid("title", "Chưa nhập tiêu đề công khai."));
        }
        if new.dossiers.is_empty() {
            return Err(invalid("dossiers", "Chọn ít nhất một hồ sơ để công khai."));
        }
        let mut unit: Option<i64> = None;
        let (mut days, mut citation) = (DEFAULT_DAYS, DEFAULT_CITATION.to_owned());
        let mut seen = BTreeSet::new();
        let mut held = Vec::new();
        for (id, summary) in &new.dossiers {
            if !seen.insert(*id) {
                continue;
            }
            if summary.trim().chars().count() > disclosure::MAX_SUMMARY {
                return Err(invalid(
                    "summary",
                    format!(
                        "Tóm tắt thành tích của hồ sơ #{id} dài quá {} ký tự.",
                        disclosure::MAX_SUMMARY
                    ),
                ));
            }
            let d = self.dossier_for_holder(who, *id).await?;
            let status = Status::parse(&d.status)?;
            if !(status.is_open() || status == Status::Ready) {
                return Err(invalid(
                    "dossiers",
                    format!(
                        "Hồ sơ #{id} đang ở trạng thái «{}»: không công khai được.",
                        status.label()
                    ),
                ));
            }
            let steps = self.dossier_steps(*id).await?;
            let holder = steps
                .iter()
                .find(|s| s.position == d.step)
                .map(|s| s.unit_id)
                .ok_or_else(|| StoreError::NotFound(format!("cấp đang giữ hồ sơ #{id}")))?;
            if unit.is_some_and(|u| u != holder) {
                return Err(invalid(
                    "dossiers",
                    "Các hồ sơ công khai cùng lúc phải đang ở cùng một cấp.",
                ));
            }
            unit = Some(holder);
            if let Some(rule) = self.disclosure_rule(*id, new.starts_on).await? {
                if rule.days > days {
                    days = rule.days;
                    citation.clone_from(&rule.citation);
                } else if rule.days == days {
                    citation.clone_from(&rule.citation);
                }
            }
            held.push((d, summary.trim().to_owned()));
        }
        let rules = crate::rules::current();
        let min = disclosure::minimum_end(rules.calendar(), new.starts_on, days)
            .map_err(|e| invalid("starts_on", e.to_string()))?;
        let ends_on = new.ends_on.unwrap_or(min.due);
        disclosure::check_window(new.starts_on, ends_on, today, &min)?;
        let unit = unit.unwrap_or_default();
        let actor = who.username.as_str();
        let now = now_rfc3339();
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into disclosures (unit_id, title, starts_on, ends_on, required_days, citation, created_by, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
            )
            .bind(unit)
            .bind(title)
            .bind(new.starts_on)
            .bind(ends_on)
            .bind(i32::try_from(days).unwrap_or(i32::MAX))
            .bind(&citation)
            .bind(actor)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            let period = format!(
                "từ {} đến hết {} ({} ngày làm việc trở lên, {citation})",
                tdkt_core::date::format_vn(new.starts_on),
                tdkt_core::date::format_vn(ends_on),
                days
            );
            for (d, summary) in &held {
                sqlx::query(
                    "insert into disclosure_dossiers (disclosure_id, dossier_id, summary) values ($1, $2, $3)",
                )
                .bind(id)
                .bind(d.id)
                .bind(summary)
                .execute(&mut *tx)
                .await?;
                let detail =
                    serde_json::json!({"disclosure_id": id, "disclosure": period, "title": title});
                sqlx::query(
                    "insert into dossier_events (dossier_id, at, actor, action, step, from_status, to_status, detail) values ($1, $2, $3, 'disclose', $4, $5, $5, $6)",
                )
                .bind(d.id)
                .bind(&now)
                .bind(actor)
                .bind(d.step)
                .bind(&d.status)
                .bind(detail.to_string())
                .execute(&mut *tx)
                .await?;
            }
            let after = serde_json::json!({
                "unit_id": unit, "title": title, "starts_on": new.starts_on.to_string(),
                "ends_on": ends_on.to_string(), "required_days": days, "citation": citation,
                "dossiers": held.iter().map(|(d, _)| d.id).collect::<Vec<_>>(),
            });
            audit!(tx, actor, "disclosure", id, "publish", None, json(&after));
            id
        });
        Ok(id)
    }

    /// # Errors
    /// `NotFound`, database failure.
    pub async fn disclosure(&self, id: i64) -> Result<Disclosure> {
        let row: Option<Disclosure> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{SELECT} where d.id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("đợt công khai #{id}")))
    }

    /// Disclosures whose window holds `today`, ending soonest first: the
    /// public list.
    ///
    /// # Errors
    /// Database failure.
    pub async fn open_disclosures(&self, today: Date) -> Result<Vec<Disclosure>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{SELECT} where d.starts_on <= $1 and d.ends_on >= $1 order by d.ends_on, d.id"
        ))
        .bind(today)
        .fetch_all(p)
        .await?))
    }

    /// Disclosures published by a level in `scope` (`None`: all), newest
    /// first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn disclosures_in_scope(
        &self,
        scope: Option<&BTreeSet<UnitId>>,
    ) -> Result<Vec<Disclosure>> {
        let filter = scope.map_or_else(String::new, |s| {
            format!(" where d.unit_id in ({})", id_list(s))
        });
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{SELECT}{filter} order by d.id desc"
        ))
        .fetch_all(p)
        .await?))
    }

    /// The disclosures a dossier was published in, oldest first, with the
    /// summary shown for it.
    ///
    /// # Errors
    /// Database failure.
    pub async fn dossier_disclosures(&self, dossier_id: i64) -> Result<Vec<Disclosure>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(&format!(
            "{SELECT} join disclosure_dossiers x on x.disclosure_id = d.id where x.dossier_id = $1 order by d.starts_on, d.id"
        ))
        .bind(dossier_id)
        .fetch_all(p)
        .await?
        }))
    }

    /// The candidates of a disclosure as the public sees them.
    ///
    /// # Errors
    /// Database failure.
    pub async fn disclosure_candidates(&self, id: i64) -> Result<Vec<PublicCandidate>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "select x.dossier_id, d.award_code, d.year,
                coalesce(p.full_name, ru.name, r.household_name) as name,
                coalesce(pu.name, du.name) as unit_name, x.summary
             from disclosure_dossiers x
             join dossiers d on d.id = x.dossier_id
             join org_units du on du.id = d.unit_id
             join dossier_recipients r on r.dossier_id = d.id
             left join people p on p.id = r.person_id
             left join org_units pu on pu.id = p.unit_id
             left join org_units ru on ru.id = r.recipient_unit_id
             where x.disclosure_id = $1 order by x.dossier_id, r.id"
        )
        .bind(id)
        .fetch_all(p)
        .await?))
    }

    /// Approved comments of a disclosure, oldest first: all the public sees
    /// of what others wrote (without their contact).
    ///
    /// # Errors
    /// Database failure.
    pub async fn approved_comments(&self, disclosure_id: i64) -> Result<Vec<Comment>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{COMMENT} where disclosure_id = $1 and status = 'approved' order by id"
        ))
        .bind(disclosure_id)
        .fetch_all(p)
        .await?))
    }

    /// Every comment on a dossier, newest first (officers).
    ///
    /// # Errors
    /// Database failure.
    pub async fn dossier_comments(&self, dossier_id: i64) -> Result<Vec<Comment>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{COMMENT} where dossier_id = $1 order by id desc"
        ))
        .bind(dossier_id)
        .fetch_all(p)
        .await?))
    }

    /// Pending comments on disclosures of levels in `scope` (`None`: all),
    /// oldest first: the moderation list.
    ///
    /// # Errors
    /// Database failure.
    pub async fn pending_comments(&self, scope: Option<&BTreeSet<UnitId>>) -> Result<Vec<Comment>> {
        let filter = scope.map_or_else(String::new, |s| {
            format!(
                " and disclosure_id in (select id from disclosures where unit_id in ({}))",
                id_list(s)
            )
        });
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{COMMENT} where status = 'pending'{filter} order by id"
        ))
        .fetch_all(p)
        .await?))
    }

    /// # Errors
    /// `NotFound`, database failure.
    pub async fn comment(&self, id: i64) -> Result<Comment> {
        let row: Option<Comment> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{COMMENT} where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("ý kiến #{id}")))
    }

    /// Stores a comment from the public on dossier `dossier_id` of disclosure
    /// `disclosure_id`, pending moderation, if the address `client` has not
    /// used up its [`COMMENT_LIMIT`] (the attempt counts even when refused
    /// afterwards, so a flood of bad posts is throttled too).
    ///
    /// # Errors
    /// The disclosure not open on `now`'s day in Việt Nam, a dossier not in
    /// it (`NotFound`), a comment that does not parse.
    pub async fn post_comment(
        &self,
        disclosure_id: i64,
        dossier_id: i64,
        comment: &NewComment,
        client: &str,
        now: OffsetDateTime,
    ) -> Result<Posted> {
        let d = self.disclosure(disclosure_id).await?;
        let today = now.to_offset(tdkt_core::date::VN_OFFSET).date();
        if !d.open_on(today) {
            return Err(invalid(
                "comment",
                format!(
                    "Đợt công khai «{}» nhận ý kiến từ {} đến hết {}: hiện không nhận ý kiến.",
                    d.title,
                    tdkt_core::date::format_vn(d.starts_on),
                    tdkt_core::date::format_vn(d.ends_on)
                ),
            ));
        }
        let member: Option<i64> = with_pool!(self, |p| {
            sqlx::query_scalar(
            "select dossier_id from disclosure_dossiers where disclosure_id = $1 and dossier_id = $2"
        )
        .bind(disclosure_id)
        .bind(dossier_id)
        .fetch_optional(p)
        .await?
        });
        if member.is_none() {
            return Err(StoreError::NotFound(format!(
                "hồ sơ #{dossier_id} trong đợt công khai #{disclosure_id}"
            )));
        }
        let hit = self
            .hit(
                &format!("comment:address:{client}"),
                COMMENT_WINDOW_MS,
                COMMENT_LIMIT,
                now,
            )
            .await?;
        if !hit.allowed {
            return Ok(Posted::Throttled {
                retry_at_ms: hit.retry_at_ms,
            });
        }
        let at = now_rfc3339();
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into disclosure_comments (disclosure_id, dossier_id, author_name, contact, body, status, created_at)
                 values ($1, $2, $3, $4, $5, 'pending', $6) returning id",
            )
            .bind(disclosure_id)
            .bind(dossier_id)
            .bind(&comment.author)
            .bind(&comment.contact)
            .bind(&comment.body)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
            // the contact is personal data: the log says only whether one was given
            let after = serde_json::json!({
                "disclosure_id": disclosure_id, "dossier_id": dossier_id,
                "author": comment.author, "contact_given": comment.contact.is_some(),
                "body": comment.body, "status": "pending",
            });
            audit!(
                tx,
                PUBLIC_ACTOR,
                "disclosure_comment",
                id,
                "create",
                None,
                json(&after)
            );
            id
        });
        Ok(Posted::Stored(id))
    }

    /// Approves (then shown publicly) or dismisses (reason kept) a pending
    /// comment, for an officer of the level that published it: the comment,
    /// a row on its dossier's timeline and the audit event in one
    /// transaction.
    ///
    /// # Errors
    /// Not an officer of that level (`Conflict("actor")`), a comment already
    /// handled, a dismissal without reason; `NotFound`.
    pub async fn moderate_comment(
        &self,
        who: &Principal,
        id: i64,
        m: &Moderation,
    ) -> Result<Comment> {
        let c = self.comment(id).await?;
        let d = self.disclosure(c.disclosure_id).await?;
        if who.role != tdkt_core::access::Role::Admin && who.scope_unit != Some(d.unit_id) {
            return Err(StoreError::Conflict(
                "actor",
                format!(
                    "Ý kiến #{id} thuộc đợt công khai của «{}»: chỉ cán bộ của cấp này được xử lý.",
                    d.unit_name
                ),
            ));
        }
        let (status, reason, action) = match m {
            Moderation::Approve => ("approved", None, "approve"),
            Moderation::Dismiss { reason } => {
                let r = reason.trim();
                if r.is_empty() {
                    return Err(invalid("reason", "Ghi lý do không chấp nhận ý kiến."));
                }
                ("dismissed", Some(r.to_owned()), "dismiss")
            }
        };
        let actor = who.username.as_str();
        let now = now_rfc3339();
        write_tx!(self, |tx| {
            let n = sqlx::query(
                "update disclosure_comments set status = $1, reason = $2, moderated_by = $3, moderated_at = $4
                 where id = $5 and status = 'pending'",
            )
            .bind(status)
            .bind(&reason)
            .bind(actor)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(invalid(
                    "comment",
                    format!("Ý kiến #{id} đã được xử lý trước đó."),
                ));
            }
            let (step, dstatus): (i32, String) =
                sqlx::query_as("select step, status from dossiers where id = $1")
                    .bind(c.dossier_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let detail = match &reason {
                Some(r) => serde_json::json!({"comment_id": id, "reason": r}),
                None => serde_json::json!({"comment_id": id}),
            };
            let event = if action == "approve" {
                "comment_approve"
            } else {
                "comment_dismiss"
            };
            sqlx::query(
                "insert into dossier_events (dossier_id, at, actor, action, step, from_status, to_status, detail) values ($1, $2, $3, $4, $5, $6, $6, $7)",
            )
            .bind(c.dossier_id)
            .bind(&now)
            .bind(actor)
            .bind(event)
            .bind(step)
            .bind(&dstatus)
            .bind(detail.to_string())
            .execute(&mut *tx)
            .await?;
            let after =
                serde_json::json!({"status": status, "reason": reason, "dossier_id": c.dossier_id});
            if action == "approve" {
                audit!(
                    tx,
                    actor,
                    "disclosure_comment",
                    id,
                    "approve",
                    Some(r#"{"status":"pending"}"#.to_owned()),
                    json(&after)
                );
            } else {
                audit!(
                    tx,
                    actor,
                    "disclosure_comment",
                    id,
                    "dismiss",
                    Some(r#"{"status":"pending"}"#.to_owned()),
                    json(&after)
                );
            }
        });
        self.comment(id).await
    }

    /// Has dossier `dossier_id`'s required disclosure run its full period
    /// by `on` (the day the council meets)? With the reason in Vietnamese:
    /// what a council session checks before taking the dossier (khoản 2
    /// Điều 44 NĐ 152/2025/NĐ-CP).
    ///
    /// # Errors
    /// `NotFound`; a window outside the working-day calendar.
    pub async fn disclosure_complete(
        &self,
        dossier_id: i64,
        on: Date,
    ) -> Result<DisclosureStanding> {
        let d = self.dossier(dossier_id).await?;
        let rule = self
            .disclosure_rule(dossier_id, d.received_on.max(on))
            .await?;
        let windows: Vec<Window> = self
            .dossier_disclosures(dossier_id)
            .await?
            .into_iter()
            .map(|x| Window {
                disclosure_id: x.id,
                starts_on: x.starts_on,
                ends_on: x.ends_on,
            })
            .collect();
        // a dossier under the simplified procedure is not published
        // (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP, "trừ … thủ tục đơn giản")
        let simplified = d.procedure == tdkt_core::dossier::procedure::Procedure::Simplified.code();
        let rules = crate::rules::current();
        disclosure::standing(rule.as_ref(), simplified, &windows, on, rules.calendar())
            .map_err(|e| invalid("disclosure", e.to_string()))
    }

    /// How many comments dossier `dossier_id` received and how they were
    /// handled: what the council's minutes name.
    ///
    /// # Errors
    /// Database failure.
    pub async fn comment_summary(&self, dossier_id: i64) -> Result<CommentSummary> {
        let rows: Vec<(String, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "select status, count(*) from disclosure_comments where dossier_id = $1 group by status"
        )
        .bind(dossier_id)
        .fetch_all(p)
        .await?
        });
        let mut s = CommentSummary::default();
        for (status, n) in rows {
            let n = u64::try_from(n).unwrap_or(0);
            s.received += n;
            match status.as_str() {
                "approved" => s.approved += n,
                "dismissed" => s.dismissed += n,
                _ => s.pending += n,
            }
        }
        Ok(s)
    }
}
