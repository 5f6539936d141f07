//! The pledge section of a cluster-year's set-up: an indicator (new or
//! changed), its per-member targets, the day the pledge was signed, and a
//! period's reporting deadline.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use tdkt_core::number::Measure;
use tdkt_core::pledge::{PledgeFields, PledgeRow};

use super::{field, finish, keep, F};
use crate::layout::Ctx;
use crate::routes::clusters::{base, ManagedCluster};
use crate::{AppError, SharedState};

/// The form of one indicator (`i`), or of a new one; `typed` is what a
/// refused post of this very form held, shown again instead of the stored
/// values so that one bad value clears nothing (issue 15 item 3).
pub(super) fn indicator_form(
    ctx: &Ctx,
    here: &str,
    id: Option<i64>,
    i: Option<&tdkt_core::pledge::Indicator>,
    typed: Option<&HashMap<String, String>>,
) -> Markup {
    use tdkt_core::pledge::{Aggregate, Direction};
    let show = |name: &str, stored: Option<String>| {
        keep(typed.map(|t| ("chi-tieu", t)), "chi-tieu", name, stored)
    };
    let unit = show("unit", i.map(|i| i.unit.code().to_owned())).unwrap_or_default();
    let direction = show(
        "direction",
        i.map(|i| match i.direction {
            Direction::Higher => "higher".to_owned(),
            Direction::Lower => "lower".to_owned(),
        }),
    )
    .unwrap_or_default();
    let aggregate = show(
        "aggregate",
        i.map(|i| match i.aggregate {
            Aggregate::Mean => "mean".to_owned(),
            Aggregate::Sum => "sum".to_owned(),
        }),
    )
    .unwrap_or_default();
    html! {
        form.stack.indicator method="post" action={ (here) "/setup/indicators" } {
            (ctx.csrf_field())
            @if let Some(i) = i { input type="hidden" name="indicator" value=(i.key); }
            @else {
                label { "Mã chỉ tiêu (không dấu)" input name="indicator" required autocapitalize="none" placeholder="grdp_growth" value=[show("indicator", None)]; }
            }
            label { "Tên chỉ tiêu" input name="name" required value=[show("name", i.map(|i| i.name.clone()))]; }
            label { "Đơn vị tính"
                select name="unit" {
                    @for code in Measure::CODES {
                        @let m = Measure::parse(code).ok();
                        option value=(code) selected[unit == code] { (m.map_or(code, Measure::name)) }
                    }
                }
            }
            label { "Chiều tốt"
                select name="direction" {
                    option value="higher" selected[direction != "lower"] { "Càng cao càng tốt" }
                    option value="lower" selected[direction == "lower"] { "Càng thấp càng tốt" }
                }
            }
            label { "Tổng hợp cụm"
                select name="aggregate" {
                    option value="mean" selected[aggregate != "sum"] { "Bình quân" }
                    option value="sum" selected[aggregate == "sum"] { "Tổng" }
                }
            }
            label { "Mức phấn đấu chung (tùy chọn)" input name="threshold" inputmode="decimal" value=[show("threshold", i.and_then(|i| i.threshold).map(tdkt_core::number::format_vi))]; }
            button type="submit" { @if id.is_some() { "Lưu chỉ tiêu" } @else { "Thêm chỉ tiêu" } }
        }
    }
}

pub(super) async fn save_indicator(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx,
        cluster: c,
        who,
    }: ManagedCluster,
    Form(f): F,
) -> Result<Response, AppError> {
    let r = async {
        let year = c.year.to_string();
        let threshold = field(&f, "threshold");
        let fields = PledgeFields {
            cluster: &c.key,
            year: &year,
            indicator: field(&f, "indicator"),
            name: field(&f, "name"),
            unit: field(&f, "unit"),
            direction: field(&f, "direction"),
            aggregate: field(&f, "aggregate"),
            threshold,
        };
        // Each problem under the label the form shows, not the file's
        // column name.
        let row = PledgeRow::parse(&fields).map_err(|errs| AppError::Invalid {
            field: errs.first().map_or("indicator", |e| e.column),
            message: errs
                .iter()
                .map(|e| format!("{}: {}", indicator_label(e.column), e.message))
                .collect::<Vec<_>>()
                .join("; "),
        })?;
        match state
            .store
            .import_pledge(&who, &[(1, row)], &BTreeMap::new(), false)
            .await?
        {
            Ok(_) => Ok(()),
            Err(rows) => Err(AppError::Invalid {
                field: "indicator",
                message: rows
                    .iter()
                    .map(|r| r.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        }
    }
    .await;
    finish(&state, &ctx, &c, ("pledge", "chi-tieu"), Some(&f), r).await
}

pub(super) async fn save_targets(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx,
        cluster: c,
        who,
    }: ManagedCluster,
    Form(f): F,
) -> Result<Response, AppError> {
    let r = async {
        let pledge = state.store.pledge(c.id).await?;
        let members = state.store.cluster_members(c.id).await?;
        // Check every cell first: a grid is saved whole or not at all.
        let mut changes = Vec::new();
        for (id, i) in &pledge {
            for m in &members {
                let raw = field(&f, &format!("t_{id}_{}", m.id));
                let new = if raw.is_empty() {
                    None
                } else {
                    Some(
                        tdkt_core::number::parse_vi(raw).map_err(|e| AppError::Invalid {
                            field: "target",
                            message: format!("{} — {}: {e}.", m.name, i.name),
                        })?,
                    )
                };
                if let Some(v) = new {
                    i.validate_value(v).map_err(|e| AppError::Invalid {
                        field: "target",
                        message: format!("{} — {}: {e}", m.name, i.name),
                    })?;
                }
                if new != i.targets.get(&m.name).copied() {
                    changes.push((*id, m.id, new));
                }
            }
        }
        for (iid, uid, v) in changes {
            state.store.set_target(&who, iid, uid, v).await?;
        }
        Ok(())
    }
    .await;
    finish(&state, &ctx, &c, ("pledge", "dang-ky"), Some(&f), r).await
}

pub(super) async fn sign(
    State(state): State<SharedState>,
    ManagedCluster {
        ctx,
        cluster: c,
        who,
    }: ManagedCluster,
    Form(f): F,
) -> Result<Response, AppError> {
    let r = async {
        let on = match field(&f, "signed_on") {
            "" => None,
            s => Some(tdkt_core::date::parse(s).map_err(|m| AppError::Invalid {
                field: "signed_on",
                message: m,
            })?),
        };
        state.store.sign_pledge(&who, c.id, on).await?;
        Ok(())
    }
    .await;
    finish(&state, &ctx, &c, ("pledge", "ky"), Some(&f), r).await
}

pub(super) async fn deadline(
    State(state): State<SharedState>,
    ManagedCluster {
        cluster: c, who, ..
    }: ManagedCluster,
    Form(f): F,
) -> Result<Response, AppError> {
    let period = crate::routes::clusters::period_of(Some(field(&f, "period")), c.year)?;
    let due = tdkt_core::date::parse(field(&f, "due_on")).map_err(|m| AppError::Invalid {
        field: "due_on",
        message: m,
    })?;
    state.store.set_deadline(&who, c.id, period, due).await?;
    Ok(crate::routes::saved(
        &format!("{}?period={}#status", base(&c), period.code()),
        "han",
    ))
}

/// The label of an indicator form's field, for its error messages.
fn indicator_label(column: &str) -> &'static str {
    match column {
        "indicator" => "Mã chỉ tiêu",
        "name" => "Tên chỉ tiêu",
        "unit" => "Đơn vị tính",
        "direction" => "Chiều tốt",
        "aggregate" => "Tổng hợp cụm",
        "threshold" => "Mức phấn đấu chung",
        _ => "Chỉ tiêu",
    }
}
