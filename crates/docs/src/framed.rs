//! Any (edited) [`ReviewDocument`] inside its official frame ([`Frame`],
//! Phụ lục I Nghị định 30/2020/NĐ-CP), as DOCX and as PDF: the review
//! reports, the ballot minutes and the council minutes all go through here,
//! so the header, the title block and the signature blocks are laid out
//! once per format.
//!
//! Top to bottom:
//! - the national header in two columns ([`crate::decision::national_header`]
//!   for the DOCX, the same cells for the PDF): governing body, issuing
//!   body over a short rule, number line | national title, motto over a
//!   short rule, place and date in italics;
//! - the title (the kind of document) in bold capitals, the abstract
//!   (*trích yếu*) bold under it, a short rule;
//! - the sections, each chart (review reports) after its paragraph;
//! - the footer: with one signer, `Nơi nhận:` on the left and the
//!   signature block on the right (a report, a decision); with several
//!   (minutes: secretary and chair side by side, as the mẫu biên bản of
//!   Phụ lục III), the blocks side by side, then `Nơi nhận:` under them.
//!
//! Sizes (Phụ lục I, mục II–IV): body 14 pt; national title 12 pt; issuer,
//! motto and number 13 pt; place and date 14 pt italic; title and
//! abstract 14 pt bold; `Nơi nhận:` 12 pt bold italic, its lines 11 pt;
//! signer's title and name 14 pt bold.

use tdkt_core::review::frame::{Frame, Signature};
use tdkt_core::review::ReviewDocument;

use crate::decision::{
    national_header, para, rule, run, table, Align, Run, BOLD, PLAIN, TEXT_WIDTH,
};
use crate::review::Figure;
use crate::DocsError;

/// Empty lines left to sign in (about 3 cm at 14 pt with the spacing).
const ROOM_TO_SIGN: usize = 4;

/// The document in its frame as a `.docx` file.
///
/// # Errors
/// [`DocsError::Docx`] if the container cannot be written (in memory:
/// never).
pub fn docx(doc: &ReviewDocument, frame: &Frame) -> Result<Vec<u8>, DocsError> {
    docx_with(doc, frame, Vec::new())
}

/// The document in its frame as a PDF file, in Liberation Serif (the
/// metrics of Times New Roman).
///
/// # Errors
/// [`DocsError::Pdf`] if krilla refuses the document (never with the
/// shipped fonts).
pub fn pdf(doc: &ReviewDocument, frame: &Frame) -> Result<Vec<u8>, DocsError> {
    crate::pdf::framed(doc, frame, Vec::new())
}

fn style(bold: bool, italic: bool, size: u32) -> Run {
    Run { bold, italic, size }
}

/// The text's lines as runs, a line break between them, so a break typed
/// in an edit survives.
fn lines(text: &str, style: Run) -> Vec<String> {
    text.split('\n')
        .enumerate()
        .flat_map(|(i, l)| {
            let br = (i > 0).then(|| "<w:r><w:br/></w:r>".to_owned());
            br.into_iter().chain([run(style, l)])
        })
        .collect()
}

/// One signature block as the paragraphs of a table cell.
fn signature(s: &Signature) -> String {
    let mut out = String::new();
    for t in &s.titles {
        out.push_str(&para(Align::Center, false, &[run(BOLD, t)]));
    }
    if !s.hint.is_empty() {
        out.push_str(&para(
            Align::Center,
            false,
            &[run(style(false, true, 24), &s.hint)],
        ));
    }
    for _ in 0..ROOM_TO_SIGN {
        out.push_str(&para(Align::Center, false, &[]));
    }
    out.push_str(&para(Align::Center, false, &[run(BOLD, &s.name)]));
    out
}

/// `Nơi nhận:` (bold italic 12 pt) and its lines (11 pt).
fn recipients(lines: &[String]) -> String {
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        let s = if i == 0 {
            style(true, true, 24)
        } else {
            style(false, false, 22)
        };
        out.push_str(&para(Align::Left, false, &[run(s, l)]));
    }
    out
}

/// The footer of Phụ lục I: recipients | the one signer, or the signers
/// side by side and the recipients under them.
pub(crate) fn docx_footer(frame: &Frame) -> String {
    match frame.signatures.as_slice() {
        [one] => table(
            &[4200, TEXT_WIDTH - 4200],
            &[vec![recipients(&frame.recipients), signature(one)]],
            false,
        ),
        many => {
            let n = u32::try_from(many.len().max(1)).unwrap_or(1);
            let mut widths = vec![TEXT_WIDTH / n; many.len()];
            if let Some(last) = widths.last_mut() {
                *last = TEXT_WIDTH - TEXT_WIDTH / n * (n - 1);
            }
            let mut out = if many.is_empty() {
                String::new()
            } else {
                table(&widths, &[many.iter().map(signature).collect()], false)
            };
            out.push_str(&recipients(&frame.recipients));
            out
        }
    }
}

/// As [`docx`], with each chart after the paragraph it belongs to
/// (`figures[section][paragraph]`; missing entries are no chart).
pub(crate) fn docx_with(
    doc: &ReviewDocument,
    frame: &Frame,
    figures: Vec<Vec<Option<Figure>>>,
) -> Result<Vec<u8>, DocsError> {
    let mut body = national_header(
        &frame.parent,
        &frame.issuer,
        &frame.number_line,
        &frame.place_date,
    );
    body.push_str(&para(
        Align::Center,
        false,
        &[run(BOLD, &doc.title.to_uppercase())],
    ));
    if !frame.subject.is_empty() {
        body.push_str(&para(Align::Center, false, &lines(&frame.subject, BOLD)));
        body.push_str(&rule(3200));
    }
    let mut pictures = Vec::new();
    let mut figures = figures.into_iter();
    for s in &doc.sections {
        let mut figs = figures.next().unwrap_or_default().into_iter();
        if let Some(h) = &s.heading {
            body.push_str(&para(Align::Justify, false, &lines(h, BOLD)));
        }
        for p in &s.paragraphs {
            body.push_str(&para(Align::Justify, true, &lines(&p.text, PLAIN)));
            if let Some(f) = figs.next().flatten() {
                pictures.push(f.raster.png()?);
                body.push_str(&crate::review::picture(
                    pictures.len(),
                    &f.raster,
                    &f.legend,
                ));
                body.push_str(&para(
                    Align::Justify,
                    false,
                    &[run(style(false, true, 24), &f.legend)],
                ));
            }
        }
    }
    body.push_str(&docx_footer(frame));
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{body}{}</w:body></w:document>"#,
        crate::docx::SECTION
    );
    crate::docx::package_with(&doc.title, &xml, &pictures)
}
