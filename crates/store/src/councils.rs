//! Councils (*Hội đồng Thi đua - Khen thưởng*, issue 14, migration 0041):
//! a unit's council as dated membership (who, with which role, from when to
//! when), and (`councils/sessions.rs`) its sessions: an agenda of dossiers
//! held at the unit's level, attendance, the quorum, one secret ballot per
//! session with a yes/no question per dossier (the ballot module: voters =
//! the members present), and each dossier's result, counted on the whole
//! membership where khoản 5 Điều 33 NĐ 152/2025/NĐ-CP says so.
//!
//! The rules (quorum, shares) are data, `council/hoi-dong.toml`, read by
//! [`tdkt_core::council`]; the store fixes the rule applied when voting
//! opens, so a later edit of the file does not change a session's result.
//!
//! A dossier whose award needs the council's minutes
//! ([`tdkt_core::council::MINUTES_DOCUMENTS`] in its checklist) and which is
//! held by a unit that has a council does not leave that level without a
//! passed vote ([`Store::council_gate`], called by the forward act). The
//! passed vote also answers the checklist's minutes item: the minutes are
//! generated from the recorded result (the web serves them as HTML and
//! DOCX), so the item links to the session instead of holding an uploaded
//! copy that could disagree with the vote.

use serde::Serialize;
use tdkt_core::council::{MemberRole, MINUTES_DOCUMENTS};
use tdkt_core::org::UnitId;
use tdkt_core::DomainError;
use time::Date;

use crate::audit::{audit, json};
use crate::dossiers::DossierView;
use crate::{now_rfc3339, with_pool, write_tx, Result, Store, StoreError};

mod sessions;

pub use sessions::{AgendaItem, CouncilSession, NewSession, SessionView};

/// One member of a council.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CouncilMember {
    pub id: i64,
    pub unit_id: i64,
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub from_date: Date,
    pub to_date: Option<Date>,
}

impl CouncilMember {
    #[must_use]
    pub fn role(&self) -> MemberRole {
        MemberRole::parse(&self.role).unwrap_or(MemberRole::Member)
    }

    /// A member on `on`.
    #[must_use]
    pub fn serves_on(&self, on: Date) -> bool {
        self.from_date <= on && self.to_date.is_none_or(|t| on <= t)
    }
}

const MEMBER_SELECT: &str =
    "select m.id, m.unit_id, m.user_id, u.username, u.full_name, m.role, m.from_date, m.to_date
    from council_members m join users u on u.id = m.user_id";

/// A member to add.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub username: String,
    pub role: MemberRole,
    pub from: Date,
    pub to: Option<Date>,
}

impl NewMember {
    /// Reads the members form (dates dd/mm/yyyy, `to` may be empty).
    ///
    /// # Errors
    /// A field that does not read, naming it.
    pub fn parse(username: &str, role: &str, from: &str, to: &str) -> Result<Self> {
        let username = username.trim().to_lowercase();
        if username.is_empty() {
            return Err(
                DomainError::invalid("username", "Cần nhập tên đăng nhập của thành viên.").into(),
            );
        }
        let day = |field: &'static str, s: &str| {
            tdkt_core::date::parse(s.trim()).map_err(|m| DomainError::invalid(field, m))
        };
        let from = day("from", from)?;
        let to = if to.trim().is_empty() {
            None
        } else {
            Some(day("to", to)?)
        };
        if to.is_some_and(|t| t < from) {
            return Err(DomainError::invalid(
                "to",
                "Ngày thôi là thành viên phải sau ngày bắt đầu.",
            )
            .into());
        }
        Ok(Self {
            username,
            role: MemberRole::parse(role)?,
            from,
            to,
        })
    }
}

impl Store {
    /// Adds a member to the council of `unit_id`. One account holds one
    /// seat at a time; a council has one chair at a time.
    ///
    /// # Errors
    /// Unknown account, overlapping membership or a second chair (field
    /// named), unknown unit.
    pub async fn add_council_member(
        &self,
        actor: &str,
        unit_id: UnitId,
        m: &NewMember,
    ) -> Result<i64> {
        let unit = self.unit(unit_id).await?;
        let user: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "select id from users where username = $1"
        )
        .bind(&m.username)
        .fetch_optional(p)
        .await?);
        let user = user.ok_or_else(|| {
            DomainError::invalid(
                "username",
                format!("Không tìm thấy tài khoản «{}».", m.username),
            )
        })?;
        let existing = self.council_members_all(unit_id).await?;
        let overlaps = |x: &CouncilMember| {
            x.from_date <= m.to.unwrap_or(Date::MAX) && m.from <= x.to_date.unwrap_or(Date::MAX)
        };
        if let Some(x) = existing.iter().find(|x| x.user_id == user && overlaps(x)) {
            return Err(DomainError::invalid(
                "username",
                format!(
                    "«{}» đã là {} của Hội đồng {} từ {}: kết thúc nhiệm kỳ đó trước khi thêm lại.",
                    x.full_name,
                    x.role().label(),
                    unit.name,
                    tdkt_core::date::format_vn(x.from_date)
                ),
            )
            .into());
        }
        if m.role == MemberRole::Chair {
            if let Some(x) = existing
                .iter()
                .find(|x| x.role() == MemberRole::Chair && overlaps(x))
            {
                return Err(DomainError::invalid(
                    "role",
                    format!(
                        "Hội đồng {} đã có Chủ tịch ({}) trong thời gian này.",
                        unit.name, x.full_name
                    ),
                )
                .into());
            }
        }
        let now = now_rfc3339();
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into council_members (unit_id, user_id, role, from_date, to_date, created_by, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7) returning id",
            )
            .bind(unit_id)
            .bind(user)
            .bind(m.role.code())
            .bind(m.from)
            .bind(m.to)
            .bind(actor)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            let after = serde_json::json!({"unit": unit.code, "username": m.username, "role": m.role.code(), "from": m.from.to_string(), "to": m.to.map(|t| t.to_string())});
            audit!(
                tx,
                actor,
                "council_member",
                id,
                "create",
                None,
                json(&after)
            );
            id
        });
        Ok(id)
    }

    /// Ends a membership on `to` (the last day served).
    ///
    /// # Errors
    /// Unknown member, a day before the start.
    pub async fn end_council_member(&self, actor: &str, member_id: i64, to: Date) -> Result<()> {
        let m = self.council_member(member_id).await?;
        if to < m.from_date {
            return Err(DomainError::invalid(
                "to",
                "Ngày thôi là thành viên phải sau ngày bắt đầu.",
            )
            .into());
        }
        write_tx!(self, |tx| {
            sqlx::query("update council_members set to_date = $1 where id = $2")
                .bind(to)
                .bind(member_id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                actor,
                "council_member",
                member_id,
                "update",
                json(&serde_json::json!({"to": m.to_date.map(|t| t.to_string())})),
                json(&serde_json::json!({"to": to.to_string()}))
            );
        });
        Ok(())
    }

    /// # Errors
    /// `NotFound`.
    pub async fn council_member(&self, id: i64) -> Result<CouncilMember> {
        let row: Option<CouncilMember> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{MEMBER_SELECT} where m.id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("thành viên Hội đồng #{id}")))
    }

    /// Every membership of the council of `unit_id`, past and present,
    /// by role then name.
    ///
    /// # Errors
    /// Database failure.
    pub async fn council_members_all(&self, unit_id: UnitId) -> Result<Vec<CouncilMember>> {
        let mut rows: Vec<CouncilMember> = with_pool!(self, |p| sqlx::query_as(&format!(
            "{MEMBER_SELECT} where m.unit_id = $1 order by m.from_date, m.id"
        ))
        .bind(unit_id)
        .fetch_all(p)
        .await?);
        rows.sort_by(|a, b| (a.role(), &a.full_name).cmp(&(b.role(), &b.full_name)));
        Ok(rows)
    }

    /// The council of `unit_id` on `on`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn council_members(&self, unit_id: UnitId, on: Date) -> Result<Vec<CouncilMember>> {
        Ok(self
            .council_members_all(unit_id)
            .await?
            .into_iter()
            .filter(|m| m.serves_on(on))
            .collect())
    }

    /// Refuses to forward a dossier past the level of a council that must
    /// vote on it (khoản 5 Điều 33, Điều 36–42 NĐ 152/2025/NĐ-CP: the
    /// council's minutes with the ballot's result are part of the dossier)
    /// until that council has passed it. A level without a council on
    /// `today` is not gated (its minutes are an uploaded document).
    ///
    /// # Errors
    /// `Invalid("council")` saying what is missing or how the vote went.
    pub async fn council_gate(&self, view: &DossierView, today: Date) -> Result<()> {
        let needs = view
            .checklist
            .iter()
            .any(|c| MINUTES_DOCUMENTS.contains(&c.code.as_str()));
        let Some(holder) = view.holder() else {
            return Ok(());
        };
        if !needs
            || self
                .council_members(holder.unit_id, today)
                .await?
                .is_empty()
        {
            return Ok(());
        }
        let results = self.council_results(view.dossier.id).await?;
        let here: Vec<&AgendaItem> = results
            .iter()
            .filter(|r| r.session_unit_id == holder.unit_id && r.passed.is_some())
            .collect();
        if here.iter().any(|r| r.passed == Some(true)) {
            return Ok(());
        }
        let message = match here.last() {
            Some(r) => format!(
                "Hội đồng Thi đua - Khen thưởng {} đã bỏ phiếu không đạt cho hồ sơ #{} (phiên họp #{}: {}). Hồ sơ không được chuyển lên cấp trên; có thể trả lại để bổ sung hoặc không chấp nhận.",
                holder.unit_name,
                view.dossier.id,
                r.session_id,
                r.explanation.as_deref().unwrap_or("")
            ),
            None => format!(
                "Hồ sơ #{} cần kết quả bỏ phiếu đạt của Hội đồng Thi đua - Khen thưởng {} trước khi chuyển lên cấp trên (khoản 5 Điều 33, Điều 36–42 NĐ 152/2025/NĐ-CP): đưa hồ sơ vào chương trình một phiên họp Hội đồng.",
                view.dossier.id, holder.unit_name
            ),
        };
        Err(DomainError::invalid("council", message).into())
    }
}
