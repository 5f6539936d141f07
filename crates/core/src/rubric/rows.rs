//! The flat row form of a rubric, one row per item, for spreadsheets
//! (XLSX/CSV import and export are done by the layer that reads files):
//!
//! | code | parent | title | kind | max | formula | indicator |
//! |------|--------|-------|------|-----|---------|-----------|
//! | 1    |        | Chỉ tiêu kinh tế | nhóm | 60 | | |
//! | 1.1  | 1      | Tăng trưởng GRDP | công thức | 20 | min(20, 20 * actual / target) | grdp |
//!
//! Rows map 1:1 to items, in pre-order (a parent before its children); the
//! column `indicator` is the pledge indicator a formula is bound to. `kind`
//! accepts the Vietnamese labels written by [`to_rows`] (`nhóm`, `chấm tay`,
//! `công thức`, `điểm thưởng`, `điểm trừ`, with or without diacritics) and the
//! JSON names (`group`, `manual`, `formula`, `bonus`, `penalty`). `max`
//! accepts a decimal comma. Row numbers in errors are spreadsheet rows: row 1
//! is the header, so the first item is row 2.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Item, ItemKind, Rubric};
use crate::import::RowError;
use crate::number::{format_vi, parse_vi};
use crate::text::fold;

/// One row as read from or written to a spreadsheet: plain text cells.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RubricRow {
    pub code: String,
    pub parent: String,
    pub title: String,
    pub kind: String,
    pub max: String,
    pub formula: String,
    pub indicator: String,
}

/// Header cells, in column order.
pub const HEADER: [&str; 7] = [
    "code",
    "parent",
    "title",
    "kind",
    "max",
    "formula",
    "indicator",
];

fn kind_label(kind: &ItemKind) -> &'static str {
    match kind {
        ItemKind::Group { .. } => "nhóm",
        ItemKind::Manual => "chấm tay",
        ItemKind::Formula { .. } => "công thức",
        ItemKind::Bonus => "điểm thưởng",
        ItemKind::Penalty => "điểm trừ",
    }
}

/// The JSON name of a kind (`group`, `manual`, `formula`, `bonus`,
/// `penalty`) from what a row may hold: the JSON name itself or the
/// Vietnamese label, with or without diacritics.
#[must_use]
pub fn kind_name(label: &str) -> Option<&'static str> {
    match fold(label).trim() {
        "nhom" | "group" => Some("group"),
        "cham tay" | "manual" => Some("manual"),
        "cong thuc" | "formula" => Some("formula"),
        "diem thuong" | "bonus" => Some("bonus"),
        "diem tru" | "penalty" => Some("penalty"),
        _ => None,
    }
}

/// Flattens a rubric to rows, parents first.
#[must_use]
pub fn to_rows(rubric: &Rubric) -> Vec<RubricRow> {
    fn walk(items: &[Item], parent: &str, out: &mut Vec<RubricRow>) {
        for item in items {
            let (formula, indicator) = match &item.kind {
                ItemKind::Formula { formula, indicator } => {
                    (formula.clone(), indicator.clone().unwrap_or_default())
                }
                _ => (String::new(), String::new()),
            };
            out.push(RubricRow {
                code: item.code.clone(),
                parent: parent.to_owned(),
                title: item.title.clone(),
                kind: kind_label(&item.kind).to_owned(),
                max: format_vi(item.max),
                formula,
                indicator,
            });
            if let ItemKind::Group { children } = &item.kind {
                walk(children, &item.code, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&rubric.items, "", &mut out);
    out
}

/// Builds a rubric from rows. Structure only: call [`Rubric::check`] next
/// for the rules on maxima and formulas.
///
/// # Errors
/// Every bad row, numbered as in the spreadsheet.
pub fn from_rows(
    code: &str,
    version: u32,
    title: &str,
    rows: &[RubricRow],
) -> Result<Rubric, Vec<RowError>> {
    let mut errors = Vec::new();
    // Items by code, and the children codes of each parent in row order.
    let mut items: BTreeMap<String, Item> = BTreeMap::new();
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut groups = std::collections::BTreeSet::new();
    // the header is row 1
    for (row, r) in (2_u64..).zip(rows) {
        let mut bad =
            |column: &str, reason: String| errors.push(RowError::new(row, column, reason));
        let code = r.code.trim().to_owned();
        if code.is_empty() {
            bad("code", "thiếu mã mục".into());
            continue;
        }
        if items.contains_key(&code) {
            bad("code", format!("mã “{code}” đã dùng ở dòng trước"));
            continue;
        }
        let parent = r.parent.trim().to_owned();
        if !parent.is_empty() && !groups.contains(&parent) {
            bad(
                "parent",
                format!("mục cha “{parent}” chưa có ở các dòng trên hoặc không phải là nhóm"),
            );
            continue;
        }
        let max = match parse_vi(&r.max) {
            Ok(m) => m,
            Err(e) => {
                bad("max", e.to_string());
                continue;
            }
        };
        let formula = r.formula.trim();
        let indicator = r.indicator.trim();
        let kind = match kind_name(&r.kind) {
            Some("group") => ItemKind::Group {
                children: Vec::new(),
            },
            Some("manual") => ItemKind::Manual,
            Some("formula") => ItemKind::Formula {
                formula: formula.to_owned(),
                indicator: (!indicator.is_empty()).then(|| indicator.to_owned()),
            },
            Some("bonus") => ItemKind::Bonus,
            Some("penalty") => ItemKind::Penalty,
            _ => {
                bad("kind", format!(
                    "loại “{}” không hợp lệ; dùng: nhóm, chấm tay, công thức, điểm thưởng, điểm trừ",
                    r.kind.trim()
                ));
                continue;
            }
        };
        let is_formula = matches!(kind, ItemKind::Formula { .. });
        if is_formula && formula.is_empty() {
            bad(
                "formula",
                format!("mục “{code}” loại công thức nhưng cột công thức để trống"),
            );
            continue;
        }
        if !is_formula && (!formula.is_empty() || !indicator.is_empty()) {
            bad(
                "formula",
                format!(
                    "mục “{code}” không phải loại công thức nên không ghi công thức hay chỉ tiêu"
                ),
            );
            continue;
        }
        if matches!(kind, ItemKind::Group { .. }) {
            groups.insert(code.clone());
        }
        children.entry(parent).or_default().push(code.clone());
        items.insert(
            code.clone(),
            Item {
                code,
                title: r.title.trim().to_owned(),
                max,
                kind,
            },
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    fn build(
        code: &str,
        items: &mut BTreeMap<String, Item>,
        children: &BTreeMap<String, Vec<String>>,
    ) -> Item {
        let mut item = items.remove(code).expect("every listed child was inserted");
        if let ItemKind::Group { children: kids } = &mut item.kind {
            for c in children.get(code).into_iter().flatten() {
                kids.push(build(c, items, children));
            }
        }
        item
    }
    let top = children.get("").cloned().unwrap_or_default();
    let items_tree = top
        .iter()
        .map(|c| build(c, &mut items, &children))
        .collect();
    Ok(Rubric {
        code: code.to_owned(),
        version,
        title: title.to_owned(),
        items: items_tree,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::tests::cluster_rubric;

    #[test]
    fn rows_round_trip_one_to_one() {
        let rubric = cluster_rubric();
        let rows = to_rows(&rubric);
        assert_eq!(rows.len(), 11);
        assert_eq!(rows[1].parent, "1");
        assert_eq!(rows[1].kind, "công thức");
        assert_eq!(rows[1].indicator, "grdp");
        let back = from_rows(&rubric.code, rubric.version, &rubric.title, &rows).unwrap();
        assert_eq!(back, rubric);
    }

    #[test]
    fn plain_ascii_kinds_and_decimal_commas_are_accepted() {
        let row = |code: &str, parent: &str, kind: &str, max: &str| RubricRow {
            code: code.into(),
            parent: parent.into(),
            title: code.into(),
            kind: kind.into(),
            max: max.into(),
            ..RubricRow::default()
        };
        let rubric = from_rows(
            "x",
            1,
            "x",
            &[
                row("1", "", "Nhom", "10"),
                row("1.1", "1", "cham tay", "7,5"),
            ],
        )
        .unwrap();
        let ItemKind::Group { children } = &rubric.items[0].kind else {
            panic!()
        };
        assert_eq!(children[0].max, "7.5".parse().unwrap());
    }

    #[test]
    fn bad_rows_are_reported_with_their_spreadsheet_row_number() {
        let rows = vec![
            RubricRow {
                code: "1".into(),
                kind: "nhóm".into(),
                max: "10".into(),
                ..Default::default()
            },
            RubricRow {
                code: "1.1".into(),
                parent: "9".into(),
                kind: "chấm tay".into(),
                max: "5".into(),
                ..Default::default()
            },
            RubricRow {
                code: "1.2".into(),
                parent: "1".into(),
                kind: "tự động".into(),
                max: "5".into(),
                ..Default::default()
            },
            RubricRow {
                code: "1.3".into(),
                parent: "1".into(),
                kind: "chấm tay".into(),
                max: "năm".into(),
                ..Default::default()
            },
            RubricRow {
                code: "1".into(),
                kind: "nhóm".into(),
                max: "5".into(),
                ..Default::default()
            },
        ];
        let errors = from_rows("x", 1, "x", &rows).unwrap_err();
        let rows: Vec<u64> = errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, vec![3, 4, 5, 6]);
        assert!(
            errors[0]
                .to_string()
                .starts_with("Dòng 3, cột «parent»: mục cha “9”"),
            "{}",
            errors[0]
        );
    }
}
