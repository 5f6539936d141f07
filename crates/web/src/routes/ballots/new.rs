//! Opening a ballot: the voter list chosen among the accounts an organiser
//! may pick (never typed, issue 12), the form, its parsing into a
//! [`NewBallot`], and the check that the caller may open one for the unit.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use rust_decimal::Decimal;
use tdkt_core::access::{Action, Principal, Role};
use tdkt_core::ballot::{BallotSpec, Base, Candidate, Question, Quorum, Threshold};
use tdkt_core::org::Unit;
use tdkt_core::scoring::MemberId;
use tdkt_store::accounts::Account;
use tdkt_store::ballots::NewBallot;
use tdkt_store::clusters::Cluster;

use super::base_label;
use crate::auth::{authorize, CurrentUser};
use crate::layout::{form_error, Ctx};
use crate::load::{cluster_named, cluster_reach};
use crate::picker::{cluster_select, joined, known_and_rest, unit_checks, unit_select, Ended};
use crate::{AppError, SharedState};

/// The accounts an organiser may put on a voter list (issue 12: chosen, not
/// typed, so that the form is no oracle of user names): active accounts
/// whose scope unit lies in the caller's subtree (lineage-aware: Cần Thơ's
/// officer sees Hậu Giang's and Sóc Trăng's accounts), or is a member of a
/// scoring round opened in that subtree or of a cluster organised or led
/// from it (a cluster's vote gathers its members from other provinces).
/// Admins: every active account.
///
/// # Errors
/// Database failure.
pub(crate) async fn voter_choices(
    state: &SharedState,
    who: &Principal,
) -> Result<Vec<Account>, AppError> {
    let accounts = state
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| a.active);
    if who.role == Role::Admin {
        return Ok(accounts.collect());
    }
    let Some(root) = who.scope_unit else {
        return Ok(Vec::new());
    };
    let mut units = state.store.lineage().await?.scope(root);
    let rounds = state.store.rounds_in(Some(&units)).await?;
    let codes: BTreeSet<&str> = rounds
        .iter()
        .flat_map(|r| r.round.members.iter().map(|m| m.0.as_str()))
        .collect();
    let by_code = state.store.units_by_codes(codes).await?;
    let mut members: Vec<i64> = by_code.values().map(|u| u.id).collect();
    for c in state.store.clusters(None).await? {
        let organizer = state.store.cluster_settings(c.id).await?.organizer_unit_id;
        if c.leader_unit_id
            .into_iter()
            .chain(organizer)
            .any(|u| units.contains(&u))
        {
            members.extend(
                state
                    .store
                    .cluster_members(c.id)
                    .await?
                    .iter()
                    .map(|u| u.id),
            );
        }
    }
    units.extend(members);
    Ok(accounts
        .filter(|a| a.scope_unit_id.is_some_and(|u| units.contains(&u)))
        .collect())
}

/// The one answer to a voter that is unknown or not among the caller's
/// choices: it never tells which (issue 12).
fn not_a_choice() -> AppError {
    AppError::Invalid {
        field: "voters",
        message: "Cử tri phải được chọn trong danh sách tài khoản thuộc phạm vi của bạn.".into(),
    }
}

/// The user names of the chosen voters: each submitted value is an account
/// id (the form's check boxes) or a user name (the API) among `choices`.
///
/// # Errors
/// Any value that is not one of `choices`, with one generic message.
pub(super) fn chosen_voters(
    choices: &[Account],
    submitted: &[String],
) -> Result<Vec<String>, AppError> {
    submitted
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(|v| {
            choices
                .iter()
                .find(|a| a.id.to_string() == v || a.username.eq_ignore_ascii_case(v))
                .map(|a| a.username.clone())
                .ok_or_else(not_a_choice)
        })
        .collect()
}

/// What the form offers: the accounts for the voter list, the units for
/// the organiser and the candidates, the cluster-years (issue 15 item 2).
pub(super) struct Choices {
    pub(super) voters: Vec<Account>,
    /// Units on which the caller may open a ballot.
    organisers: Vec<Unit>,
    /// Those and the members of the clusters the caller reaches.
    units: Vec<Unit>,
    clusters: Vec<Cluster>,
}

impl Choices {
    pub(super) async fn load(state: &SharedState, ctx: &Ctx) -> Result<Self, AppError> {
        let who = ctx.require()?;
        let reach = cluster_reach(state, ctx, Action::RunEvaluation).await?;
        Ok(Self {
            voters: voter_choices(state, who).await?,
            organisers: reach.own,
            units: reach.units,
            clusters: reach.clusters,
        })
    }
}

pub(super) fn create_form(
    ctx: &Ctx,
    ch: &Choices,
    f: &CreateForm,
    err: Option<&AppError>,
) -> Markup {
    let (picked, others) = known_and_rest(&f.candidates, &ch.units);
    let checked: BTreeSet<String> = ch
        .voters
        .iter()
        .filter(|a| f.voters.contains(&a.id.to_string()))
        .map(|a| a.username.clone())
        .collect();
    let question = f.question.as_str();
    let base = f.base.as_str();
    html! {
        (form_error(err))
        form.stack #ballot-form method="post" action="/ballots" {
            (ctx.csrf_field())
            (unit_select("ballot-unit", "unit", "Đơn vị tổ chức", &ch.organisers, Ended::Offer, &f.unit, None))
            label { "Bối cảnh" input name="context" value=(f.context) placeholder="vd. Cụm thi đua Tây Nam bộ 2019"; }
            label { "Tiêu đề" input name="title" required value=(f.title) placeholder="vd. Bình xét Cờ thi đua của Chính phủ năm 2019"; }
            label { "Hình thức"
                select name="question" {
                    option value="yes-no" selected[question == "yes-no"] { "Đồng ý / không đồng ý với từng ứng viên" }
                    option value="pick" selected[question == "pick"] { "Chọn tối đa k ứng viên" }
                }
            }
            label { "k (số ứng viên được chọn tối đa)" input name="k" type="number" min="1" value=(f.k.as_deref().unwrap_or("1")); }
            (unit_checks("ballot-candidates", "candidates", "Ứng viên là đơn vị", &ch.units, Ended::Offer, &picked))
            label { "Ứng viên khác (cá nhân…), mỗi dòng một: “mã | tên”" textarea name="candidates" rows="3" { (others) } }
            fieldset #voters {
                legend { "Cử tri (tài khoản thuộc phạm vi của bạn)" }
                @if ch.voters.is_empty() { p.muted { "Chưa có tài khoản nào để chọn." } }
                div.pick-box {
                    @for a in &ch.voters {
                        label.check {
                            input type="checkbox" name="voter" value=(a.id) data-username=(a.username) checked[checked.contains(&a.username)];
                            " " (a.full_name) " " span.muted { "(" (a.username) ")" }
                        }
                    }
                }
            }
            (cluster_select("ballot-cluster", "cluster", "Theo quy chế của cụm, khối", &ch.clusters, &f.cluster, "— không theo quy chế cụm, khối —"))
            p.muted { "Khi chọn cụm, khối: tỷ lệ tham gia, ngưỡng đạt và cơ sở tính lấy theo quy chế đã lưu của cụm, khối; các ô dưới đây không dùng." }
            label { "Tỷ lệ tối thiểu tham gia (tử số / mẫu số)"
                span { input name="quorum_num" type="number" min="1" value=(f.quorum_num) style="width:5rem"; " / " input name="quorum_den" type="number" min="1" value=(f.quorum_den) style="width:5rem"; }
            }
            label { "Ngưỡng đạt (%)" input name="percent" inputmode="decimal" value=(f.percent); }
            label { "Tính trên"
                select name="base" {
                    @for b in [Base::Eligible, Base::Present, Base::ValidBallots] {
                        option value=(b.code()) selected[base == b.code()] { (base_label(b)) }
                    }
                }
            }
            button type="submit" { "Mở cuộc bỏ phiếu" }
        }
    }
}

pub(super) struct CreateForm {
    unit: String,
    context: String,
    title: String,
    question: String,
    k: Option<String>,
    candidates: String,
    /// Account ids of the voters checked (field `voter`, repeated).
    voters: Vec<String>,
    quorum_num: String,
    quorum_den: String,
    percent: String,
    base: String,
    cluster: String,
}

fn number(field: &'static str, s: &str, what: &str) -> Result<u32, AppError> {
    s.trim().parse().map_err(|_| AppError::Invalid {
        field,
        message: format!("{what} phải là số nguyên dương."),
    })
}

impl Default for CreateForm {
    /// The empty form's values.
    fn default() -> Self {
        Self {
            unit: String::new(),
            context: String::new(),
            title: String::new(),
            question: "yes-no".into(),
            k: None,
            candidates: String::new(),
            voters: Vec::new(),
            quorum_num: "2".into(),
            quorum_den: "3".into(),
            percent: "70".into(),
            base: Base::Eligible.code().into(),
            cluster: String::new(),
        }
    }
}

impl CreateForm {
    /// From the form's fields; `voter` may repeat (one per check box), and
    /// so may `candidates` (a check box per unit, plus the free-text box or
    /// an old client's textarea: one candidate a line either way).
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let one = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Self {
            unit: one("unit"),
            context: one("context"),
            title: one("title"),
            question: one("question"),
            k: Some(one("k")).filter(|k| !k.is_empty()),
            candidates: joined(pairs, "candidates"),
            voters: pairs
                .iter()
                .filter(|(k, _)| k == "voter")
                .map(|(_, v)| v.clone())
                .collect(),
            quorum_num: one("quorum_num"),
            quorum_den: one("quorum_den"),
            percent: one("percent"),
            base: one("base"),
            cluster: one("cluster"),
        }
    }

    async fn parse(&self, state: &SharedState, choices: &[Account]) -> Result<NewBallot, AppError> {
        let question = match self.question.as_str() {
            "pick" => Question::PickUpTo {
                k: number(
                    "k",
                    self.k.as_deref().unwrap_or("1"),
                    "Số ứng viên được chọn",
                )?,
            },
            _ => Question::YesNo,
        };
        let lines: Vec<&str> = self
            .candidates
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let units = state
            .store
            .units_by_codes(lines.iter().copied().filter(|l| !l.contains('|')))
            .await?;
        let mut candidates = Vec::new();
        for line in lines {
            let (id, name) = match line.split_once('|') {
                Some((id, name)) => (id.trim().to_owned(), name.trim().to_owned()),
                None => match units.get(line) {
                    Some(u) => (u.code.clone(), u.name.clone()),
                    None => (
                        tdkt_core::text::fold(line).replace(' ', "-"),
                        line.to_owned(),
                    ),
                },
            };
            candidates.push(Candidate {
                id: MemberId(id),
                name,
                threshold: None,
            });
        }
        let cluster = cluster_named(state, "cluster", &self.cluster).await?;
        // A cluster's ballot takes threshold and quorum from its regulation
        // (the store sets them); the typed ones are read only without it.
        let (quorum, threshold) = if cluster.is_some() {
            (
                Quorum { num: 2, den: 3 },
                Threshold::new(Decimal::ONE_HUNDRED, Base::Eligible),
            )
        } else {
            let base = Base::from_code(&self.base).unwrap_or(Base::Eligible);
            let percent = tdkt_core::number::parse_vi(&self.percent)
                .ok()
                .filter(|p| *p > Decimal::ZERO && *p <= Decimal::ONE_HUNDRED)
                .ok_or_else(|| AppError::Invalid {
                    field: "percent",
                    message: format!(
                        "Ngưỡng đạt «{}» phải là số lớn hơn 0 và không quá 100.",
                        self.percent.trim()
                    ),
                })?;
            (
                Quorum {
                    num: number("quorum_num", &self.quorum_num, "Tử số tỷ lệ tối thiểu")?,
                    den: number("quorum_den", &self.quorum_den, "Mẫu số tỷ lệ tối thiểu")?,
                },
                Threshold::new(percent, base),
            )
        };
        Ok(NewBallot {
            unit_code: self.unit.trim().to_owned(),
            context: self.context.clone(),
            spec: BallotSpec {
                title: self.title.clone(),
                question,
                candidates,
                eligible: 0,
                quorum,
                threshold,
            },
            voters: chosen_voters(choices, &self.voters)?,
            cluster_id: cluster.map(|c| c.id),
        })
    }
}

/// Checks the caller may open a ballot for the unit named in `new`.
pub(super) async fn authorize_create(
    state: &SharedState,
    user: &CurrentUser,
    unit_code: &str,
    next: &str,
) -> Result<(), AppError> {
    authorize(state, user, Action::RunEvaluation, None, next).await?;
    let unit = state
        .store
        .unit_by_code(unit_code.trim())
        .await
        .map_err(|_| AppError::Invalid {
            field: "unit",
            message: format!("Không tìm thấy đơn vị có mã «{}».", unit_code.trim()),
        })?;
    authorize(state, user, Action::RunEvaluation, Some(unit.id), next).await
}

pub(super) async fn create(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let f = CreateForm::from_pairs(&pairs);
    let who = ctx.require()?.username.clone();
    authorize(&state, &ctx.user, Action::RunEvaluation, None, &ctx.path).await?;
    let choices = Choices::load(&state, &ctx).await?;
    let result = async {
        authorize_create(&state, &ctx.user, &f.unit, &ctx.path).await?;
        let new = f.parse(&state, &choices.voters).await?;
        Ok::<_, AppError>(state.store.create_ballot(&who, &new).await?)
    }
    .await;
    match result {
        Ok(b) => Ok(crate::routes::saved(
            &format!("/ballots/{}", b.id),
            "cuoc-bo-phieu",
        )),
        // Refused: the form again with everything as posted (issue 15
        // item 3) and the field named.
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => Ok((
            e.status(),
            ctx.page(
                "Mở cuộc bỏ phiếu",
                html! { h1 { "Mở cuộc bỏ phiếu" } (create_form(&ctx, &choices, &f, Some(&e))) },
            ),
        )
            .into_response()),
        Err(e) => Err(e),
    }
}
