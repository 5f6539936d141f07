//! DOCX export, written as the minimal OOXML package by hand.
//!
//! Why not `docx-rs`: a report is a title, headings and paragraphs; the
//! five small XML parts below say that in ~100 lines we control, while the
//! crate brings an image stack and an XML writer for features we do not
//! use. The `zip` crate (deflate only) makes the container.
//!
//! Layout follows the rules for administrative documents (Phụ lục I Nghị
//! định 30/2020/NĐ-CP về công tác văn thư): A4, Times New Roman, body text
//! 14 pt, justified, first line indented 1 cm, margins top/bottom 20 mm,
//! left 30 mm, right 15 mm, spacing of at least 6 pt between paragraphs.

use std::io::{Cursor, Write};

use tdkt_core::review::ReviewDocument;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::{escape, DocsError};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="png" ContentType="image/png"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

/// `word/_rels/document.xml.rels`: the styles, the page-number header,
/// then one relationship per picture (`rIdImg1` → `media/image1.png`, …).
fn document_rels(pictures: usize) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdHdr" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>"#,
    );
    for n in 1..=pictures {
        out.push_str(&format!(
            r#"<Relationship Id="rIdImg{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image{n}.png"/>"#
        ));
    }
    out.push_str("</Relationships>");
    out
}

/// Sizes are in half-points (`w:sz`) and twentieths of a point (twips):
/// 14 pt = 28, 1 cm = 567, 20 mm = 1134, 30 mm = 1701, 15 mm = 851.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="120" w:after="0" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLine="567"/><w:jc w:val="both"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:caps/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style></w:styles>"#;

/// The section properties of every tdkt DOCX: A4 portrait (11906 × 16838
/// twips), margins top and bottom 20 mm (1134), left 30 mm (1701), right
/// 15 mm (851) — Phụ lục I NĐ 30/2020/NĐ-CP: top and bottom 20–25 mm, left
/// 30–35 mm, right 15–20 mm; the page number in the header ([`HEADER`]),
/// none on the first page (`titlePg`).
pub(crate) const SECTION: &str = r#"<w:sectPr><w:headerReference w:type="default" r:id="rIdHdr"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr>"#;

/// `word/header1.xml`: the page number, centred in the top margin, from
/// the second page (Phụ lục I NĐ 30/2020/NĐ-CP, mục II.9: số trang ở giữa
/// lề trên, không hiển thị số trang thứ nhất), 14 pt like the text.
const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:before="0"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>"#;

/// The report as a `.docx` file.
///
/// # Errors
/// [`DocsError::Docx`] if the zip container cannot be written (in memory,
/// so in practice never).
pub fn render(doc: &ReviewDocument) -> Result<Vec<u8>, DocsError> {
    package(&doc.title, &document_xml(doc))
}

/// The `.docx` container around a `word/document.xml` (`body`), with the
/// styles of administrative documents and the title in its properties.
///
/// # Errors
/// [`DocsError::Docx`] if the zip container cannot be written.
pub(crate) fn package(title: &str, body: &str) -> Result<Vec<u8>, DocsError> {
    package_with(title, body, &[])
}

/// As [`package`], with PNG pictures as `word/media/image1.png`, … (the
/// body refers to them as `rIdImg1`, …).
///
/// # Errors
/// [`DocsError::Docx`] if the zip container cannot be written.
pub(crate) fn package_with(
    title: &str,
    body: &str,
    pictures: &[Vec<u8>],
) -> Result<Vec<u8>, DocsError> {
    let err = |e: zip::result::ZipError| DocsError::Docx(e.to_string());
    let io = |e: std::io::Error| DocsError::Docx(e.to_string());
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // No timestamps: the same document gives the same bytes.
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:language>vi-VN</dc:language><dc:creator>tdkt</dc:creator></cp:coreProperties>"#,
        escape(title)
    );
    let rels = document_rels(pictures.len());
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("docProps/core.xml", core.as_str()),
        ("word/_rels/document.xml.rels", rels.as_str()),
        ("word/styles.xml", STYLES),
        ("word/header1.xml", HEADER),
        ("word/document.xml", body),
    ] {
        zip.start_file(name, opts).map_err(err)?;
        zip.write_all(content.as_bytes()).map_err(io)?;
    }
    for (i, png) in pictures.iter().enumerate() {
        // PNG is already compressed.
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        zip.start_file(format!("word/media/image{}.png", i + 1), stored)
            .map_err(err)?;
        zip.write_all(png).map_err(io)?;
    }
    Ok(zip.finish().map_err(err)?.into_inner())
}

/// `word/document.xml`: title, then each section's heading and paragraphs.
#[must_use]
pub fn document_xml(doc: &ReviewDocument) -> String {
    let mut body = String::new();
    let mut para = |style: Option<&str>, text: &str| {
        body.push_str("<w:p>");
        if let Some(s) = style {
            body.push_str(&format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#));
        }
        // One run per line, so a line break typed in an edit survives.
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                body.push_str("<w:r><w:br/></w:r>");
            }
            body.push_str(&format!(
                r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
                escape(line)
            ));
        }
        body.push_str("</w:p>");
    };
    para(Some("Title"), &doc.title);
    for s in &doc.sections {
        if let Some(h) = &s.heading {
            para(Some("Heading1"), h);
        }
        for p in &s.paragraphs {
            para(None, &p.text);
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}{SECTION}</w:body></w:document>"#
    )
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::fixture;

    fn part(docx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn the_docx_carries_the_vietnamese_sentences_with_their_diacritics() {
        let doc = fixture::report().document();
        let bytes = render(&doc).unwrap();
        let xml = part(&bytes, "word/document.xml");
        assert!(xml.contains("Báo cáo sơ kết thực hiện giao ước thi đua 6 tháng đầu năm 2019"));
        assert!(xml.contains("bình quân đạt 8,14%"));
        assert!(
            xml.contains("Trà Vinh 17%; Long An 9,89%; Bến Tre 8,37%; Bạc Liêu 8,25%"),
            "{xml}"
        );
        assert!(part(&bytes, "[Content_Types].xml").contains("/word/document.xml"));
        assert!(part(&bytes, "docProps/core.xml").contains("<dc:title>Báo cáo sơ kết"));
        assert_eq!(render(&doc).unwrap(), bytes, "same input, same bytes");
    }

    #[test]
    fn edited_text_is_escaped_and_line_breaks_survive() {
        let mut doc = fixture::report().document();
        doc.sections[0].paragraphs[0].text = "A & B <script>\u{7}\ndòng hai".to_owned();
        let xml = document_xml(&doc);
        assert!(xml.contains("A &amp; B &lt;script&gt;</w:t></w:r><w:r><w:br/></w:r><w:r><w:t xml:space=\"preserve\">dòng hai"));
        assert!(!xml.contains('\u{7}'));
    }
}
