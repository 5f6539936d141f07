//! Opening a scoring round: the form, its parsing (members, ranking bands,
//! tie-breaks) and where formula criteria take their figures.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use tdkt_core::access::Action;
use tdkt_core::period::Period;
use tdkt_core::ranking::{Band, Bands, RankingConfig, TieBreak};
use tdkt_core::rubric::Rubric;
use tdkt_core::scoring::{Aggregation, Basis, MemberId, Round, RoundConfig};
use tdkt_store::scoring::{Figures, NewRound};

use crate::auth::authorize;
use crate::layout::{form_error, Ctx};
use crate::{AppError, SharedState};

use super::rubrics::{checked, formula_codes, pledge_keys};
use super::{default_ranking, invalid, points, tie_break_code, tie_break_label, TIE_BREAKS};
use crate::load::{cluster_named, cluster_reach, Reach};
use crate::picker::{
    cluster_select, codes, joined, period_select, unit_checks, unit_select, Ended,
};

async fn round_figures(
    state: &SharedState,
    f: &RoundForm,
    rubric: &Rubric,
    members: &[MemberId],
) -> Result<Option<Figures>, AppError> {
    let Some(cluster) = cluster_named(state, "figures_cluster", &f.figures_cluster).await? else {
        let formulas = formula_codes(rubric);
        if formulas.is_empty() {
            return Ok(None);
        }
        return Err(invalid(
            "figures_cluster",
            format!(
                "Bảng tiêu chí có tiêu chí tính theo công thức ({}), nên cần ghi cụm, khối và kỳ lấy số liệu chỉ tiêu.",
                formulas.join(", ")
            ),
        ));
    };
    let period = Period::parse(&f.figures_period)
        .map_err(|e| invalid("figures_period", format!("Kỳ số liệu: {e}.")))?;
    if !period.within_year(cluster.year) {
        return Err(invalid(
            "figures_period",
            format!(
                "Kỳ số liệu {} không thuộc năm {} của {}.",
                period.label(),
                cluster.year,
                cluster.name
            ),
        ));
    }
    rubric
        .clone()
        .check(&pledge_keys(state, &cluster).await?)
        .map_err(|e| {
            invalid(
                "figures_cluster",
                e.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
    let in_cluster: BTreeSet<String> = state
        .store
        .cluster_members(cluster.id)
        .await?
        .into_iter()
        .map(|u| u.code)
        .collect();
    if let Some(m) = members.iter().find(|m| !in_cluster.contains(&m.0)) {
        return Err(invalid(
            "members",
            format!(
                "Đơn vị «{m}» không phải thành viên {} năm {} nên không có số liệu chỉ tiêu để chấm.",
                cluster.name, cluster.year
            ),
        ));
    }
    Ok(Some(Figures {
        cluster_id: cluster.id,
        period,
    }))
}

/// What the round form offers: organisers, members and leader by name,
/// cluster-years and periods (issue 15 item 2).
pub(super) struct RoundChoices {
    reach: Reach,
    years: BTreeSet<i32>,
}

impl RoundChoices {
    pub(super) async fn load(state: &SharedState, ctx: &Ctx) -> Result<Self, AppError> {
        let reach = cluster_reach(state, ctx, Action::RunEvaluation).await?;
        let today = tdkt_core::date::today_vn().year();
        let years = reach
            .clusters
            .iter()
            .map(|c| c.year)
            .chain([today - 1, today])
            .collect();
        Ok(Self { reach, years })
    }

    /// The same units and clusters for the rubric form's pickers.
    pub(super) fn reach(&self) -> Reach {
        self.reach.clone()
    }
}

/// The round form, filled with `f` (what was posted, on a refusal; empty
/// on a new form).
pub(super) fn round_form(
    ctx: &Ctx,
    rubrics: &[(String, i32, String)],
    ch: &RoundChoices,
    f: &[(String, String)],
    err: Option<&AppError>,
) -> Markup {
    let one = |k: &str| {
        f.iter()
            .find(|(key, _)| key == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let fresh = f.is_empty();
    let ties: Vec<&str> = f
        .iter()
        .filter(|(k, _)| k == "tie")
        .map(|(_, v)| v.as_str())
        .collect();
    let members = codes(&joined(f, "members"));
    let units = &ch.reach.units;
    html! {
        (form_error(err))
        form.stack #round-form method="post" action="/scoring/rounds" {
            (ctx.csrf_field())
            (unit_select("round-unit", "unit", "Đơn vị tổ chức", &ch.reach.own, Ended::Offer, one("unit"), None))
            label { "Tên đợt chấm điểm" input name="title" required value=(one("title")) placeholder="vd. Chấm điểm thi đua Cụm Tây Nam bộ năm 2019"; }
            label { "Bối cảnh" input name="context" value=(one("context")) placeholder="vd. Cụm thi đua Tây Nam bộ 2019"; }
            (cluster_select("round-cluster", "cluster", "Theo quy chế của cụm, khối", &ch.reach.clusters, one("cluster"), "— không theo quy chế cụm, khối —"))
            label { "Bảng tiêu chí (khi quy chế của cụm, khối đã chọn bảng tiêu chí: dùng phiên bản mới nhất của bảng đó)"
                select name="rubric" {
                    option value="" { "— theo quy chế —" }
                    @for (code, version, title) in rubrics {
                        @let value = format!("{code}@{version}");
                        option value=(value) selected[one("rubric") == value] { (title) " (" (code) ", phiên bản " (version) ")" }
                    }
                }
            }
            (unit_checks("round-members", "members", "Thành viên", units, Ended::Offer, &members))
            fieldset {
                legend { "Số liệu chỉ tiêu cho tiêu chí tính theo công thức" }
                (cluster_select("round-figures-cluster", "figures_cluster", "Cụm, khối có giao ước", &ch.reach.clusters, one("figures_cluster"), "— không dùng —"))
                (period_select("round-figures-period", "figures_period", "Kỳ số liệu", &ch.years, one("figures_period"), "— không dùng —"))
                p.muted { "Bắt buộc khi bảng tiêu chí có tiêu chí tính theo công thức; các thành viên phải thuộc cụm, khối này." }
            }
            (unit_select("round-leader", "leader", "Cụm trưởng (một trong các thành viên)", units, Ended::Offer, one("leader"), None))
            label { "Tổng hợp điểm chấm chéo"
                select name="aggregation" {
                    option value="mean" selected[one("aggregation") == "mean"] { "Trung bình cộng" }
                    option value="median" selected[one("aggregation") == "median"] { "Trung vị" }
                }
            }
            label { "Bỏ bớt số điểm cao nhất và thấp nhất" input name="trim" type="number" min="0" value=(if fresh { "1" } else { one("trim") }); }
            label { "Điểm xếp hạng dựa trên"
                select name="basis" {
                    option value="cross" selected[one("basis") == "cross"] { "Điểm chấm chéo (tổng hợp)" }
                    option value="self" selected[one("basis") == "self"] { "Điểm tự chấm" }
                }
            }
            fieldset {
                legend { "Tiêu chí phụ khi bằng điểm (theo thứ tự)" }
                @for (i, t) in TIE_BREAKS.iter().enumerate() {
                    @let code = tie_break_code(*t);
                    label { input type="checkbox" name="tie" value=(code) checked[if fresh { i < 2 } else { ties.contains(&code) }]; " " (tie_break_label(*t)) }
                }
            }
            label { "Mức xếp loại, mỗi dòng “tên | điểm tối thiểu” (để trống: 90%, 80%, 70%, 50% tổng điểm tối đa)"
                textarea name="bands" rows="4" placeholder="Xuất sắc | 90\nTốt | 80\nKhá | 70\nTrung bình | 50" { (one("bands")) } }
            button type="submit" { "Mở đợt chấm điểm" }
        }
    }
}

#[derive(Deserialize)]
struct RoundForm {
    unit: String,
    title: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    rubric: String,
    #[serde(default)]
    cluster: String,
    members: String,
    #[serde(default)]
    figures_cluster: String,
    #[serde(default)]
    figures_period: String,
    leader: String,
    aggregation: String,
    trim: String,
    basis: String,
    #[serde(default)]
    bands: String,
}

fn parse_bands(text: &str) -> Result<Option<Bands>, AppError> {
    let mut bands = Vec::new();
    for (i, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let (label, min) = line.split_once('|').ok_or_else(|| {
            invalid(
                "bands",
                format!("Mức xếp loại dòng {}: ghi “tên | điểm tối thiểu”.", i + 1),
            )
        })?;
        bands.push(Band {
            label: label.trim().to_owned(),
            min: points("bands", min.trim())?,
        });
    }
    if bands.is_empty() {
        return Ok(None);
    }
    Bands::try_from(bands)
        .map(Some)
        .map_err(|e| invalid("bands", e.to_string()))
}

pub(super) async fn open_round(
    State(state): State<SharedState>,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let who = ctx.require()?.username.clone();
    authorize(&state, &ctx.user, Action::RunEvaluation, None, &ctx.path).await?;
    let ties: Vec<TieBreak> = fields
        .iter()
        .filter(|(k, _)| k == "tie")
        .filter_map(|(_, v)| TIE_BREAKS.into_iter().find(|t| tie_break_code(*t) == v))
        .collect();
    let f: RoundForm = form_struct(&fields)?;
    let result = async {
        let unit = state.store.unit_by_code(f.unit.trim()).await.map_err(|_| {
            invalid(
                "unit",
                format!("Không tìm thấy đơn vị có mã «{}».", f.unit.trim()),
            )
        })?;
        authorize(
            &state,
            &ctx.user,
            Action::RunEvaluation,
            Some(unit.id),
            &ctx.path,
        )
        .await?;
        let cluster = cluster_named(&state, "cluster", &f.cluster).await?;
        let by_regulation = match &cluster {
            Some(c) => Some(state.store.cluster_settings(c.id).await?.regulation.rubric)
                .filter(|r| !r.is_empty()),
            None => None,
        };
        // The regulation's rubric, latest version, unless the officer picked
        // a version of it; another rubric is refused by the store.
        let chosen = f
            .rubric
            .rsplit_once('@')
            .and_then(|(c, v)| Some((c.to_owned(), v.parse::<u32>().ok()?)));
        let (code, version) = match (chosen, by_regulation) {
            (Some(c), _) => c,
            (None, Some(code)) => {
                let r = state.store.rubric(&code, None).await.map_err(|_| {
                    invalid(
                        "rubric",
                        format!("Quy chế của cụm, khối dùng bảng tiêu chí «{code}» nhưng bảng này chưa có."),
                    )
                })?;
                (code, r.version)
            }
            (None, None) => return Err(invalid("rubric", "Cần chọn bảng tiêu chí.")),
        };
        let rubric = state.store.rubric(&code, Some(version)).await?;
        let checked = checked(&rubric)?;
        let codes: Vec<&str> = f
            .members
            .split([',', '\n', ';', ' ', '\r', '\t'])
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .collect();
        let known = state.store.units_by_codes(codes.iter().copied()).await?;
        let mut members = Vec::new();
        for m in codes {
            if !known.contains_key(m) {
                return Err(invalid(
                    "members",
                    format!("Không tìm thấy đơn vị thành viên có mã «{m}»."),
                ));
            }
            members.push(MemberId(m.to_owned()));
        }
        let figures = round_figures(&state, &f, &rubric, &members).await?;
        let trim: usize = f
            .trim
            .trim()
            .parse()
            .map_err(|_| invalid("trim", "Số điểm bỏ bớt phải là số nguyên không âm."))?;
        let config = RoundConfig {
            aggregation: if f.aggregation == "median" {
                Aggregation::Median
            } else {
                Aggregation::Mean
            },
            trim,
            basis: if f.basis == "self" {
                Basis::SelfScore
            } else {
                Basis::Cross
            },
            max_total: checked.max_total(),
        };
        let round = Round::open(config, members, MemberId(f.leader.trim().to_owned()))
            .map_err(|e| invalid("members", e.to_string()))?;
        let ranking = RankingConfig {
            tie_breaks: ties,
            bands: parse_bands(&f.bands)?
                .unwrap_or_else(|| default_ranking(checked.max_total()).bands),
        };
        let new = NewRound {
            unit_code: f.unit.trim().to_owned(),
            context: f.context.clone(),
            title: f.title.clone(),
            rubric: Some((code, version)),
            figures,
            cluster_id: cluster.map(|c| c.id),
            round,
        };
        Ok::<_, AppError>(
            state
                .store
                .create_ranked_round(&who, &new, &ranking)
                .await?,
        )
    }
    .await;
    match result {
        Ok(r) => Ok(crate::routes::saved(
            &format!("/scoring/rounds/{}", r.id),
            "dot-cham",
        )),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(..))) => {
            // Refused: the form again as posted (issue 15 item 3).
            let rubrics = state.store.rubrics().await?;
            let choices = RoundChoices::load(&state, &ctx).await?;
            Ok((
                e.status(),
                ctx.page(
                    "Mở đợt chấm điểm",
                    html! { h1 { "Mở đợt chấm điểm" } (round_form(&ctx, &rubrics, &choices, &fields, Some(&e))) },
                ),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

/// Reads a form struct from fields also read as a list (repeated keys):
/// `members` may repeat (a check box per unit, or an old client's one
/// textarea), read as one code a line.
fn form_struct<T: serde::de::DeserializeOwned>(fields: &[(String, String)]) -> Result<T, AppError> {
    let mut map: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|(k, _)| k != "tie" && k != "members")
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    map.insert("members".into(), Value::String(joined(fields, "members")));
    serde_json::from_value(Value::Object(map))
        .map_err(|e| invalid("form", format!("Biểu mẫu thiếu trường: {e}")))
}
