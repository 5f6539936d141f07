//! Proposals (*đề nghị khen thưởng*) from a closed round's ranking, stored as
//! nominations.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use tdkt_core::access::Action;
use tdkt_core::ballot::Outcome;
use tdkt_core::proposal::{parse_limits, propose, ProposalConfig, Proposals};
use tdkt_core::regulation::RegulationParams;
use tdkt_core::scoring::RoundState;
use tdkt_store::rankings::{NewNomination, Nomination};

use crate::auth::authorize;
use crate::layout::{form_error, Ctx};
use crate::{AppError, SharedState};

use super::{invalid, name_of, names, organised, seen, Seen};

/// What the form proposes when the round has no cluster regulation: the
/// syntax of the regulation's limits ([`parse_limits`]).
const SUGGESTED_LIMITS: &str = "co-thi-dua-chinh-phu: 1 | 1 | bỏ phiếu\nbang-khen-thu-tuong: 2 | 5";

#[derive(Deserialize)]
pub(super) struct ProposalForm {
    year: String,
    /// The limits, when the round's cluster has none in its regulation.
    #[serde(default)]
    rules: String,
    /// `award-code: ballot number`, one per award decided by a ballot.
    #[serde(default)]
    ballots: String,
    #[serde(default)]
    one_award: Option<String>,
}

/// The catalogue name of an award code, or the code itself.
fn award_name(code: &str) -> String {
    tdkt_store::awards::catalogue()
        .get(code)
        .map_or_else(|| code.to_owned(), |a| a.name.clone())
}

/// Reads `award-code: ballot number` lines (`#` allowed before the number).
fn parse_ballots(text: &str) -> Result<BTreeMap<String, i64>, AppError> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let bad = |what: String| invalid("ballots", format!("Dòng {}: {what}.", i + 1));
        let (code, n) = line.split_once(':').ok_or_else(|| {
            bad(format!(
                "«{line}» phải có dạng mã-hình-thức: số cuộc bỏ phiếu"
            ))
        })?;
        let n: i64 = n
            .trim()
            .trim_start_matches('#')
            .parse()
            .map_err(|_| bad(format!("số cuộc bỏ phiếu «{}» phải là số", n.trim())))?;
        out.insert(code.trim().to_owned(), n);
    }
    Ok(out)
}

/// The regulation governing the round, when it was opened for a cluster
/// whose regulation sets proposal limits.
async fn regulation_of(
    state: &SharedState,
    s: &Seen,
) -> Result<Option<(String, RegulationParams)>, AppError> {
    let Some(cid) = s.info.cluster_id else {
        return Ok(None);
    };
    let cluster = state.store.cluster_by_id(cid).await?;
    let reg = state.store.cluster_settings(cid).await?.regulation;
    Ok((!reg.proposal_limits.is_empty())
        .then(|| (format!("{} năm {}", cluster.name, cluster.year), reg)))
}

fn nominations_table(
    list: &[Nomination],
    names: &BTreeMap<String, String>,
    codes: &BTreeMap<i64, String>,
) -> Markup {
    html! {
        table.responsive #nominations {
            thead { tr { th { "Hình thức" } th { "Đơn vị được đề nghị" } th { "Năm" } th { "Căn cứ" } th { "Trạng thái" } } }
            tbody { @for n in list {
                tr {
                    td data-label="Hình thức" data-code=(n.award_code) { (award_name(&n.award_code)) }
                    td data-label="Đơn vị" { @if let Some(c) = n.unit_id.and_then(|u| codes.get(&u)) { (names.get(c).map_or(c.as_str(), String::as_str)) } }
                    td data-label="Năm" { (n.year) }
                    td data-label="Căn cứ" { ul { @for r in n.reasons() { li { (r) } } } @if let Some(b) = n.source_ballot_id { a href={ "/ballots/" (b) "/minutes" } { "Biên bản kiểm phiếu #" (b) } } }
                    td data-label="Trạng thái" { @if n.status == "proposed" { "đã đề nghị" } @else { (n.status) } }
                }
            } }
        }
    }
}

async fn proposals_markup(
    state: &SharedState,
    ctx: &Ctx,
    s: &Seen,
    err: Option<&AppError>,
    made: Option<&Proposals>,
    form: Option<&ProposalForm>,
) -> Result<Markup, AppError> {
    let names = names(state).await?;
    let codes: BTreeMap<i64, String> = state
        .store
        .units()
        .await?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    let stored = state.store.nominations_of_round(s.info.id).await?;
    let regulation = regulation_of(state, s).await?;
    let closed = s.info.round.state == RoundState::Closed;
    Ok(ctx.page(
        "Đề nghị khen thưởng",
        html! {
            p.muted { a href={ "/scoring/rounds/" (s.info.id) } { (s.info.title) } }
            h1 { "Đề nghị khen thưởng" }
            (form_error(err))
            section.card {
                h2 { "Danh sách đã đề nghị" }
                @if stored.is_empty() { p.muted #no-nominations { "Chưa có đề nghị nào từ đợt chấm điểm này." } }
                @else { (nominations_table(&stored, &names, &codes)) }
            }
            @if let Some(p) = made {
                @if !p.not_proposed.is_empty() {
                    section.card #not-proposed {
                        h2 { "Không được đề nghị" }
                        ul { @for n in &p.not_proposed { li { (award_name(&n.award)) ": " (name_of(&names, &n.member)) " — " (n.reason) } } }
                    }
                }
            }
            @if s.manager && closed && stored.is_empty() {
                form.stack.card #proposal-form method="post" action={ "/scoring/rounds/" (s.info.id) "/proposals" } {
                    (ctx.csrf_field())
                    h2 { "Lập danh sách đề nghị" }
                    label { "Năm khen thưởng" input name="year" required inputmode="numeric" value=(form.map_or(String::new(), |f| f.year.clone())); }
                    @if let Some((name, reg)) = &regulation {
                        p #regulation-limits { "Số lượng đề nghị theo quy chế của " (name) ":" }
                        ul { @for r in &reg.proposal_limits { li data-code=(r.award) { (r.line()) } } }
                    } @else {
                        label { "Giới hạn theo quy chế, mỗi dòng: mã-hình-thức: số lượng tối đa | K hạng đầu | bỏ phiếu"
                            textarea name="rules" rows="4" required { (form.map_or(SUGGESTED_LIMITS, |f| f.rules.as_str())) } }
                    }
                    label { "Cuộc bỏ phiếu của hình thức cần bỏ phiếu, mỗi dòng: mã-hình-thức: số cuộc bỏ phiếu"
                        textarea name="ballots" rows="2" placeholder="co-thi-dua-chinh-phu: 12" { (form.map_or("", |f| f.ballots.as_str())) } }
                    label { input type="checkbox" name="one_award" value="1" checked; " Mỗi đơn vị chỉ được đề nghị một hình thức (cao nhất)" }
                    button type="submit" { "Lập và lưu danh sách đề nghị" }
                }
            }
        },
    ))
}

pub(super) async fn proposals_page(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let s = seen(&state, &ctx.user, id, &ctx.path).await?;
    proposals_markup(&state, &ctx, &s, None, None, None).await
}

pub(super) async fn make_proposals(
    State(state): State<SharedState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ProposalForm>,
) -> Result<Response, AppError> {
    let (s, who) = organised(&state, &ctx, id).await?;
    let result = async {
        let year: i32 = f
            .year
            .trim()
            .parse()
            .ok()
            .filter(|y| (1945..=2100).contains(y))
            .ok_or_else(|| invalid("year", "Năm khen thưởng không hợp lệ."))?;
        let one_award = f.one_award.is_some();
        // The cluster's regulation decides the limits; typed ones only
        // for a round held outside a cluster with a regulation.
        let config = match regulation_of(&state, &s).await? {
            Some((_, reg)) => reg.proposal_config(one_award)?,
            None => {
                let rules = parse_limits(tdkt_store::awards::catalogue(), "rules", &f.rules)?;
                if rules.is_empty() {
                    return Err(invalid("rules", "Cần ít nhất một hình thức khen thưởng."));
                }
                ProposalConfig {
                    rules,
                    one_award_per_member: one_award,
                }
            }
        };
        let ballot_numbers = parse_ballots(&f.ballots)?;
        let (_, ranking) = state.store.round_ranking(id).await?;
        let ranking = ranking
            .ok_or_else(|| invalid("round", "Đợt chấm điểm chưa khóa nên chưa có xếp hạng."))?;
        let mut ballots: BTreeMap<String, Outcome> = BTreeMap::new();
        let mut ballot_of: BTreeMap<String, i64> = BTreeMap::new();
        for rule in config.rules.iter().filter(|r| r.requires_ballot) {
            let b = ballot_numbers.get(&rule.award).ok_or_else(|| {
                invalid(
                    "ballots",
                    format!(
                        "«{}» cần bỏ phiếu: ghi số cuộc bỏ phiếu kín đã kết thúc.",
                        rule.title
                    ),
                )
            })?;
            let info = state
                .store
                .ballot(*b)
                .await
                .map_err(|_| invalid("ballots", format!("Không có cuộc bỏ phiếu #{b}.")))?;
            // A ballot outside the caller's scope is as unknown.
            authorize(
                &state,
                &ctx.user,
                Action::RunEvaluation,
                Some(info.unit_id),
                &ctx.path,
            )
            .await
            .map_err(|_| invalid("ballots", format!("Không có cuộc bỏ phiếu #{b}.")))?;
            if !info.closed {
                return Err(invalid(
                    "ballots",
                    format!("Cuộc bỏ phiếu #{b} chưa kết thúc nên chưa có kết quả."),
                ));
            }
            ballots.insert(rule.award.clone(), state.store.ballot_result(*b).await?);
            ballot_of.insert(rule.award.clone(), *b);
        }
        let made =
            propose(&ranking, &ballots, &config).map_err(|e| invalid("rules", e.to_string()))?;
        let new: Vec<NewNomination> = made
            .proposals
            .iter()
            .map(|p| NewNomination {
                proposal: p.clone(),
                ballot_id: ballot_of.get(&p.award).copied(),
            })
            .collect();
        state.store.create_nominations(&who, id, year, &new).await?;
        Ok::<_, AppError>(made)
    }
    .await;
    match result {
        Ok(made) => Ok(proposals_markup(&state, &ctx, &s, None, Some(&made), None)
            .await?
            .into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => Ok((
            e.status(),
            proposals_markup(&state, &ctx, &s, Some(&e), None, Some(&f)).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}
