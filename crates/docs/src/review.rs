//! A cluster's review report as an official document (issue 15, item 6):
//! the (edited) text of [`ReviewDocument`] in the frame of Phụ lục I Nghị
//! định 30/2020/NĐ-CP worded by [`ReviewReport::frame`], with each
//! indicator's chart ([`crate::chart`]) after the paragraph that speaks of
//! it, as in the web preview.
//!
//! The frame is laid out by [`crate::framed`] (national header, title,
//! `Nơi nhận:` left and the signature block right), the same for the DOCX
//! and the PDF; here are the charts: each an inline PNG picture with its
//! legend in italics.

use tdkt_core::review::{ReviewDocument, ReviewReport};

use crate::chart::{self, Raster};
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
pub(crate) fn picture(n: usize, r: &Raster, descr: &str) -> String {
    let cy = CHART_CX * u64::from(r.height) / u64::from(r.width.max(1));
    format!(
        r#"<w:p><w:pPr><w:keepNext/><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{CHART_CX}" cy="{cy}"/><wp:docPr id="{n}" name="Biểu đồ {n}" descr="{d}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{CHART_CX}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#,
        d = escape(descr)
    )
}

/// The review as a `.docx` file, in its frame ([`crate::framed`]).
///
/// # Errors
/// [`DocsError::Docx`] if a chart or the container cannot be written (in
/// memory: never).
pub fn docx(doc: &ReviewDocument, report: &ReviewReport) -> Result<Vec<u8>, DocsError> {
    crate::framed::docx_with(doc, &report.frame(), figures(doc, report))
}
