//! A report of achievements (*báo cáo thành tích*) as `.docx`, in the
//! layout of the report forms of the Phụ lục of Nghị định 152/2025/NĐ-CP
//! with the official header of Phụ lục I Nghị định 30/2020/NĐ-CP (the
//! header, motto and rules of [`crate::decision`], shared): the reporting
//! unit and its parent on the left, the national title, motto and place and
//! date on the right; the title `BÁO CÁO THÀNH TÍCH` and the form proposed,
//! bold and centred; the (edited) text, its `I.`, `II.` headings in bold;
//! two signature blocks (the level that certifies and proposes, the one
//! reporting).

use tdkt_core::review::achievement::{lines, Line};

use crate::decision::{national_header, para, rule, run, table, Align, BOLD, PLAIN, TEXT_WIDTH};
use crate::DocsError;

/// What the document prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchievementDocument {
    /// The body above the reporting unit, capitals (may be empty).
    pub parent_body: String,
    /// The reporting unit, capitals.
    pub body: String,
    /// `Cần Thơ, ngày 05 tháng 02 năm 2026`.
    pub place_date: String,
    pub title: String,
    pub subject: String,
    /// The report's text, one paragraph a line.
    pub text: String,
    pub sign_left: String,
    pub sign_right: String,
}

/// `word/document.xml` of a report.
#[must_use]
pub fn document_xml(d: &AchievementDocument) -> String {
    let mut body = national_header(&d.parent_body, &d.body, "", &d.place_date);
    body.push_str(&para(Align::Center, false, &[run(BOLD, &d.title)]));
    body.push_str(&para(Align::Center, false, &[run(BOLD, &d.subject)]));
    body.push_str(&rule(3200));
    for l in lines(&d.text) {
        body.push_str(&match l {
            Line::Heading(h) => para(Align::Left, false, &[run(BOLD, h)]),
            Line::Text(t) => para(Align::Justify, true, &[run(PLAIN, t)]),
        });
    }
    let block = |title: &str| {
        let mut s = para(Align::Center, false, &[run(BOLD, title)]);
        for _ in 0..4 {
            s.push_str(&para(Align::Center, false, &[]));
        }
        s
    };
    body.push_str(&table(
        &[TEXT_WIDTH / 2, TEXT_WIDTH - TEXT_WIDTH / 2],
        &[vec![block(&d.sign_left), block(&d.sign_right)]],
        false,
    ));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}{}</w:body></w:document>"#,
        crate::docx::SECTION
    )
}

/// The report as a `.docx` file.
///
/// # Errors
/// [`DocsError::Docx`] if the container cannot be written.
pub fn render(d: &AchievementDocument) -> Result<Vec<u8>, DocsError> {
    crate::docx::package("Báo cáo thành tích", &document_xml(d))
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::*;

    #[test]
    fn the_report_has_the_national_header_title_headings_and_two_signatures() {
        let d = AchievementDocument {
            parent_body: "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ".into(),
            body: "SỞ XÂY DỰNG".into(),
            place_date: "Cần Thơ, ngày 05 tháng 02 năm 2026".into(),
            title: "BÁO CÁO THÀNH TÍCH".into(),
            subject: "Đề nghị tặng Bằng khen của Thủ tướng Chính phủ".into(),
            text: "I. SƠ LƯỢC LÝ LỊCH\nHọ và tên: Bùi Thị Hồng Nhung & <b>.\n\nII. THÀNH TÍCH ĐẠT ĐƯỢC\nNăm 2025: Hoàn thành xuất sắc nhiệm vụ.".into(),
            sign_left: "XÁC NHẬN, ĐỀ NGHỊ CỦA CẤP TRÌNH KHEN THƯỞNG".into(),
            sign_right: "NGƯỜI BÁO CÁO THÀNH TÍCH".into(),
        };
        let bytes = render(&d).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        for s in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "SỞ XÂY DỰNG",
            "Cần Thơ, ngày 05 tháng 02 năm 2026",
            "BÁO CÁO THÀNH TÍCH",
            "NGƯỜI BÁO CÁO THÀNH TÍCH",
            "&amp; &lt;b&gt;",
        ] {
            assert!(xml.contains(s), "{s} missing");
        }
        // a heading is bold
        let at = xml.find("II. THÀNH TÍCH ĐẠT ĐƯỢC").unwrap();
        assert!(xml[..at].rfind("<w:b/>").unwrap() > xml[..at].rfind("<w:r>").unwrap());
    }
}
