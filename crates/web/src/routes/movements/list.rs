//! The movements list (issue 15): count, sortable columns, filters by kind
//! and year, numbered pages and the filtered list as XLSX/CSV. Movements
//! are tens a year and public like the org tree, so the list is read whole
//! and arranged here ([`Listing::arrange`]).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use tdkt_core::access::Action;
use tdkt_core::date::VN_OFFSET;
use tdkt_core::movement::MovementKind;
use tdkt_core::text::fold;
use tdkt_store::listing::SortKey;
use tdkt_store::movements::Movement;

use crate::auth::authorize;
use crate::layout::Ctx;
use crate::listing::{col, export, Cell, Column, ListQuery, Listing};
use crate::load::units_with;
use crate::{AppError, SharedState};

/// A column the movements list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum MovementSort {
    /// The store's order.
    #[default]
    Stored,
    Name,
    Kind,
    Unit,
    Starts,
    Ends,
}

impl SortKey for MovementSort {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("ten", Self::Name),
        ("loai", Self::Kind),
        ("don_vi", Self::Unit),
        ("bat_dau", Self::Starts),
        ("ket_thuc", Self::Ends),
    ];
}

pub(super) async fn list(
    State(state): State<SharedState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    authorize(&state, &ctx.user, Action::ReadUnits, None, &ctx.path).await?;
    let view: Listing<MovementSort> = Listing::of_query("/movements", &["loai", "nam"], &q);
    let kind = view
        .filter("loai")
        .and_then(|k| MovementKind::ALL.into_iter().find(|x| x.code() == k));
    let year: Option<i32> = view.filter("nam").and_then(|y| y.parse().ok());
    let lineage = state.store.lineage().await?;
    let unit_name = |m: &Movement| {
        lineage
            .unit(m.unit_id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let rows: Vec<(Movement, String)> = state
        .store
        .movements()
        .await?
        .into_iter()
        .filter(|m| kind.is_none_or(|k| m.kind == k))
        .filter(|m| {
            year.is_none_or(|y| {
                m.window.starts.to_offset(VN_OFFSET).year() <= y
                    && (m.window.ends - time::Duration::SECOND)
                        .to_offset(VN_OFFSET)
                        .year()
                        >= y
            })
        })
        .map(|m| {
            let name = unit_name(&m);
            (m, name)
        })
        .collect();
    let found = view.arrange(rows, |sort, (a, an), (b, bn)| match sort {
        MovementSort::Stored => std::cmp::Ordering::Equal,
        MovementSort::Name => fold(&a.name).cmp(&fold(&b.name)),
        MovementSort::Kind => a.kind.label().cmp(b.kind.label()),
        MovementSort::Unit => fold(an).cmp(&fold(bn)),
        MovementSort::Starts => a.window.starts.cmp(&b.window.starts),
        MovementSort::Ends => a.window.ends.cmp(&b.window.ends),
    });
    if let Some(f) = view.format {
        return export(
            f,
            "Phong trào thi đua",
            "phong-trao-thi-dua",
            &COLUMNS,
            found.rows.iter().map(|(m, unit)| row(m, unit)),
        );
    }
    let may_launch = ctx.principal().is_some()
        && !units_with(&state, &ctx, Action::LaunchMovement)
            .await?
            .is_empty();
    let chosen = view.filter("loai").unwrap_or_default();
    Ok(ctx
        .page(
            "Phong trào thi đua",
            html! {
                h1 { "Phong trào thi đua" }
                @if may_launch { p { a.button href="/movements/new" { "Phát động phong trào" } } }
                form.filters method="get" action="/movements" {
                    label { "Hình thức "
                        select name="loai" {
                            option value="" { "Tất cả" }
                            @for k in MovementKind::ALL { option value=(k.code()) selected[chosen == k.code()] { (k.label()) } }
                        }
                    }
                    label { "Năm " input name="nam" size="4" inputmode="numeric" value=(view.filter("nam").unwrap_or_default()); }
                    (view.filter_submit())
                }
                (view.count(found.total, "phong trào"))
                @if found.rows.is_empty() {
                    p.muted { @if view.filtered() { "Không có phong trào nào khớp bộ lọc." } @else { "Chưa có phong trào nào." } }
                } @else {
                    (view.export_links())
                    (view.sort_menu(&[("Tên", MovementSort::Name), ("Hình thức", MovementSort::Kind), ("Đơn vị", MovementSort::Unit), ("Bắt đầu", MovementSort::Starts), ("Kết thúc", MovementSort::Ends)]))
                    div.scroll { table.responsive #movements {
                        thead { tr {
                            (view.th("Phong trào", MovementSort::Name))
                            (view.th("Hình thức", MovementSort::Kind))
                            (view.th("Đơn vị phát động", MovementSort::Unit))
                            (view.th("Bắt đầu", MovementSort::Starts))
                            (view.th("Kết thúc", MovementSort::Ends))
                        } }
                        tbody { @for (m, unit) in &found.rows { tr {
                            td data-label="Phong trào" { a href={ "/movements/" (m.code) } { (m.name) } }
                            td data-label="Hình thức" { (m.kind.label()) }
                            td data-label="Đơn vị phát động" { (unit) }
                            td data-label="Bắt đầu" { (tdkt_core::movement::format_local(m.window.starts)) }
                            td data-label="Kết thúc" { (tdkt_core::movement::format_local(m.window.ends)) }
                        } } }
                    } }
                    (view.pager(found.total))
                }
            },
        )
        .into_response())
}

const COLUMNS: [Column; 6] = [
    col("Mã phong trào", 20),
    col("Tên phong trào", 50),
    col("Hình thức", 24),
    col("Đơn vị phát động", 30),
    col("Bắt đầu", 12),
    col("Kết thúc", 12),
];

fn row(m: &Movement, unit: &str) -> Vec<Cell> {
    vec![
        Cell::text(&m.code),
        Cell::text(&m.name),
        Cell::text(m.kind.label()),
        Cell::text(unit),
        Cell::Date(m.window.starts.to_offset(VN_OFFSET).date()),
        Cell::Date(m.window.ends.to_offset(VN_OFFSET).date()),
    ]
}
