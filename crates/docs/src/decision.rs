//! A commendation decision as a `.docx` draft in the layout of Phụ lục I
//! Nghị định 30/2020/NĐ-CP (thể thức văn bản hành chính): the text comes
//! from `tdkt_core::decision::document`, the container from [`crate::docx`].
//!
//! The parts, top to bottom, as Phụ lục I places them:
//! - a two-column header without borders: left, the governing body (if
//!   any) and the issuing body in bold capitals, a short rule, then
//!   `Số: 15/QĐ-UBND`; right, the national title `CỘNG HÒA XÃ HỘI CHỦ NGHĨA
//!   VIỆT NAM` (bold capitals, 12–13 pt), the motto `Độc lập - Tự do - Hạnh
//!   phúc` (bold, 13–14 pt) over a short rule, and the place and date line
//!   in italics;
//! - the kind `QUYẾT ĐỊNH` and the abstract, bold and centred; who decides;
//!   the legal bases in italics; `QUYẾT ĐỊNH:`; the articles;
//! - a two-column footer: `Nơi nhận:` (bold italic 12 pt, list 11 pt) and
//!   the signature block (title in bold capitals, then the signer's name);
//! - the annex on a page of its own: its title, the line tying it to the
//!   decision, and the table of recipients with their amounts and total.

use tdkt_core::decision::{format_dong, DecisionDocument};

use crate::{escape, DocsError};

/// Width of the text between the margins (A4 11906 − 1701 − 851 twips).
pub(crate) const TEXT_WIDTH: u32 = 9354;

#[derive(Clone, Copy, Default)]
pub(crate) struct Run {
    pub(crate) bold: bool,
    pub(crate) italic: bool,
    /// Half-points; 0 = the document's 14 pt.
    pub(crate) size: u32,
}

pub(crate) const PLAIN: Run = Run {
    bold: false,
    italic: false,
    size: 0,
};
pub(crate) const BOLD: Run = Run {
    bold: true,
    italic: false,
    size: 0,
};
pub(crate) const ITALIC: Run = Run {
    bold: false,
    italic: true,
    size: 0,
};

pub(crate) fn run(style: Run, text: &str) -> String {
    let mut props = String::new();
    if style.bold {
        props.push_str("<w:b/>");
    }
    if style.italic {
        props.push_str("<w:i/>");
    }
    if style.size > 0 {
        props.push_str(&format!(
            r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#,
            style.size
        ));
    }
    format!(
        r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        escape(text)
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Center,
    Justify,
    Left,
    Right,
}

/// A paragraph; `indent` = first-line indent of body text (1 cm).
pub(crate) fn para(align: Align, indent: bool, runs: &[String]) -> String {
    let jc = match align {
        Align::Center => "center",
        Align::Justify => "both",
        Align::Left => "left",
        Align::Right => "right",
    };
    let ind = if indent {
        r#"<w:ind w:firstLine="567"/>"#
    } else {
        r#"<w:ind w:firstLine="0"/>"#
    };
    format!(
        r#"<w:p><w:pPr><w:spacing w:before="60" w:after="60"/>{ind}<w:jc w:val="{jc}"/></w:pPr>{}</w:p>"#,
        runs.concat()
    )
}

/// A short centred rule under a heading line (Phụ lục I: a line a third to
/// a half of the text above it), drawn as the bottom border of an empty
/// paragraph indented on both sides.
pub(crate) fn rule(side_indent: u32) -> String {
    format!(
        r#"<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr><w:spacing w:before="0" w:after="120" w:line="120" w:lineRule="exact"/><w:ind w:left="{side_indent}" w:right="{side_indent}" w:firstLine="0"/></w:pPr></w:p>"#
    )
}

fn cell(width: u32, content: &str, borders: bool) -> String {
    let b = if borders {
        ""
    } else {
        r#"<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/></w:tcBorders>"#
    };
    // a cell must end with a paragraph
    let content = if content.is_empty() {
        "<w:p/>"
    } else {
        content
    };
    format!(r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{b}</w:tcPr>{content}</w:tc>"#)
}

pub(crate) fn table(widths: &[u32], rows: &[Vec<String>], borders: bool) -> String {
    let grid = widths.iter().fold(String::new(), |mut g, w| {
        g.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
        g
    });
    let border_props = if borders {
        r#"<w:tblBorders><w:top w:val="single" w:sz="4" w:color="000000"/><w:left w:val="single" w:sz="4" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:color="000000"/><w:right w:val="single" w:sz="4" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:color="000000"/></w:tblBorders>"#
    } else {
        r#"<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>"#
    };
    let total: u32 = widths.iter().sum();
    let mut out = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:tblLayout w:type="fixed"/>{border_props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"#
    );
    for r in rows {
        out.push_str("<w:tr>");
        for (w, c) in widths.iter().zip(r) {
            out.push_str(&cell(*w, c, borders));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// The two-column header of Phụ lục I NĐ 30/2020/NĐ-CP: left, the
/// governing body (if any) and the issuing body in bold capitals over a
/// short rule, then the number line (if any); right, the national title,
/// the motto over a short rule and the place and date line in italics.
/// Shared by every official document tdkt drafts (decisions, reports of
/// achievements).
pub(crate) fn national_header(
    parent_body: &str,
    issuer: &str,
    number_line: &str,
    place_date: &str,
) -> String {
    let small_bold = Run {
        bold: true,
        italic: false,
        size: 26,
    };
    let small = Run {
        bold: false,
        italic: false,
        size: 26,
    };
    let mut left = String::new();
    if !parent_body.is_empty() {
        left.push_str(&para(Align::Center, false, &[run(small, parent_body)]));
    }
    left.push_str(&para(Align::Center, false, &[run(small_bold, issuer)]));
    left.push_str(&rule(1100));
    if !number_line.is_empty() {
        left.push_str(&para(Align::Center, false, &[run(small, number_line)]));
    }
    let mut right = String::new();
    right.push_str(&para(
        Align::Center,
        false,
        &[run(
            Run {
                bold: true,
                italic: false,
                size: 24,
            },
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        )],
    ));
    right.push_str(&para(
        Align::Center,
        false,
        &[run(small_bold, "Độc lập - Tự do - Hạnh phúc")],
    ));
    right.push_str(&rule(1300));
    right.push_str(&para(Align::Center, false, &[run(ITALIC, place_date)]));
    table(&[3600, TEXT_WIDTH - 3600], &[vec![left, right]], false)
}

/// `word/document.xml` of a decision.
#[must_use]
pub fn document_xml(d: &DecisionDocument) -> String {
    let mut body = national_header(&d.parent_body, &d.body, &d.number_line, &d.place_date);

    if d.draft {
        body.push_str(&para(Align::Right, false, &[run(BOLD, "DỰ THẢO")]));
    }
    body.push_str(&para(Align::Center, false, &[run(BOLD, "QUYẾT ĐỊNH")]));
    body.push_str(&para(Align::Center, false, &[run(BOLD, &d.title)]));
    body.push_str(&rule(3200));
    body.push_str(&para(Align::Center, false, &[run(BOLD, &d.decider)]));
    for b in &d.bases {
        body.push_str(&para(Align::Justify, true, &[run(ITALIC, b)]));
    }
    body.push_str(&para(Align::Center, false, &[run(BOLD, "QUYẾT ĐỊNH:")]));
    for a in &d.articles {
        // "Điều 1." in bold, the rest plain
        let (head, rest) = match a.find(". ") {
            Some(i) if a.starts_with("Điều ") => (&a[..=i], &a[i + 1..]),
            _ => ("", a.as_str()),
        };
        body.push_str(&para(
            Align::Justify,
            true,
            &[run(BOLD, head), run(PLAIN, rest)],
        ));
    }

    // footer: recipients | signature
    let mut to = para(
        Align::Left,
        false,
        &[run(
            Run {
                bold: true,
                italic: true,
                size: 24,
            },
            "Nơi nhận:",
        )],
    );
    for r in &d.recipients_to {
        to.push_str(&para(
            Align::Left,
            false,
            &[run(
                Run {
                    bold: false,
                    italic: false,
                    size: 22,
                },
                r,
            )],
        ));
    }
    let mut sign = String::new();
    for line in d.signer_title.split('/') {
        sign.push_str(&para(Align::Center, false, &[run(BOLD, line.trim())]));
    }
    for _ in 0..3 {
        sign.push_str(&para(Align::Center, false, &[]));
    }
    sign.push_str(&para(Align::Center, false, &[run(BOLD, &d.signer_name)]));
    body.push_str(&table(&[4500, TEXT_WIDTH - 4500], &[vec![to, sign]], false));

    // annex on its own page
    body.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
    body.push_str(&para(Align::Center, false, &[run(BOLD, &d.annex_title)]));
    body.push_str(&para(
        Align::Center,
        false,
        &[run(ITALIC, &d.annex_subtitle)],
    ));
    let cellp = |s: &str, align: Align, style: Run| {
        para(align, false, &[run(Run { size: 24, ..style }, s)])
    };
    let mut rows = vec![[
        "STT",
        "Cá nhân, tập thể, hộ gia đình",
        "Chức vụ, đơn vị",
        "Hình thức khen thưởng",
        "Số tiền (đồng)",
    ]
    .iter()
    .map(|h| cellp(h, Align::Center, BOLD))
    .collect::<Vec<_>>()];
    for (i, r) in d.annex.iter().enumerate() {
        rows.push(vec![
            cellp(&(i + 1).to_string(), Align::Center, PLAIN),
            cellp(&r.name, Align::Left, PLAIN),
            cellp(&r.detail, Align::Left, PLAIN),
            cellp(&r.award_name, Align::Left, PLAIN),
            cellp(&format_dong(r.amount), Align::Right, PLAIN),
        ]);
    }
    rows.push(vec![
        String::new(),
        cellp("Tổng cộng", Align::Left, BOLD),
        String::new(),
        String::new(),
        cellp(&format_dong(d.total), Align::Right, BOLD),
    ]);
    body.push_str(&table(&[700, 2800, 2300, 2000, 1554], &rows, true));
    body.push_str("<w:p/>");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}{}</w:body></w:document>"#,
        crate::docx::SECTION
    )
}

/// The decision as a `.docx` file.
///
/// # Errors
/// [`DocsError::Docx`] if the container cannot be written.
pub fn render(d: &DecisionDocument) -> Result<Vec<u8>, DocsError> {
    crate::docx::package(
        &format!("Quyết định {}", d.number_line.trim_start_matches("Số: ")),
        &document_xml(d),
    )
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use tdkt_core::catalogue::Recipient;
    use tdkt_core::decision::{document, AnnexRow, DocumentInput};

    use super::*;

    fn doc() -> DecisionDocument {
        let bases = vec!["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;".to_owned()];
        document(&DocumentInput {
            parent_body: "",
            body: "Ủy ban nhân dân thành phố Cần Thơ",
            place: "Cần Thơ",
            number: "15/QĐ-UBND",
            decided_on: time::macros::date!(2026 - 11 - 20),
            title: "Về việc tặng Bằng khen & khen thưởng",
            signer_title: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
            signer_name: "Nguyễn Văn B",
            bases: &bases,
            annex: vec![AnnexRow {
                name: "Bùi Thị Hồng Nhung".to_owned(),
                detail: "Chuyên viên, Sở Xây dựng".to_owned(),
                award_name: "Bằng khen của Chủ tịch UBND cấp tỉnh".to_owned(),
                recipient: Recipient::Individual,
                amount: 3_800_000,
            }],
            draft: false,
        })
    }

    #[test]
    fn the_draft_has_the_national_header_number_bases_signature_and_annex() {
        let bytes = render(&doc()).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let order = [
            "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
            "Số: 15/QĐ-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Cần Thơ, ngày 20 tháng 11 năm 2026",
            "QUYẾT ĐỊNH",
            "Về việc tặng Bằng khen &amp; khen thưởng",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
            "Căn cứ Luật Thi đua, khen thưởng",
            "QUYẾT ĐỊNH:",
            "Điều 1.",
            "Nơi nhận:",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Nguyễn Văn B",
            "DANH SÁCH KHEN THƯỞNG",
            "Bùi Thị Hồng Nhung",
            "3.800.000",
            "Tổng cộng",
        ];
        let mut at = 0;
        for part in order {
            let found = xml[at..]
                .find(part)
                .unwrap_or_else(|| panic!("«{part}» missing or out of order"));
            at += found + part.len();
        }
        assert!(!xml.contains("DỰ THẢO"), "an issued decision is no draft");
    }

    #[test]
    fn a_draft_says_so() {
        let mut d = doc();
        d.draft = true;
        assert!(document_xml(&d).contains("DỰ THẢO"));
    }
}
