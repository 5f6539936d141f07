//! Rubrics to and from Excel: one sheet, one row per item in the flat form
//! of `tdkt_core::rubric::rows` (columns `code, parent, title, kind, max,
//! formula, indicator`). Import names every bad column and row; points are
//! written as text with a decimal comma so no float ever touches them.

use tdkt_core::import::column_letter;
use tdkt_core::rubric::rows::{from_rows, to_rows, RubricRow, HEADER};
use tdkt_core::rubric::Rubric;

use crate::view::{import_template, TemplateColumn};
use crate::AppError;

fn invalid(message: String) -> AppError {
    AppError::Invalid {
        field: "xlsx",
        message,
    }
}

fn internal(e: &impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("xlsx: {e}"))
}

/// The rubric as an XLSX workbook.
///
/// # Errors
/// Writer failure (internal).
pub fn export(rubric: &Rubric) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("Bảng tiêu chí").map_err(|e| internal(&e))?;
    for (c, h) in (0u16..).zip(HEADER) {
        ws.write_string_with_format(0, c, h, &bold)
            .map_err(|e| internal(&e))?;
    }
    for (c, w) in (0u16..).zip([8, 8, 60, 12, 8, 36, 16]) {
        ws.set_column_width(c, w).map_err(|e| internal(&e))?;
    }
    ws.set_freeze_panes(1, 0).map_err(|e| internal(&e))?;
    for (i, r) in to_rows(rubric).iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|e| internal(&e))?;
        let cells = [
            &r.code,
            &r.parent,
            &r.title,
            &r.kind,
            &r.max,
            &r.formula,
            &r.indicator,
        ];
        for (c, v) in (0u16..).zip(cells) {
            ws.write_string(row, c, v.as_str())
                .map_err(|e| internal(&e))?;
        }
    }
    wb.save_to_buffer().map_err(|e| internal(&e))
}

/// Reads a rubric from the first sheet of an XLSX workbook.
///
/// # Errors
/// Not a workbook; a missing or unknown column (named); every bad row
/// (numbered as in the sheet), one per line.
pub fn import(code: &str, title: &str, bytes: &[u8]) -> Result<Rubric, AppError> {
    use tdkt_store::awards::file::{self, FileError};
    // the one reader of import files: every cell checked for its length
    let (header, rows, _) = file::read_bytes("rubric.xlsx", bytes.to_vec()).map_err(|e| {
        invalid(match e {
            FileError::Header(e) => e.to_string(),
            FileError::Empty(_) => "Tệp Excel không có trang tính nào.".into(),
            _ => "Tệp tải lên không phải tệp Excel (.xlsx) đọc được.".into(),
        })
    })?;
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut errors = Vec::new();
    let mut pos = [usize::MAX; 7];
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        match HEADER.iter().position(|k| k == h) {
            Some(k) => pos[k] = i,
            None => errors.push(format!(
                "Cột {} “{h}” không thuộc mẫu (các cột: {}).",
                column_letter(i),
                HEADER.join(", ")
            )),
        }
    }
    for (k, p) in pos.iter().enumerate() {
        // formula and indicator may be left out when no item uses them
        if *p == usize::MAX && k < 5 {
            errors.push(format!("Thiếu cột “{}”.", HEADER[k]));
        }
    }
    if !errors.is_empty() {
        return Err(invalid(errors.join("\n")));
    }
    let rows: Vec<Vec<String>> = rows
        .collect::<Result<_, _>>()
        .map_err(|e| invalid(e.to_string()))?;
    let get = |r: &[String], k: usize| {
        r.get(pos[k])
            .map_or_else(String::new, |c| c.trim().to_owned())
    };
    let body: Vec<RubricRow> = rows
        .iter()
        .map(|r| RubricRow {
            code: get(r, 0),
            parent: get(r, 1),
            title: get(r, 2),
            kind: get(r, 3),
            max: get(r, 4),
            formula: get(r, 5),
            indicator: get(r, 6),
        })
        // wholly empty rows at the end of a sheet are not items
        .filter(|r| *r != RubricRow::default())
        .collect();
    from_rows(code, 0, title, &body).map_err(|errs| {
        invalid(
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// The columns of the rubric template, with a note on each.
const TEMPLATE: [TemplateColumn; 7] = [
    TemplateColumn {
        header: HEADER[0],
        note: "Mã mục, duy nhất trong bảng: chữ không dấu, số, dấu chấm, gạch ngang (vd. 1, 1.2, T1).",
        example: "1",
    },
    TemplateColumn {
        header: HEADER[1],
        note: "Mã nhóm chứa mục này (nhóm phải ở dòng trên); để trống nếu mục ở cấp cao nhất.",
        example: "",
    },
    TemplateColumn {
        header: HEADER[2],
        note: "Nội dung tiêu chí.",
        example: "Thực hiện chỉ tiêu kinh tế - xã hội",
    },
    TemplateColumn {
        header: HEADER[3],
        note: "Loại: nhóm, chấm tay, công thức, điểm thưởng hoặc điểm trừ.",
        example: "nhóm",
    },
    TemplateColumn {
        header: HEADER[4],
        note: "Điểm tối đa, dấu phẩy trước phần thập phân (vd. 7,5). Với nhóm điểm thưởng/điểm trừ: mức trần.",
        example: "60",
    },
    TemplateColumn {
        header: HEADER[5],
        note: "Chỉ với loại công thức, vd. min(30, 30 * actual / target).",
        example: "",
    },
    TemplateColumn {
        header: HEADER[6],
        note: "Chỉ với loại công thức: mã chỉ tiêu trong giao ước thi đua của cụm, khối (actual, target lấy từ chỉ tiêu này).",
        example: "",
    },
];

/// The example rows after the first: a formula and a manual criterion in
/// the group, a bonus at the top.
const TEMPLATE_MORE: [&[&str]; 3] = [
    &[
        "1.1",
        "1",
        "Tăng trưởng GRDP",
        "công thức",
        "30",
        "min(30, 30 * actual / target)",
        "grdp",
    ],
    &[
        "1.2",
        "1",
        "Công tác thi đua, khen thưởng",
        "chấm tay",
        "30",
        "",
        "",
    ],
    &[
        "T1",
        "",
        "Sáng kiến được công nhận",
        "điểm thưởng",
        "3",
        "",
        "",
    ],
];

/// «Tải mẫu» of the rubric import: an XLSX the import reads back.
pub(super) async fn template(
    axum::extract::State(state): axum::extract::State<crate::SharedState>,
    ctx: crate::layout::Ctx,
) -> Result<axum::response::Response, AppError> {
    ctx.require()?;
    crate::auth::authorize(
        &state,
        &ctx.user,
        tdkt_core::access::Action::RunEvaluation,
        None,
        &ctx.path,
    )
    .await?;
    import_template(
        "mau-bang-tieu-chi.xlsx",
        "Mẫu bảng tiêu chí chấm điểm: mỗi dòng một mục, nhóm đứng trước các mục con của nó. Giữ nguyên dòng tiêu đề (tên cột tiếng Anh), sửa hoặc xóa các dòng ví dụ. Mã và tên bảng tiêu chí nhập trên trang web.",
        &TEMPLATE,
        &TEMPLATE_MORE,
    )
}
