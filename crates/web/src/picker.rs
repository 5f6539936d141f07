//! Pickers: where a form asks for a unit, several units or a cluster-year,
//! it offers them by name instead of asking for a code (issue 15 item 2).
//!
//! The field names and the values posted are those the handlers read since
//! before the pickers (a unit's code, `key/year` for a cluster-year): other
//! tools post these forms by field name, so a picker only changes how the
//! value is chosen. A list of several units posts one field per checked
//! unit under the old textarea's name; [`joined`] folds the repeats into the
//! textarea's format (one code a line), so that the handler reads both the
//! check boxes and an old client's textarea alike.
//!
//! A long list (an administrator sees the whole tree) carries a filter box
//! that `/static/app.js` uses to hide what does not match; without script
//! the box is hidden by the stylesheet and the list is a plain select.

use std::collections::BTreeSet;

use maud::{html, Markup};
use tdkt_core::date::today_vn;
use tdkt_core::org::Unit;
use tdkt_core::period::Period;
use tdkt_store::clusters::Cluster;

use crate::view::unit_choice;

/// From this many choices on, a picker carries a filter box.
const FILTER_FROM: usize = 12;

/// Whether a picker offers units that have ended (dissolved, merged): only
/// where history is meant, and then under their own heading.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Units in being today only (a new movement's scope, a new person).
    Hide,
    /// Ended units too, after the others, dated (a search, a round about a
    /// past year whose members have since merged).
    Offer,
}

/// Units in being today, then (with [`Ended::Offer`]) the ended ones; each
/// half in the order given.
fn split(units: &[Unit], ended: Ended) -> (Vec<&Unit>, Vec<&Unit>) {
    let today = today_vn();
    let (live, gone): (Vec<&Unit>, Vec<&Unit>) = units.iter().partition(|u| u.valid_on(today));
    (
        live,
        if ended == Ended::Offer {
            gone
        } else {
            Vec::new()
        },
    )
}

fn filter_box(target: &str, count: usize) -> Markup {
    html! {
        @if count >= FILTER_FROM {
            input.pick-filter type="search" data-filter=(target) aria-controls=(target)
                placeholder="Lọc theo tên…" aria-label="Lọc danh sách theo tên" autocomplete="off";
        }
    }
}

/// A select of one unit among `units`, labelled by name with the dates
/// that tell alike names apart ([`unit_choice`]); `blank` is the label of
/// the empty choice (none: a choice is required), `chosen` the code to
/// show selected (what was posted, on a refused form).
pub(crate) fn unit_select(
    id: &str,
    name: &str,
    label: &str,
    units: &[Unit],
    ended: Ended,
    chosen: &str,
    blank: Option<&str>,
) -> Markup {
    let (live, gone) = split(units, ended);
    let chosen = chosen.trim();
    html! {
        label.picker {
            (label)
            (filter_box(id, live.len() + gone.len()))
            select id=(id) name=(name) required[blank.is_none()] {
                @if let Some(b) = blank { option value="" { (b) } }
                @else if chosen.is_empty() { option value="" { "— chọn đơn vị —" } }
                @for u in &live { option value=(u.code) selected[u.code == chosen] { (unit_choice(u, units)) } }
                @if !gone.is_empty() {
                    optgroup label="Đã giải thể, sáp nhập" {
                        @for u in &gone { option value=(u.code) selected[u.code == chosen] { (unit_choice(u, units)) } }
                    }
                }
            }
        }
    }
}

/// Check boxes of several units in a scrollable box, each posting its code
/// under `name` (read back with [`joined`]).
pub(crate) fn unit_checks(
    id: &str,
    name: &str,
    legend: &str,
    units: &[Unit],
    ended: Ended,
    chosen: &BTreeSet<String>,
) -> Markup {
    let (live, gone) = split(units, ended);
    html! {
        fieldset.picker {
            legend { (legend) }
            (filter_box(id, live.len() + gone.len()))
            div.pick-box id=(id) {
                @if live.is_empty() && gone.is_empty() { p.muted { "Không có đơn vị nào để chọn." } }
                @for u in live.iter().chain(&gone) {
                    label.check {
                        input type="checkbox" name=(name) value=(u.code) checked[chosen.contains(&u.code)];
                        " " (unit_choice(u, units))
                    }
                }
            }
        }
    }
}

/// A cluster-year as a picker shows it: "Cụm thi đua Tây Nam bộ — 2019".
#[must_use]
pub(crate) fn cluster_label(c: &Cluster) -> String {
    format!("{} — {}", c.name, c.year)
}

/// A select of a cluster-year, posting `key/year`; `blank` labels the
/// empty choice.
pub(crate) fn cluster_select(
    id: &str,
    name: &str,
    label: &str,
    clusters: &[Cluster],
    chosen: &str,
    blank: &str,
) -> Markup {
    let chosen = chosen.trim();
    html! {
        label.picker {
            (label)
            (filter_box(id, clusters.len()))
            select id=(id) name=(name) {
                option value="" { (blank) }
                @for c in clusters {
                    @let value = format!("{}/{}", c.key, c.year);
                    option value=(value) selected[value == chosen] { (cluster_label(c)) }
                }
            }
        }
    }
}

/// A select of the reporting periods of the given years (the year, its
/// halves and quarters), posting the period's code ("2019-H1").
pub(crate) fn period_select(
    id: &str,
    name: &str,
    label: &str,
    years: &BTreeSet<i32>,
    chosen: &str,
    blank: &str,
) -> Markup {
    let chosen = chosen.trim();
    html! {
        label.picker {
            (label)
            select id=(id) name=(name) {
                option value="" { (blank) }
                @for y in years.iter().rev() {
                    optgroup label={ "Năm " (y) } {
                        @for p in periods_of(*y) {
                            @let code = p.code();
                            option value=(code) selected[code == chosen] { (capitalised(&p.label())) }
                        }
                    }
                }
            }
        }
    }
}

fn periods_of(year: i32) -> Vec<Period> {
    ["", "-H1", "-H2", "-Q1", "-Q2", "-Q3", "-Q4"]
        .iter()
        .filter_map(|s| Period::parse(&format!("{year}{s}")).ok())
        .collect()
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Every non-empty value posted under `key`, one a line: the check boxes of
/// a picker and an old client's textarea read the same.
#[must_use]
pub(crate) fn joined(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .filter(|(k, v)| k == key && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The lines of `text` that are codes of `units`, and the other lines: on
/// a refused form the check boxes show the first and the free-text box
/// keeps the rest.
#[must_use]
pub(crate) fn known_and_rest(text: &str, units: &[Unit]) -> (BTreeSet<String>, String) {
    let mut known = BTreeSet::new();
    let mut rest = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if units.iter().any(|u| u.code == line) {
            known.insert(line.to_owned());
        } else {
            rest.push(line);
        }
    }
    (known, rest.join("\n"))
}

/// The codes written in `text` (split on commas, semicolons and white
/// space), as a set to check boxes with.
#[must_use]
pub(crate) fn codes(text: &str) -> BTreeSet<String> {
    text.split([',', ';', '\n', '\r', '\t', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}
