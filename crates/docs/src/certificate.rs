//! Certificates as PDF (issue 14): each record one page, drawn from its
//! family's layout (`tdkt_core::certificate::Layout`, data in
//! `certificates/`), with the QR code to its public verification
//! page drawn as vector squares (sharp at any print resolution, no image).
//!
//! Two prints: [`Print::Full`] draws everything (frame, national header,
//! the title, the variable text) on plain paper; [`Print::Blank`] draws
//! only what is not pre-printed on the office's blank forms (*phôi*),
//! shifted by offsets in millimetres to fit the printer, many records into
//! one file. The caller seals the bytes (`tdkt_core::certificate::seal`).

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use tdkt_core::certificate::{fill, Align, Block, CertificateData, Layout};

use crate::pdf::{Face, Measure, BOLD, REGULAR};
use crate::{printable, DocsError};

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;

/// How a batch is printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Print {
    /// Everything, on plain paper.
    Full,
    /// Only the variable text and the QR code, onto pre-printed blanks,
    /// moved right by `offset_x_mm` and down by `offset_y_mm` (negative:
    /// left, up).
    Blank { offset_x_mm: f32, offset_y_mm: f32 },
}

/// A line of text placed on the page (baseline origin, points).
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub x: f32,
    pub y: f32,
    pub bold: bool,
    pub size: f32,
    pub rgb: [u8; 3],
    pub text: String,
}

/// Breaks `block`'s filled text into lines no wider than its width and
/// places them; exposed for tests (text never leaves the page).
fn place(
    block: &Block,
    data: &CertificateData,
    page_w_mm: f32,
    (dx, dy): (f32, f32),
    m: &Measure<'_>,
) -> Vec<Placed> {
    let face = if block.bold {
        Face::Bold
    } else {
        Face::Regular
    };
    let text: String = printable(&fill(&block.text, data)).collect();
    let width = block.width_mm.unwrap_or(page_w_mm - 40.0) * MM;
    let mut out = Vec::new();
    let mut y = block.y_mm * MM + dy;
    let space = m.width(face, block.size_pt, " ");
    for para in text.split('\n') {
        let mut words = para.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        while words.peek().is_some() {
            let mut line = String::new();
            let mut w = 0.0;
            while let Some(word) = words.peek() {
                let ww = m.width(face, block.size_pt, word);
                let extra = if line.is_empty() { ww } else { space + ww };
                if !line.is_empty() && w + extra > width {
                    break;
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                w += extra;
                words.next();
            }
            let anchor = block.x_mm * MM + dx;
            let x = match block.align {
                Align::Left => anchor,
                Align::Center => anchor - w / 2.0,
                Align::Right => anchor - w,
            };
            out.push(Placed {
                x,
                y,
                bold: block.bold,
                size: block.size_pt,
                rgb: block.rgb.unwrap_or([0, 0, 0]),
                text: line,
            });
            y += block.size_pt * block.leading;
        }
    }
    out
}

/// The lines of one certificate as `print` draws them.
///
/// # Errors
/// The shipped fonts cannot be read (never).
pub fn lines(
    layout: &Layout,
    data: &CertificateData,
    print: Print,
) -> Result<Vec<Placed>, DocsError> {
    let m = Measure::shipped()?;
    let offset = match print {
        Print::Full => (0.0, 0.0),
        Print::Blank {
            offset_x_mm,
            offset_y_mm,
        } => (offset_x_mm * MM, offset_y_mm * MM),
    };
    Ok(layout
        .blocks
        .iter()
        .filter(|b| print == Print::Full || !b.preprinted)
        .flat_map(|b| place(b, data, layout.page.width_mm, offset, &m))
        .collect())
}

fn fill_rgb(c: [u8; 3]) -> Fill {
    Fill {
        paint: rgb::Color::new(c[0], c[1], c[2]).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// The certificates `items` (each with its family's layout) as one PDF,
/// one page each.
///
/// # Errors
/// [`DocsError::Pdf`] when a QR code cannot hold the URL (longer than a QR
/// code holds) or krilla refuses the document.
pub fn render(items: &[(&Layout, &CertificateData)], print: Print) -> Result<Vec<u8>, DocsError> {
    let bad = |what: &str| DocsError::Pdf(what.to_owned());
    let regular =
        Font::new(REGULAR.into(), 0).ok_or_else(|| bad("phông LiberationSerif-Regular hỏng"))?;
    let bold = Font::new(BOLD.into(), 0).ok_or_else(|| bad("phông LiberationSerif-Bold hỏng"))?;
    let mut document = Document::new_with(SerializeSettings {
        ascii_compatible: false,
        compress_content_streams: true,
        ..Default::default()
    });
    let title = match items {
        [(l, d)] => format!("{} — {}", l.name, d.recipient),
        _ => format!("Giấy chứng nhận ({} bản)", items.len()),
    };
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title)
            .language("vi".to_owned())
            .creator("tdkt".to_owned()),
    );
    let (dx, dy) = match print {
        Print::Full => (0.0, 0.0),
        Print::Blank {
            offset_x_mm,
            offset_y_mm,
        } => (offset_x_mm * MM, offset_y_mm * MM),
    };
    for (layout, data) in items {
        let (w, h) = (layout.page.width_mm * MM, layout.page.height_mm * MM);
        let size = PageSettings::from_wh(w, h).ok_or_else(|| bad("khổ giấy"))?;
        let mut page = document.start_page_with(size);
        let mut surface = page.surface();
        if let (Print::Full, Some(f)) = (print, layout.frame) {
            let mut rings = vec![(f.inset_mm, f.line_pt)];
            if let Some(inner) = f.inner_inset_mm {
                rings.push((inner, f.line_pt / 3.0));
            }
            surface.set_fill(None);
            for (inset, width) in rings {
                let i = inset * MM;
                let mut pb = PathBuilder::new();
                if let Some(r) = Rect::from_xywh(i, i, w - 2.0 * i, h - 2.0 * i) {
                    pb.push_rect(r);
                }
                if let Some(path) = pb.finish() {
                    surface.set_stroke(Some(Stroke {
                        paint: rgb::Color::new(f.rgb[0], f.rgb[1], f.rgb[2]).into(),
                        width,
                        ..Default::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            surface.set_stroke(None);
        }
        for l in lines(layout, data, print)? {
            surface.set_fill(Some(fill_rgb(l.rgb)));
            surface.draw_text(
                Point::from_xy(l.x, l.y),
                if l.bold {
                    bold.clone()
                } else {
                    regular.clone()
                },
                l.size,
                &l.text,
                false,
                TextDirection::Auto,
            );
        }
        // the QR code: each run of dark modules in a row one rectangle
        let qr = qrcode::QrCode::with_error_correction_level(
            data.verify_url.as_bytes(),
            qrcode::EcLevel::M,
        )
        .map_err(|e| DocsError::Pdf(format!("mã QR: {e}")))?;
        let n = qr.width();
        let colors = qr.to_colors();
        // geometry only: module positions on the page
        #[allow(clippy::cast_precision_loss)]
        let module = layout.qr.size_mm * MM / n as f32;
        let (qx, qy) = (layout.qr.x_mm * MM + dx, layout.qr.y_mm * MM + dy);
        let mut pb = PathBuilder::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if colors[row * n + col] == qrcode::Color::Dark {
                    let start = col;
                    while col < n && colors[row * n + col] == qrcode::Color::Dark {
                        col += 1;
                    }
                    #[allow(clippy::cast_precision_loss)]
                    if let Some(r) = Rect::from_xywh(
                        qx + start as f32 * module,
                        qy + row as f32 * module,
                        (col - start) as f32 * module,
                        module,
                    ) {
                        pb.push_rect(r);
                    }
                } else {
                    col += 1;
                }
            }
        }
        if let Some(path) = pb.finish() {
            surface.set_fill(Some(fill_rgb([0, 0, 0])));
            surface.draw_path(&path);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| DocsError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use tdkt_core::catalogue::AwardKind;
    use tdkt_core::certificate::{Code, Layouts};
    use time::macros::date;

    use super::*;

    fn data(name: &str) -> CertificateData {
        CertificateData {
            issuer: "Chủ tịch UBND tỉnh Hậu Giang".into(),
            award: "Bằng khen của Chủ tịch UBND cấp tỉnh".into(),
            recipient: name.into(),
            unit: "Sở Xây dựng tỉnh Hậu Giang".into(),
            reason: "Đã có thành tích xuất sắc trong công tác quy hoạch, phát triển đô thị và nhà ở năm 2021, góp phần vào sự nghiệp xây dựng và bảo vệ Tổ quốc".into(),
            year: 2021,
            decision_no: "2145/QĐ-UBND".into(),
            decision_date: date!(2022 - 03 - 21),
            place: Some("Hậu Giang".into()),
            signer_title: "Chủ tịch UBND tỉnh Hậu Giang".into(),
            signer_name: None,
            code: Code::from_bytes([3; 10]),
            verify_url: "http://127.0.0.1:8080/xac-minh/0C1G-60R3-0C1G-60R3".into(),
            kind: AwardKind::Form,
        }
    }

    #[test]
    fn every_line_of_every_shipped_layout_stays_inside_its_page() {
        let m = Measure::shipped().unwrap();
        for layout in Layouts::embedded().iter() {
            let d = data("Nguyễn Thị Thu Trang Hoàng Phương Khánh");
            for l in lines(layout, &d, Print::Full).unwrap() {
                let face = if l.bold { Face::Bold } else { Face::Regular };
                let w = m.width(face, l.size, &l.text);
                assert!(
                    l.x >= 10.0 * MM,
                    "{}: «{}» at x {}",
                    layout.family,
                    l.text,
                    l.x
                );
                assert!(
                    l.x + w <= (layout.page.width_mm - 10.0) * MM,
                    "{}: «{}» runs off the page",
                    layout.family,
                    l.text
                );
                assert!(l.y <= (layout.page.height_mm - 10.0) * MM);
            }
        }
    }

    #[test]
    fn a_blank_print_leaves_out_the_preprinted_text_and_moves_by_the_offsets() {
        let layouts = Layouts::embedded();
        let layout = layouts.get("bang-khen").unwrap();
        let d = data("Trần Thị Hà");
        let full = lines(layout, &d, Print::Full).unwrap();
        let blank = lines(
            layout,
            &d,
            Print::Blank {
                offset_x_mm: 2.0,
                offset_y_mm: -1.5,
            },
        )
        .unwrap();
        assert!(full.iter().any(|l| l.text == "BẰNG KHEN"));
        assert!(full.iter().any(|l| l.text.starts_with("CỘNG HÒA")));
        assert!(!blank
            .iter()
            .any(|l| l.text == "BẰNG KHEN" || l.text.starts_with("CỘNG HÒA")));
        let name_full = full.iter().find(|l| l.text == "Trần Thị Hà").unwrap();
        let name_blank = blank.iter().find(|l| l.text == "Trần Thị Hà").unwrap();
        assert!((name_blank.x - name_full.x - 2.0 * MM).abs() < 0.01);
        assert!((name_blank.y - name_full.y + 1.5 * MM).abs() < 0.01);
    }

    #[test]
    fn a_batch_is_one_page_per_certificate_and_reads_back() {
        let layouts = Layouts::embedded();
        let layout = layouts.get("bang-khen").unwrap();
        let (a, b) = (data("Trần Thị Hà"), data("Nguyễn Văn Bình"));
        let pdf = render(&[(layout, &a), (layout, &b)], Print::Full).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 150_000, "{} bytes", pdf.len());
        if let Some(dir) = std::env::var_os("TDKT_DOCS_OUT") {
            std::fs::write(std::path::Path::new(&dir).join("certificates.pdf"), &pdf).unwrap();
        }
        let text = crate::pdf::tests_support::pdftotext(&pdf);
        let Some(text) = text else {
            eprintln!("note: pdftotext not found; PDF text not checked");
            return;
        };
        assert_eq!(text.matches('\u{c}').count(), 2, "two pages");
        for s in [
            "BẰNG KHEN",
            "Trần Thị Hà",
            "Nguyễn Văn Bình",
            "Hậu Giang, ngày 21 tháng 3 năm 2022",
            "Quyết định số 2145/QĐ-UBND",
        ] {
            assert!(text.contains(s), "missing «{s}» in {text}");
        }
    }
}
