//! The rubric editor (issue 15 item 2): a rubric's items as a table of a
//! form, one row per item (code, the group it belongs to, title, kind,
//! maximum, formula, indicator), indented by depth. Rows are posted as
//! repeated fields (`item_code`, `item_parent`, … once per row, in table
//! order), read into the flat rows of `tdkt_core::rubric::rows` and built
//! by `from_rows`, the builder the XLSX import uses, so the three ways in
//! (form, JSON, Excel) make the same `Rubric` and pass the same checks.
//!
//! JSON (`json`) and Excel (`xlsx_b64`) stay as «Nhập từ JSON/Excel»
//! (other tools post those fields). Without script the table shows the
//! existing rows and [`BLANK_ROWS`] blank ones; a blank row is ignored, so
//! clearing a row's cells removes it. With script (`/static/app.js`)
//! «Thêm mục» clones a row and «Xóa» removes one.
//!
//! A refusal names each bad row by its code (or its line in the table) and
//! the field, in Vietnamese, and marks the cell; the form comes back with
//! every row as typed.

use maud::{html, Markup};
use tdkt_core::import::RowError;
use tdkt_core::rubric::rows::{from_rows, kind_name, to_rows, RubricRow};
use tdkt_core::rubric::{Rubric, RubricError};

/// Blank rows offered below the existing ones.
pub(super) const BLANK_ROWS: usize = 5;

/// The rubric form as posted.
#[derive(Default, Clone)]
pub(crate) struct RubricForm {
    pub(super) code: String,
    pub(super) title: String,
    /// The items as JSON (a whole rubric, or its list of items).
    pub(super) json: String,
    /// An XLSX file, base64, filled in by the page's script.
    pub(super) xlsx_b64: String,
    /// `key/year` of the cluster whose pledge indicators formulas may use.
    pub(super) cluster: String,
    /// Code of the unit that owns a new rubric (empty: the caller's scope
    /// unit). A new version keeps the owner of the first.
    pub(super) unit: String,
    /// The editor's rows, as typed (blank ones included).
    pub(super) rows: Vec<RubricRow>,
}

/// The editor's field of each column of the flat rows, and its label.
const COLUMNS: [(&str, &str, &str); 7] = [
    ("code", "item_code", "Mã"),
    ("parent", "item_parent", "Thuộc nhóm"),
    ("title", "item_title", "Nội dung"),
    ("kind", "item_kind", "Loại"),
    ("max", "item_max", "Điểm tối đa"),
    ("formula", "item_formula", "Công thức"),
    ("indicator", "item_indicator", "Chỉ tiêu"),
];

/// The kinds offered, JSON name and label.
const KINDS: [(&str, &str); 5] = [
    ("group", "Nhóm"),
    ("manual", "Chấm tay"),
    ("formula", "Công thức"),
    ("bonus", "Điểm thưởng"),
    ("penalty", "Điểm trừ"),
];

fn label_of(column: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(c, _, _)| *c == column)
        .map_or("", |(_, _, l)| l)
}

impl RubricForm {
    /// Reads an url-encoded body: the single fields (last one wins) and the
    /// rows, the n-th value of each `item_*` field making row n.
    pub(super) fn from_body(body: &[u8]) -> Self {
        let mut f = Self::default();
        let mut cols: [Vec<String>; 7] = Default::default();
        for (k, v) in form_urlencoded::parse(body) {
            let v = v.into_owned();
            match k.as_ref() {
                "code" => f.code = v,
                "title" => f.title = v,
                "json" => f.json = v,
                "xlsx_b64" => f.xlsx_b64 = v,
                "cluster" => f.cluster = v,
                "unit" => f.unit = v,
                k => {
                    if let Some(i) = COLUMNS.iter().position(|(_, name, _)| *name == k) {
                        cols[i].push(v);
                    }
                }
            }
        }
        let n = cols.iter().map(Vec::len).max().unwrap_or(0);
        let at = |i: usize, r: usize| cols[i].get(r).cloned().unwrap_or_default();
        f.rows = (0..n)
            .map(|r| RubricRow {
                code: at(0, r),
                parent: at(1, r),
                title: at(2, r),
                kind: at(3, r),
                max: at(4, r),
                formula: at(5, r),
                indicator: at(6, r),
            })
            .collect();
        f
    }

    /// A new version's form, started from a saved version's items.
    pub(super) fn of_rubric(r: &Rubric) -> Self {
        Self {
            code: r.code.clone(),
            title: r.title.clone(),
            rows: to_rows(r)
                .into_iter()
                .map(|mut row| {
                    row.kind = kind_name(&row.kind).unwrap_or_default().to_owned();
                    row
                })
                .collect(),
            ..Self::default()
        }
    }

    /// Whether the editor's rows hold anything (the JSON and Excel fields
    /// left empty then mean: build from the rows).
    pub(super) fn has_rows(&self) -> bool {
        self.rows.iter().any(|r| !blank(r))
    }
}

/// A row with nothing typed in it (the kind select alone does not count).
fn blank(r: &RubricRow) -> bool {
    [
        &r.code,
        &r.parent,
        &r.title,
        &r.max,
        &r.formula,
        &r.indicator,
    ]
    .iter()
    .all(|c| c.trim().is_empty())
}

/// Why the editor's rows were refused: one Vietnamese line per problem and
/// the cells to mark (row index in the table as posted, column).
#[derive(Debug, Default)]
pub(crate) struct Refusal {
    pub(super) lines: Vec<String>,
    pub(super) marks: Vec<(usize, &'static str)>,
}

/// How the form names a row: by its code, else by its line in the table.
fn row_name(rows: &[RubricRow], i: usize) -> String {
    match rows.get(i).map(|r| r.code.trim()) {
        Some(c) if !c.is_empty() => format!("Mục «{c}» (dòng {} của bảng)", i + 1),
        _ => format!("Dòng {} của bảng", i + 1),
    }
}

/// Builds the rubric from the editor's rows (blank rows skipped), with
/// the structure errors of `from_rows` said per row and field.
pub(super) fn rubric_of_rows(
    code: &str,
    title: &str,
    rows: &[RubricRow],
) -> Result<Rubric, Refusal> {
    let kept: Vec<usize> = (0..rows.len()).filter(|&i| !blank(&rows[i])).collect();
    let body: Vec<RubricRow> = kept.iter().map(|&i| rows[i].clone()).collect();
    from_rows(code, 0, title, &body).map_err(|errors| {
        let mut out = Refusal::default();
        for RowError {
            row,
            column,
            message,
            ..
        } in errors
        {
            // from_rows numbers rows as a spreadsheet does: the first is 2
            let k = usize::try_from(row.saturating_sub(2)).unwrap_or(usize::MAX);
            let Some(&i) = kept.get(k) else { continue };
            let field = COLUMNS
                .iter()
                .find(|(c, _, _)| *c == column)
                .map_or("code", |(c, _, _)| c);
            let message = if field == "kind" && rows[i].kind.trim().is_empty() {
                "chưa chọn loại mục".to_owned()
            } else {
                message
            };
            out.lines.push(format!(
                "{}, ô «{}»: {message}.",
                row_name(rows, i),
                label_of(field)
            ));
            out.marks.push((i, field));
        }
        out
    })
}

/// The cells a rule error points at: the rows holding the item's code and
/// the field the rule is about.
pub(super) fn marks_of(rows: &[RubricRow], errors: &[RubricError]) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for e in errors {
        let (code, field) = match e {
            RubricError::DuplicateCode { code } | RubricError::BadCode { code } => (code, "code"),
            RubricError::BadMax { code, .. } | RubricError::ChildrenExceedGroup { code, .. } => {
                (code, "max")
            }
            RubricError::EmptyGroup { code } | RubricError::MixedGroup { code } => (code, "kind"),
            RubricError::NestedAdjustment { code } => (code, "parent"),
            RubricError::Formula { code, .. } => (code, "formula"),
            RubricError::UnknownIndicator { code, .. } => (code, "indicator"),
            _ => continue,
        };
        for (i, r) in rows.iter().enumerate() {
            if r.code.trim() == code {
                out.push((i, field));
            }
        }
    }
    out
}

/// Each row's depth: one more than its group's, when the group stands on
/// an earlier row.
fn depths(rows: &[RubricRow]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let parent = r.parent.trim();
        let d = if parent.is_empty() {
            0
        } else {
            (0..i)
                .rev()
                .find(|&j| rows[j].code.trim() == parent)
                .map_or(0, |j| out[j] + 1)
        };
        out.push(d);
    }
    out
}

/// The editor: the table of rows, «Thêm mục», the import fields.
/// `indicators` are the pledge keys offered (key, name).
pub(super) fn item_editor(
    f: &RubricForm,
    marks: &[(usize, &'static str)],
    indicators: &[(String, String)],
) -> Markup {
    let mut rows = f.rows.clone();
    rows.extend(std::iter::repeat_with(RubricRow::default).take(BLANK_ROWS));
    let depths = depths(&rows);
    let groups: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| kind_name(&r.kind) == Some("group") && !r.code.trim().is_empty())
        .map(|r| r.code.trim())
        .collect();
    let bad = |i: usize, field: &str| {
        marks
            .iter()
            .any(|(r, c)| *r == i && *c == field)
            .then_some("true")
    };
    html! {
        fieldset.rubric-items {
            legend { "Các mục của bảng tiêu chí" }
            p.muted.small { "Mỗi dòng một mục. Mục thuộc một nhóm thì ghi mã nhóm ở cột «Thuộc nhóm» (nhóm phải đứng ở dòng trên). Dòng để trống bị bỏ qua: xóa trắng một dòng là bỏ mục đó." }
            datalist #rubric-groups { @for g in &groups { option value=(g) {} } }
            div.scroll {
                table.responsive.editor #rubric-items {
                    thead { tr {
                        @for (_, _, label) in COLUMNS { th { (label) } }
                        th {}
                    } }
                    tbody {
                        @for (i, r) in rows.iter().enumerate() {
                            @let kind = kind_name(&r.kind).unwrap_or_default();
                            tr.item-row data-depth=(depths[i]) {
                                td data-label="Mã" { input.code name="item_code" value=(r.code) aria-label="Mã" aria-invalid=[bad(i, "code")]; }
                                td data-label="Thuộc nhóm" { input.code name="item_parent" value=(r.parent) list="rubric-groups" aria-label="Thuộc nhóm" aria-invalid=[bad(i, "parent")]; }
                                td.title data-label="Nội dung" style={ "padding-left:" (depths[i] * 20 + 8) "px" } {
                                    input name="item_title" value=(r.title) aria-label="Nội dung" aria-invalid=[bad(i, "title")];
                                }
                                td data-label="Loại" {
                                    select name="item_kind" aria-label="Loại" aria-invalid=[bad(i, "kind")] {
                                        option value="" selected[kind.is_empty()] { "— chọn —" }
                                        @for (value, label) in KINDS { option value=(value) selected[kind == value] { (label) } }
                                        // an unknown kind stays as typed, to be named by the error
                                        @if kind.is_empty() && !r.kind.trim().is_empty() { option value=(r.kind) selected { (r.kind) } }
                                    }
                                }
                                td data-label="Điểm tối đa" { input.num name="item_max" value=(r.max) inputmode="decimal" aria-label="Điểm tối đa" aria-invalid=[bad(i, "max")]; }
                                td data-label="Công thức" { input name="item_formula" value=(r.formula) aria-label="Công thức" placeholder="vd. min(20, 20 * actual / target)" aria-invalid=[bad(i, "formula")]; }
                                td data-label="Chỉ tiêu" {
                                    select name="item_indicator" aria-label="Chỉ tiêu" aria-invalid=[bad(i, "indicator")] {
                                        option value="" { "(không)" }
                                        @for (key, name) in indicators { option value=(key) selected[r.indicator.trim() == key] { (key) " — " (name) } }
                                        @if !r.indicator.trim().is_empty() && !indicators.iter().any(|(k, _)| k == r.indicator.trim()) {
                                            option value=(r.indicator) selected { (r.indicator) }
                                        }
                                    }
                                }
                                td { button.secondary.remove-row type="button" hidden { "Xóa" } }
                            }
                        }
                    }
                }
            }
            p { button.secondary #add-row type="button" hidden { "Thêm mục" } }
        }
    }
}

/// The import fields, folded: JSON text or an Excel file, and the template.
pub(super) fn import_fields(f: &RubricForm) -> Markup {
    html! {
        // open while the table is empty (a new rubric: either way in is
        // offered) or when JSON was typed
        details.import #rubric-import open[!f.json.trim().is_empty() || !f.has_rows()] {
            summary { "Nhập từ JSON/Excel" }
            p.muted.small { "Khi có JSON hoặc tệp Excel, bảng tiêu chí được lấy từ đó thay cho các dòng ở trên." }
            label { "Các mục (JSON)" textarea name="json" rows="8" placeholder=r#"[{"code":"1","title":"…","max":"60","kind":"group","children":[…]}]"# { (f.json) } }
            label { "hoặc tệp Excel (.xlsx, cột code, parent, title, kind, max, formula, indicator)"
                input type="file" #xlsx-file accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"; }
            input type="hidden" name="xlsx_b64" #xlsx-b64;
            p.template { a href="/scoring/rubric-template.xlsx" download { "Tải mẫu Excel" } }
        }
    }
}
