//! A cluster's review report as an official document (issue 15, item 6):
//! the (edited) text of [`ReviewDocument`] in the frame of Phụ lục I Nghị
//! định 30/2020/NĐ-CP worded by [`ReviewReport::frame`], with each
//! indicator's chart ([`crate::chart`]) after the paragraph that speaks of
//! it, as in the web preview.
//!
//! DOCX, top to bottom: the national header of [`crate::decision`] (issuing
//! cluster, number line; national title, motto, place and date), the title
//! in bold capitals, the sections, each chart as an inline PNG picture with
//! its legend in italics, then the footer table: `Nơi nhận:` left, the
//! signature block right. The PDF prints the same parts ([`crate::pdf`]).

use tdkt_core::review::{ReviewDocument, ReviewReport};

use crate::chart::{self, Raster};
use crate::decision::{
    national_header, para, run, table, Align, Run, BOLD, ITALIC, PLAIN, TEXT_WIDTH,
};
use crate::{escape, DocsError};

/// A chart drawn 16 cm wide: English Metric Units (360 000 per cm).
const CHART_CX: u64 = 16 * 360_000;

/// What follows a paragraph: its chart and the chart's legend.
pub(crate) struct Figure {
    pub(crate) raster: Raster,
    pub(crate) legend: String,
}

/// The figures of `doc`, one per paragraph (`None` where a paragraph has
/// no chart), numbered in the order they appear.
pub(crate) fn figures(doc: &ReviewDocument, report: &ReviewReport) -> Vec<Vec<Option<Figure>>> {
    let mut n = 0;
    doc.sections
        .iter()
        .map(|s| {
            s.paragraphs
                .iter()
                .map(|p| {
                    let summary = chart::after_paragraph(p.indicator.as_ref(), report)?;
                    let raster = chart::bars(summary)?;
                    n += 1;
                    Some(Figure {
                        raster,
                        legend: chart::legend(n, summary, report),
                    })
                })
                .collect()
        })
        .collect()
}

/// An inline picture paragraph, `rIdImg{n}`, 16 cm wide.
fn picture(n: usize, r: &Raster, descr: &str) -> String {
    let cy = CHART_CX * u64::from(r.height) / u64::from(r.width.max(1));
    format!(
        r#"<w:p><w:pPr><w:keepNext/><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{CHART_CX}" cy="{cy}"/><wp:docPr id="{n}" name="Biểu đồ {n}" descr="{d}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{CHART_CX}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#,
        d = escape(descr)
    )
}

/// The review as a `.docx` file.
///
/// # Errors
/// [`DocsError::Docx`] if a chart or the container cannot be written (in
/// memory: never).
pub fn docx(doc: &ReviewDocument, report: &ReviewReport) -> Result<Vec<u8>, DocsError> {
    let frame = report.frame();
    let mut body = national_header("", &frame.issuer, &frame.number_line, &frame.place_date);
    body.push_str(&para(
        Align::Center,
        false,
        &[run(BOLD, &doc.title.to_uppercase())],
    ));
    let mut pictures = Vec::new();
    let lines = |text: &str, style: Run| -> Vec<String> {
        text.split('\n')
            .enumerate()
            .flat_map(|(i, l)| {
                let br = (i > 0).then(|| "<w:r><w:br/></w:r>".to_owned());
                br.into_iter().chain([run(style, l)])
            })
            .collect()
    };
    for (s, figs) in doc.sections.iter().zip(figures(doc, report)) {
        if let Some(h) = &s.heading {
            body.push_str(&para(Align::Justify, false, &lines(h, BOLD)));
        }
        for (p, fig) in s.paragraphs.iter().zip(figs) {
            body.push_str(&para(Align::Justify, true, &lines(&p.text, PLAIN)));
            if let Some(f) = fig {
                pictures.push(f.raster.png()?);
                body.push_str(&picture(pictures.len(), &f.raster, &f.legend));
                body.push_str(&para(
                    Align::Justify,
                    false,
                    &[run(Run { size: 24, ..ITALIC }, &f.legend)],
                ));
            }
        }
    }
    let small = |bold: bool, italic: bool, size: u32| Run { bold, italic, size };
    let mut to = String::new();
    for (i, l) in frame.recipients.iter().enumerate() {
        let style = if i == 0 {
            small(true, true, 24)
        } else {
            small(false, false, 22)
        };
        to.push_str(&para(Align::Left, false, &[run(style, l)]));
    }
    let mut sign = String::new();
    for (i, l) in frame.signature.iter().enumerate() {
        // The note under the title in italics, the rest in bold.
        let style = if i == 2 { small(false, true, 24) } else { BOLD };
        sign.push_str(&para(Align::Center, false, &[run(style, l)]));
    }
    body.push_str(&table(&[4200, TEXT_WIDTH - 4200], &[vec![to, sign]], false));
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    crate::docx::package_with(&doc.title, &xml, &pictures)
}
