//! Reminders (*nhắc việc*, issue 14) per account: the open dossiers its
//! level holds that are due within a week or overdue (due dates in working
//! days, as the overdue board counts them), and the indicator reports its
//! units have not sent for a deadline within two weeks or past (up to a
//! quarter back). The digest e-mail of `tdkt remind` is recorded here once
//! per account and day (migration 0043), so running it twice sends once.

use std::collections::BTreeSet;

use tdkt_core::access::{Principal, Role};
use tdkt_core::org::UnitId;
use tdkt_core::period::Period;
use tdkt_core::reminder::{self, Reminder, ReminderKind};
use tdkt_core::DomainError;
use time::{Date, Duration};

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// How far ahead a due dossier is reminded (calendar days).
const DOSSIER_AHEAD: i64 = 7;
/// How far ahead an indicator deadline is reminded.
const REPORT_AHEAD: i64 = 14;
/// How far back a missed indicator deadline is still reminded.
const REPORT_BEHIND: i64 = 92;

/// An account that has an e-mail address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailAccount {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub scope_unit_id: Option<i64>,
    pub email: String,
}

impl MailAccount {
    /// The account as the access rules see it.
    ///
    /// # Errors
    /// A role the core does not know.
    pub fn principal(&self) -> Result<Principal> {
        Ok(Principal {
            user_id: self.id,
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            role: Role::parse(&self.role)?,
            scope_unit: self.scope_unit_id,
        })
    }
}

/// A plain check of an e-mail address: one `@`, something on both sides,
/// a dot in the domain, no spaces; the SMTP server has the last word.
fn check_email(s: &str) -> std::result::Result<(), String> {
    let ok = s.len() <= 254
        && !s.chars().any(char::is_whitespace)
        && s.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "«{s}» không phải địa chỉ thư điện tử hợp lệ (ví dụ: canbo@cantho.gov.vn)."
        ))
    }
}

impl Store {
    /// The reminders of `who` on `today`: overdue first, then by due date.
    ///
    /// # Errors
    /// Database failure; a deadline past the calendar's years.
    pub async fn reminders_for(&self, who: &Principal, today: Date) -> Result<Vec<Reminder>> {
        let scope: Option<BTreeSet<UnitId>> = match (who.role, who.scope_unit) {
            (Role::Admin, _) => None,
            (_, Some(root)) => Some(self.lineage().await?.scope(root)),
            (_, None) => return Ok(Vec::new()),
        };
        let mut out = Vec::new();
        let soon = today + Duration::days(DOSSIER_AHEAD);
        for (s, due) in self.dossiers_due_held(scope.as_ref(), soon).await? {
            out.push(Reminder {
                kind: ReminderKind::Dossier,
                title: format!("Hồ sơ #{}: {} ({})", s.id, s.title, s.holder_name),
                due: due.due,
                overdue: due.due < today,
                link: format!("/dossiers/{}", s.id),
            });
        }
        let window = (
            today - Duration::days(REPORT_BEHIND),
            today + Duration::days(REPORT_AHEAD),
        );
        for r in self
            .unsent_reports(scope.as_ref(), true, Some(window))
            .await?
        {
            let period = Period::parse(&r.period).map_or(r.period, |p| p.label());
            out.push(Reminder {
                kind: ReminderKind::IndicatorReport,
                title: format!(
                    "Báo cáo chỉ tiêu {period} của {} ({})",
                    r.unit_name, r.cluster_name
                ),
                due: r.due_on,
                overdue: r.due_on < today,
                link: format!("/clusters/{}/{}", r.cluster_key, r.cluster_year),
            });
        }
        reminder::sort(&mut out);
        Ok(out)
    }

    /// Sets (or clears, with an empty text) the e-mail address of account
    /// `user_id`, audited.
    ///
    /// # Errors
    /// `Invalid("email")` for an address that is not one; `NotFound`.
    pub async fn set_account_email(&self, actor: &str, user_id: i64, email: &str) -> Result<()> {
        let email = email.trim();
        if !email.is_empty() {
            check_email(email)
                .map_err(|m| StoreError::Invalid(DomainError::invalid("email", m)))?;
        }
        let value = (!email.is_empty()).then(|| email.to_owned());
        write_tx!(self, |tx| {
            let before: Option<Option<String>> =
                sqlx::query_scalar("select email from users where id = $1")
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(before) = before else {
                return Err(StoreError::NotFound(format!("tài khoản #{user_id}")));
            };
            sqlx::query("update users set email = $1 where id = $2")
                .bind(&value)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                actor,
                "user",
                user_id,
                "update",
                json(&serde_json::json!({ "email": before })),
                json(&serde_json::json!({ "email": value }))
            );
        });
        Ok(())
    }

    /// Active accounts that have an e-mail address, by user name.
    ///
    /// # Errors
    /// Database failure.
    pub async fn accounts_with_email(&self) -> Result<Vec<MailAccount>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "select id, username, full_name, role, scope_unit_id, email from users
             where active = true and email is not null and email <> '' order by username"
        )
        .fetch_all(p)
        .await?))
    }

    /// Has account `user_id` been sent its digest for `day`?
    ///
    /// # Errors
    /// Database failure.
    pub async fn reminder_sent(&self, user_id: i64, day: Date) -> Result<bool> {
        let n: i64 = with_pool!(self, |p| sqlx::query_scalar(
            "select count(*) from reminder_mails where user_id = $1 and sent_on = $2"
        )
        .bind(user_id)
        .bind(day)
        .fetch_one(p)
        .await?);
        Ok(n > 0)
    }

    /// Records that the digest of `day` went to `address`, audited; a
    /// second record for the same account and day is refused.
    ///
    /// # Errors
    /// `Conflict("reminder")` when already recorded; database failure.
    pub async fn record_reminder(
        &self,
        actor: &str,
        user_id: i64,
        day: Date,
        address: &str,
        subject: &str,
        items: usize,
    ) -> Result<()> {
        let now = crate::now_rfc3339();
        let items = i32::try_from(items).unwrap_or(i32::MAX);
        write_tx!(self, |tx| {
            let exists: i64 = sqlx::query_scalar(
                "select count(*) from reminder_mails where user_id = $1 and sent_on = $2",
            )
            .bind(user_id)
            .bind(day)
            .fetch_one(&mut *tx)
            .await?;
            if exists > 0 {
                return Err(StoreError::Conflict(
                    "reminder",
                    format!(
                        "Thư nhắc việc ngày {} đã được gửi.",
                        tdkt_core::date::format_vn(day)
                    ),
                ));
            }
            let id: i64 = sqlx::query_scalar(
                "insert into reminder_mails (user_id, sent_on, address, subject, items, sent_at) values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(user_id)
            .bind(day)
            .bind(address)
            .bind(subject)
            .bind(items)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(
                tx,
                actor,
                "reminder_mail",
                id,
                "send",
                None,
                json(
                    &serde_json::json!({"user_id": user_id, "sent_on": day.to_string(), "address": address, "subject": subject, "items": items})
                )
            );
        });
        Ok(())
    }
}
