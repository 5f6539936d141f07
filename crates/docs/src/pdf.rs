//! PDF export with an embedded font that has every Vietnamese glyph.
//!
//! The PDF is drawn with `krilla` (the PDF writer behind Typst, maintained,
//! pure Rust): it shapes text with rustybuzz and embeds each TrueType font
//! as a **subset** (only the glyphs used) with a ToUnicode map, so the file
//! stays small and its text can be copied and searched (`pdftotext` reads it
//! back in the tests).
//!
//! The faces are Liberation Serif 2.1 regular, bold and italic (SIL Open
//! Font License 1.1, `fonts/LICENSE`): Times New Roman, which Phụ lục I
//! Nghị định 30/2020/NĐ-CP names, cannot be shipped, and Liberation Serif
//! has its metrics (every glyph the same width), so a line breaks where it
//! would in Word, and every Vietnamese precomposed letter
//! (`the_serif_draws_every_vietnamese_letter`).
//!
//! Lines are broken here, greedily at spaces, measuring each word with the
//! same shaper krilla draws with, so a measured line is the drawn line.
//! Layout mirrors the DOCX: A4, margins top and bottom 20 mm, left 30 mm,
//! right 15 mm, body text 14 pt (Phụ lục I NĐ 30/2020/NĐ-CP).

use krilla::geom::{PathBuilder, Point, Size};
use krilla::image::Image;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use tdkt_core::review::frame::Frame;
use tdkt_core::review::{ReviewDocument, ReviewReport};

use crate::chart::Raster;
use crate::{printable, DocsError};

pub(crate) static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
pub(crate) static ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-Italic.ttf");

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;
const LEFT: f32 = 30.0 * MM;
const RIGHT: f32 = 15.0 * MM;
const TOP: f32 = 20.0 * MM;
const BOTTOM: f32 = 20.0 * MM;
/// Body text, title, abstract, place and date, signer: 14 pt.
pub(crate) const BODY: f32 = 14.0;
const TITLE: f32 = 14.0;
/// Issuer, number line, motto: 13 pt.
pub(crate) const HEAD: f32 = 13.0;
/// The national title; `Nơi nhận:`; a chart's legend: 12 pt.
pub(crate) const SMALL: f32 = 12.0;
/// The recipients' lines: 11 pt.
pub(crate) const TINY: f32 = 11.0;
/// The room a short rule under a header line takes.
const RULE_GAP: f32 = 4.0;
const LEADING: f32 = 1.3;
const PARA_GAP: f32 = 6.0;
const INDENT: f32 = 10.0 * MM;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
    Italic,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
}

/// A block of text before line breaking.
pub(crate) struct Block {
    pub(crate) text: String,
    pub(crate) face: Face,
    pub(crate) size: f32,
    pub(crate) align: Align,
    pub(crate) indent: f32,
    pub(crate) gap_before: f32,
}

/// A line placed on a page: baseline origin.
struct Line {
    x: f32,
    y: f32,
    face: Face,
    size: f32,
    text: String,
}

/// A line of a header or footer column.
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) face: Face,
    pub(crate) size: f32,
    /// Flush left (the recipients) instead of centred in the column.
    pub(crate) left: bool,
    /// A short rule under it (the issuer, the motto: Phụ lục I NĐ 30/2020).
    pub(crate) rule: bool,
}

impl Cell {
    /// A centred line without a rule.
    pub(crate) fn new(text: &str, face: Face, size: f32) -> Self {
        Self {
            text: text.to_owned(),
            face,
            size,
            left: false,
            rule: false,
        }
    }
}

/// What is placed on a page.
enum Mark {
    Text(Line),
    /// The top-left corner and size of a chart, in points; `index` into the
    /// document's rasters.
    Picture {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        index: usize,
    },
    /// A horizontal rule from `x0` to `x1` at `y`.
    Rule {
        x0: f32,
        x1: f32,
        y: f32,
    },
}

/// Measures text as krilla's shaper will draw it.
pub(crate) struct Measure<'a> {
    pub(crate) regular: rustybuzz::Face<'a>,
    pub(crate) bold: rustybuzz::Face<'a>,
    pub(crate) italic: rustybuzz::Face<'a>,
}

impl Measure<'_> {
    /// The shipped faces.
    pub(crate) fn shipped() -> Result<Measure<'static>, DocsError> {
        let bad = |what: &str| DocsError::Pdf(what.to_owned());
        Ok(Measure {
            regular: rustybuzz::Face::from_slice(REGULAR, 0)
                .ok_or_else(|| bad("phông LiberationSerif-Regular hỏng"))?,
            bold: rustybuzz::Face::from_slice(BOLD, 0)
                .ok_or_else(|| bad("phông LiberationSerif-Bold hỏng"))?,
            italic: rustybuzz::Face::from_slice(ITALIC, 0)
                .ok_or_else(|| bad("phông LiberationSerif-Italic hỏng"))?,
        })
    }

    pub(crate) fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let f = match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Italic => &self.italic,
        };
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(text);
        let out = rustybuzz::shape(f, &[], buf);
        let units: i32 = out.glyph_positions().iter().map(|p| p.x_advance).sum();
        // Geometry only: positions on the page, never a figure shown.
        #[expect(
            clippy::cast_precision_loss,
            reason = "font units and em sizes, far below 2^24"
        )]
        let w = units as f32 * size / f.units_per_em() as f32;
        w
    }
}

/// The (edited) text alone as a PDF file, without a frame.
///
/// # Errors
/// [`DocsError::Pdf`] if the shipped fonts cannot be read or krilla refuses
/// the document (neither happens with the shipped fonts).
pub fn render(doc: &ReviewDocument) -> Result<Vec<u8>, DocsError> {
    let measure = Measure::shipped()?;
    let mut c = Cursor::new();
    for b in blocks(doc) {
        c.text(&b, &measure);
    }
    draw(&doc.title, c.pages, &[], &measure)
}

/// A cluster's review report as a PDF in the official frame (Phụ lục I NĐ
/// 30/2020/NĐ-CP) laid out by [`framed`], each indicator's chart (an image
/// XObject) and its legend after the paragraph that speaks of it; the same
/// parts as the DOCX ([`crate::review`]).
///
/// # Errors
/// [`DocsError::Pdf`] as [`render`].
pub fn review(doc: &ReviewDocument, report: &ReviewReport) -> Result<Vec<u8>, DocsError> {
    framed(doc, &report.frame(), crate::review::figures(doc, report))
}

/// The document in its frame ([`crate::framed`]): the national header in
/// two columns, the title and abstract, the text (with the charts of
/// `figures[section][paragraph]`), then the footer: recipients | one
/// signer, or the signers side by side and the recipients under them.
///
/// # Errors
/// [`DocsError::Pdf`] as [`render`].
pub(crate) fn framed(
    doc: &ReviewDocument,
    frame: &Frame,
    figures: Vec<Vec<Option<crate::review::Figure>>>,
) -> Result<Vec<u8>, DocsError> {
    let m = Measure::shipped()?;
    let mut c = Cursor::new();
    let ruled = |cell: Cell| Cell { rule: true, ..cell };
    let mut left = Vec::new();
    if !frame.parent.is_empty() {
        left.push(Cell::new(&frame.parent, Face::Regular, HEAD));
    }
    left.push(ruled(Cell::new(&frame.issuer, Face::Bold, HEAD)));
    left.push(Cell::new(&frame.number_line, Face::Regular, HEAD));
    let right = [
        Cell::new("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Face::Bold, SMALL),
        ruled(Cell::new("Độc lập - Tự do - Hạnh phúc", Face::Bold, HEAD)),
        Cell::new(&frame.place_date, Face::Italic, BODY),
    ];
    c.columns(&[(&left, 0.4), (&right, 0.6)], &m);
    let mut rasters = Vec::new();
    let mut body = blocks(doc).into_iter();
    if let Some(title) = body.next() {
        c.text(
            &Block {
                gap_before: PARA_GAP * 3.0,
                ..title
            },
            &m,
        );
    }
    if !frame.subject.is_empty() {
        c.text(
            &Block {
                text: frame.subject.clone(),
                face: Face::Bold,
                size: BODY,
                align: Align::Center,
                indent: 0.0,
                gap_before: 0.0,
            },
            &m,
        );
        c.rule_under(PAGE_W / 6.0);
    }
    let mut figures = figures.into_iter();
    for s in &doc.sections {
        let mut figs = figures.next().unwrap_or_default().into_iter();
        if s.heading.is_some() {
            if let Some(h) = body.next() {
                c.text(&h, &m);
            }
        }
        for _ in &s.paragraphs {
            if let Some(p) = body.next() {
                c.text(&p, &m);
            }
            if let Some(f) = figs.next().flatten() {
                c.picture(rasters.len(), &f.raster);
                rasters.push(f.raster);
                c.text(
                    &Block {
                        text: f.legend,
                        face: Face::Italic,
                        size: SMALL,
                        align: Align::Left,
                        indent: 0.0,
                        gap_before: 2.0,
                    },
                    &m,
                );
            }
        }
    }
    let recipients: Vec<Cell> = frame
        .recipients
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (face, size) = if i == 0 {
                (Face::Bold, SMALL)
            } else {
                (Face::Regular, TINY)
            };
            // `Nơi nhận:` is bold italic; the serif has no bold italic
            // shipped, bold says it enough
            Cell {
                left: true,
                ..Cell::new(l, face, size)
            }
        })
        .collect();
    let signatures: Vec<Vec<Cell>> = frame.signatures.iter().map(signature).collect();
    c.y += PARA_GAP * 2.0;
    match signatures.as_slice() {
        [one] => c.columns(&[(&recipients, 0.45), (one, 0.55)], &m),
        many => {
            #[expect(clippy::cast_precision_loss, reason = "a handful of signature blocks")]
            let share = 1.0 / many.len().max(1) as f32;
            let cols: Vec<(&[Cell], f32)> = many.iter().map(|s| (s.as_slice(), share)).collect();
            let to = [(recipients.as_slice(), 0.5)];
            // the signers and the recipients on one page
            c.room(Cursor::height(&cols, &m) + PARA_GAP * 2.0 + Cursor::height(&to, &m));
            c.columns(&cols, &m);
            c.y += PARA_GAP * 2.0;
            c.columns(&to, &m);
        }
    }
    draw(&doc.title, c.pages, &rasters, &m)
}

/// A signature block's lines: the titles in bold, the hint in italics,
/// room to sign (four lines, about 2.5 cm), the name in bold.
fn signature(s: &tdkt_core::review::frame::Signature) -> Vec<Cell> {
    let mut out: Vec<Cell> = s
        .titles
        .iter()
        .map(|t| Cell::new(t, Face::Bold, BODY))
        .collect();
    if !s.hint.is_empty() {
        out.push(Cell::new(&s.hint, Face::Italic, BODY));
    }
    out.extend((0..4).map(|_| Cell::new("", Face::Regular, BODY)));
    out.push(Cell::new(&s.name, Face::Bold, BODY));
    out
}

/// Writes the placed marks, page by page, with page numbers from page 2.
fn draw(
    title: &str,
    pages: Vec<Vec<Mark>>,
    rasters: &[Raster],
    measure: &Measure<'_>,
) -> Result<Vec<u8>, DocsError> {
    let bad = |what: &str| DocsError::Pdf(what.to_owned());
    let regular =
        Font::new(REGULAR.into(), 0).ok_or_else(|| bad("phông LiberationSerif-Regular hỏng"))?;
    let bold = Font::new(BOLD.into(), 0).ok_or_else(|| bad("phông LiberationSerif-Bold hỏng"))?;
    let italic =
        Font::new(ITALIC.into(), 0).ok_or_else(|| bad("phông LiberationSerif-Italic hỏng"))?;
    // The same PNG file as the DOCX's: RGB without alpha, so each chart is
    // one image XObject (no soft mask).
    let images = rasters
        .iter()
        .map(|r| Image::from_png(r.png()?.into(), true).map_err(DocsError::Pdf))
        .collect::<Result<Vec<Image>, DocsError>>()?;
    let settings = SerializeSettings {
        ascii_compatible: false,
        compress_content_streams: true,
        ..Default::default()
    };
    let mut document = Document::new_with(settings);
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title.to_owned())
            .language("vi".to_owned())
            .creator("tdkt".to_owned()),
    );
    let size = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| bad("khổ giấy"))?;
    let count = pages.len();
    for (n, marks) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(size.clone());
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text(l) => {
                    let font = match l.face {
                        Face::Regular => regular.clone(),
                        Face::Bold => bold.clone(),
                        Face::Italic => italic.clone(),
                    };
                    surface.draw_text(
                        Point::from_xy(l.x, l.y),
                        font,
                        l.size,
                        &l.text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Mark::Picture { x, y, w, h, index } => {
                    let img = images.get(index).cloned().ok_or_else(|| bad("biểu đồ"))?;
                    let at = krilla::geom::Transform::from_translate(x, y);
                    surface.push_transform(&at);
                    surface.draw_image(img, Size::from_wh(w, h).ok_or_else(|| bad("biểu đồ"))?);
                    surface.pop();
                }
                Mark::Rule { x0, x1, y } => {
                    // A thin filled bar: the page's fill is the text's black.
                    let mut pb = PathBuilder::new();
                    pb.move_to(x0, y);
                    pb.line_to(x1, y);
                    pb.line_to(x1, y + 0.6);
                    pb.line_to(x0, y + 0.6);
                    pb.close();
                    if let Some(path) = pb.finish() {
                        surface.draw_path(&path);
                    }
                }
            }
        }
        // Page numbers from the second page, top centre (Nghị định
        // 30/2020/NĐ-CP, Phụ lục I: số trang đặt giữa lề trên, từ trang 2).
        if n > 0 && count > 1 {
            let num = (n + 1).to_string();
            let w = measure.width(Face::Regular, HEAD, &num);
            surface.draw_text(
                Point::from_xy((PAGE_W - w) / 2.0, TOP / 2.0 + 5.0),
                regular.clone(),
                HEAD,
                &num,
                false,
                TextDirection::Auto,
            );
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| DocsError::Pdf(format!("{e:?}")))
}

fn blocks(doc: &ReviewDocument) -> Vec<Block> {
    let block = |text: String, face, size, align, indent, gap_before| Block {
        text,
        face,
        size,
        align,
        indent,
        gap_before,
    };
    let mut out = vec![block(
        doc.title.to_uppercase(),
        Face::Bold,
        TITLE,
        Align::Center,
        0.0,
        0.0,
    )];
    for s in &doc.sections {
        if let Some(h) = &s.heading {
            out.push(block(
                h.clone(),
                Face::Bold,
                BODY,
                Align::Left,
                0.0,
                PARA_GAP * 2.0,
            ));
        }
        for p in &s.paragraphs {
            out.push(block(
                p.text.clone(),
                Face::Regular,
                BODY,
                Align::Left,
                INDENT,
                PARA_GAP,
            ));
        }
    }
    out
}

/// Greedy line breaking at spaces: the lines of `text` within `width`, the
/// first one `indent` narrower.
fn wrap(
    text: &str,
    face: Face,
    size: f32,
    width: f32,
    indent: f32,
    m: &Measure<'_>,
) -> Vec<(String, f32)> {
    let mut out = Vec::new();
    let clean: String = printable(text).collect();
    let space = m.width(face, size, " ");
    for (k, raw) in clean.split('\n').enumerate() {
        let mut first = k == 0;
        let mut words = raw.split_whitespace().peekable();
        if words.peek().is_none() {
            out.push((String::new(), 0.0));
            continue;
        }
        while words.peek().is_some() {
            let ind = if first { indent } else { 0.0 };
            let mut line = String::new();
            let mut w = 0.0;
            while let Some(word) = words.peek() {
                let ww = m.width(face, size, word);
                let extra = if line.is_empty() { ww } else { space + ww };
                if !line.is_empty() && ind + w + extra > width {
                    break;
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                w += extra;
                words.next();
            }
            out.push((line, w));
            first = false;
        }
    }
    out
}

/// A line of a column: text, its width, face, size, flush left, a rule
/// under it.
type Laid = (String, f32, Face, f32, bool, bool);

/// The lines of a column `w` wide.
fn lay(cells: &[Cell], w: f32, m: &Measure<'_>) -> Vec<Laid> {
    cells
        .iter()
        .flat_map(|c| {
            let lines = wrap(&c.text, c.face, c.size, w - 8.0, 0.0, m);
            let last = lines.len().saturating_sub(1);
            lines
                .into_iter()
                .enumerate()
                .map(move |(i, (l, lw))| (l, lw, c.face, c.size, c.left, c.rule && i == last))
        })
        .collect()
}

/// Where the next mark goes: pages so far and the top of the free space.
struct Cursor {
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl Cursor {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    /// Room for `h` more points on this page, or a new page.
    fn room(&mut self, h: f32) {
        if self.y + h > PAGE_H - BOTTOM {
            self.pages.push(Vec::new());
            self.y = TOP;
        }
    }

    fn put(&mut self, mark: Mark) {
        self.pages.last_mut().expect("at least one page").push(mark);
    }

    /// A block of text, broken into lines within the margins.
    fn text(&mut self, b: &Block, m: &Measure<'_>) {
        let width = PAGE_W - LEFT - RIGHT;
        let line_h = b.size * LEADING;
        self.y += b.gap_before;
        for (i, (line, w)) in wrap(&b.text, b.face, b.size, width, b.indent, m)
            .into_iter()
            .enumerate()
        {
            if line.is_empty() {
                self.y += line_h;
                continue;
            }
            self.room(line_h);
            let indent = if i == 0 { b.indent } else { 0.0 };
            let x = match b.align {
                Align::Left => LEFT + indent,
                Align::Center => LEFT + (width - w).max(0.0) / 2.0,
            };
            // Baseline sits about 0.8 of the size below the line top.
            let y = self.y + b.size * 0.8 + (line_h - b.size) / 2.0;
            self.put(Mark::Text(Line {
                x,
                y,
                face: b.face,
                size: b.size,
                text: line,
            }));
            self.y += line_h;
        }
    }

    /// Columns side by side, each line centred in its column (the header
    /// and the footer of an official document); each column is given with
    /// its share of the text width, left to right. Kept on one page.
    fn columns(&mut self, cols: &[(&[Cell], f32)], m: &Measure<'_>) {
        let width = PAGE_W - LEFT - RIGHT;
        let mut x = LEFT;
        let cols: Vec<(f32, f32, &[Cell])> = cols
            .iter()
            .map(|(cells, share)| {
                let at = x;
                x += width * share;
                (at, width * share, *cells)
            })
            .collect();
        let laid: Vec<_> = cols.iter().map(|(_, w, cells)| lay(cells, *w, m)).collect();
        let height = Self::tallest(&laid);
        self.room(height);
        let top = self.y;
        for ((x0, w, _), lines) in cols.iter().zip(laid) {
            let mut y = top;
            for (text, lw, face, size, left, rule) in lines {
                let line_h = size * LEADING;
                if !text.is_empty() {
                    self.put(Mark::Text(Line {
                        x: if left {
                            *x0
                        } else {
                            x0 + (w - lw).max(0.0) / 2.0
                        },
                        y: y + size * 0.8 + (line_h - size) / 2.0,
                        face,
                        size,
                        text,
                    }));
                }
                y += line_h;
                if rule {
                    // a third of the column, centred (Phụ lục I: 1/3 to 1/2 of the line above)
                    let mid = x0 + w / 2.0;
                    self.put(Mark::Rule {
                        x0: mid - w / 6.0,
                        x1: mid + w / 6.0,
                        y: y + 1.5,
                    });
                    y += RULE_GAP;
                }
            }
        }
        self.y = top + height;
    }

    /// The height of the tallest of laid-out columns.
    fn tallest(laid: &[Vec<Laid>]) -> f32 {
        laid.iter()
            .map(|ls| {
                ls.iter()
                    .map(|l| l.3 * LEADING + if l.5 { RULE_GAP } else { 0.0 })
                    .sum::<f32>()
            })
            .fold(0.0, f32::max)
    }

    /// The height [`Self::columns`] will take for `cols`.
    fn height(cols: &[(&[Cell], f32)], m: &Measure<'_>) -> f32 {
        let width = PAGE_W - LEFT - RIGHT;
        let laid: Vec<Vec<Laid>> = cols
            .iter()
            .map(|(cells, share)| lay(cells, width * share, m))
            .collect();
        Self::tallest(&laid)
    }

    /// A short centred rule `w` long under the last line (under the
    /// abstract: Phụ lục I NĐ 30/2020).
    fn rule_under(&mut self, w: f32) {
        let mid = LEFT + (PAGE_W - LEFT - RIGHT) / 2.0;
        self.put(Mark::Rule {
            x0: mid - w / 2.0,
            x1: mid + w / 2.0,
            y: self.y + 2.0,
        });
        self.y += RULE_GAP;
    }

    /// A picture the width of the text, its height by its proportions.
    fn picture(&mut self, index: usize, r: &Raster) {
        let w = PAGE_W - LEFT - RIGHT;
        #[expect(
            clippy::cast_precision_loss,
            reason = "pixel sizes of a chart, far below 2^24"
        )]
        let h = w * r.height as f32 / r.width.max(1) as f32;
        self.y += PARA_GAP;
        self.room(h);
        self.put(Mark::Picture {
            x: LEFT,
            y: self.y,
            w,
            h,
            index,
        });
        self.y += h;
    }
}

/// `pdftotext` (poppler-utils) for the tests of every PDF this crate draws.
#[cfg(test)]
pub(crate) mod tests_support {
    use std::process::Command;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The text of `pdf`, pages separated by form feeds; `None` when
    /// pdftotext is not installed.
    pub fn pdftotext(pdf: &[u8]) -> Option<String> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tdkt-docs-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).ok()?;
        let path = dir.join("doc.pdf");
        std::fs::write(&path, pdf).ok()?;
        let out = Command::new("pdftotext")
            .arg("-enc")
            .arg("UTF-8")
            .arg(&path)
            .arg("-")
            .output();
        let _ = std::fs::remove_dir_all(&dir);
        match out {
            Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
