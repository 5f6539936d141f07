//! Exports of tdkt documents: a review report (or its edited text, a
//! [`ReviewDocument`]) as DOCX, PDF and an HTML preview with one SVG chart
//! per indicator; any such document (minutes too) in the official frame of
//! Nghị định 30/2020/NĐ-CP ([`framed`]); decisions, reports of
//! achievements and certificates.
//!
//! Pure functions from data to bytes or strings: no files, no network. The
//! fonts ship inside the crate (`fonts/`: Liberation Serif 2.1 regular,
//! bold, italic, SIL OFL 1.1, the metrics of Times New Roman and every
//! Vietnamese letter) so a PDF reads the same on any machine.

pub mod achievement;
pub mod certificate;
pub mod chart;
pub mod decision;
pub mod docx;
pub mod framed;
pub mod html;
pub mod pdf;
pub mod review;

use tdkt_core::review::{ReviewDocument, ReviewReport};

/// An export that failed. These are internal faults (a document is always
/// exportable), so the message is for the log; the web layer shows its own.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    #[error("không tạo được tệp DOCX: {0}")]
    Docx(String),
    #[error("không tạo được tệp PDF: {0}")]
    Pdf(String),
}

/// The export formats of `tdkt report review --format …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Docx,
    Pdf,
}

impl Format {
    /// `text`, `md` (or `markdown`), `html`, `docx`, `pdf`.
    ///
    /// # Errors
    /// A Vietnamese message listing the formats.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Self::Text),
            "md" | "markdown" => Ok(Self::Markdown),
            "html" => Ok(Self::Html),
            "docx" => Ok(Self::Docx),
            "pdf" => Ok(Self::Pdf),
            other => Err(format!(
                "định dạng «{other}» không được hỗ trợ (text, md, html, docx, pdf)"
            )),
        }
    }

    /// The MIME type, for HTTP responses.
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            Self::Text => "text/plain; charset=utf-8",
            Self::Markdown => "text/markdown; charset=utf-8",
            Self::Html => "text/html; charset=utf-8",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Pdf => "application/pdf",
        }
    }

    /// The file extension, without the dot.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Text => "txt",
            Self::Markdown => "md",
            Self::Html => "html",
            Self::Docx => "docx",
            Self::Pdf => "pdf",
        }
    }
}

/// Renders the (possibly edited) `doc` in `format`; `report` gives the
/// charts (HTML preview, DOCX, PDF) and the official frame of the DOCX and
/// the PDF (national header, number line, signature block).
///
/// # Errors
/// [`DocsError`] from the DOCX or PDF writer.
pub fn render(
    format: Format,
    doc: &ReviewDocument,
    report: &ReviewReport,
) -> Result<Vec<u8>, DocsError> {
    Ok(match format {
        Format::Text => doc.to_text().into_bytes(),
        Format::Markdown => doc.to_markdown().into_bytes(),
        Format::Html => html::preview(doc, report).into_bytes(),
        Format::Docx => review::docx(doc, report)?,
        Format::Pdf => pdf::review(doc, report)?,
    })
}

/// Drops characters XML 1.0 cannot carry (control characters an edit may
/// have pasted in); everything else is kept as is.
pub(crate) fn printable(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n'))
}

/// Escapes text for XML and HTML content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in printable(s) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_renders_and_names_itself() {
        let report = fixture::report();
        let doc = report.document();
        for name in ["text", "md", "html", "docx", "PDF"] {
            let f = Format::parse(name).unwrap();
            assert!(!render(f, &doc, &report).unwrap().is_empty(), "{name}");
            assert!(!f.mime().is_empty() && !f.extension().is_empty());
        }
        assert!(Format::parse("odt").unwrap_err().contains("«odt»"));
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A small report shared by the tests of each format.
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use tdkt_core::number::Measure;
    use tdkt_core::period::Period;
    use tdkt_core::pledge::{Aggregate, Direction, Indicator, Key};
    use tdkt_core::review::{draft, MemberValue, Nouns, ReviewInput, ReviewReport};

    pub fn report() -> ReviewReport {
        let grdp = Indicator {
            key: Key::parse("grdp_growth").unwrap(),
            name: "Tốc độ tăng trưởng kinh tế (GRDP)".to_owned(),
            unit: Measure::Percent,
            direction: Direction::Higher,
            aggregate: Aggregate::Mean,
            threshold: Some(Decimal::from(7)),
            targets: std::collections::BTreeMap::new(),
        };
        let values: Vec<MemberValue> = [
            ("Trà Vinh", "17"),
            ("Long An", "9.89"),
            ("Bến Tre", "8.37"),
            ("Bạc Liêu", "8.25"),
            ("Sóc Trăng", "6.5"),
            ("Cà Mau", "-1.2"),
        ]
        .iter()
        .map(|(m, v)| MemberValue {
            member: (*m).to_owned(),
            indicator: grdp.key.clone(),
            value: Decimal::from_str(v).unwrap(),
        })
        .collect();
        let nouns = Nouns::derive("Cụm thi đua các tỉnh Tây Nam bộ", ["Tỉnh"]);
        draft(&ReviewInput {
            cluster: "Cụm thi đua các tỉnh Tây Nam bộ",
            period: Period::parse("2019-H1").unwrap(),
            nouns: &nouns,
            members: &[],
            indicators: &[grdp],
            values: &values,
        })
        .unwrap()
    }
}
