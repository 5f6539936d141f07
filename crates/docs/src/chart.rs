//! The chart of one indicator as a raster, for the DOCX (a PNG part in
//! `word/media`) and the PDF (an image XObject): the same pixels in both.
//!
//! The bars are those of the web preview's SVG ([`crate::html::chart_svg`]):
//! one horizontal bar per reporting member, best first, the members above
//! the mean in dark blue; a dashed red line at the threshold and a dotted
//! grey one at the mean. A raster has no font, so each bar carries its rank
//! (drawn with a small digit font below) and [`legend`] names the ranks in
//! the text under the picture: `1. Trà Vinh 17%; 2. Long An 9,89%; …`.
//! The words stay text, searchable and copyable, in both documents.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use tdkt_core::review::{IndicatorSummary, ReviewReport};

use crate::DocsError;

/// Pixels across; drawn at 16 cm in both documents (about 190 dpi).
pub const WIDTH: u32 = 1200;
const ROW: u32 = 44;
const BAR: u32 = 30;
const PAD: u32 = 16;
/// Room for the rank left of the plot.
const RANK_W: u32 = 70;

const WHITE: [u8; 3] = [255, 255, 255];
const STANDOUT: [u8; 3] = [0x1f, 0x6f, 0xb2];
const OTHER: [u8; 3] = [0x9b, 0xbb, 0xd8];
const THRESHOLD: [u8; 3] = [0xc0, 0x39, 0x2b];
const MEAN: [u8; 3] = [0x55, 0x55, 0x55];
const AXIS: [u8; 3] = [0x22, 0x22, 0x22];

/// An RGB picture, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Raster {
    fn new(width: u32, height: u32) -> Self {
        let len = usize::try_from(width * height * 3).unwrap_or(0);
        Self {
            width,
            height,
            rgb: WHITE.iter().copied().cycle().take(len).collect(),
        }
    }

    fn fill(&mut self, x0: u32, y0: u32, x1: u32, y1: u32, color: [u8; 3]) {
        for y in y0..y1.min(self.height) {
            for x in x0..x1.min(self.width) {
                let i = usize::try_from((y * self.width + x) * 3).unwrap_or(0);
                self.rgb[i..i + 3].copy_from_slice(&color);
            }
        }
    }

    /// The picture as a PNG file.
    ///
    /// # Errors
    /// [`DocsError::Docx`] if the encoder refuses (in memory: never).
    pub fn png(&self) -> Result<Vec<u8>, DocsError> {
        let bad = |e: png::EncodingError| DocsError::Docx(e.to_string());
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, self.width, self.height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(bad)?;
        w.write_image_data(&self.rgb).map_err(bad)?;
        w.finish().map_err(bad)?;
        Ok(out)
    }
}

/// 3 × 5 digits, one row of three bits per line, top first.
const DIGITS: [[u8; 5]; 10] = [
    [0b111, 0b101, 0b101, 0b101, 0b111],
    [0b010, 0b110, 0b010, 0b010, 0b111],
    [0b111, 0b001, 0b111, 0b100, 0b111],
    [0b111, 0b001, 0b111, 0b001, 0b111],
    [0b101, 0b101, 0b111, 0b001, 0b001],
    [0b111, 0b100, 0b111, 0b001, 0b111],
    [0b111, 0b100, 0b111, 0b101, 0b111],
    [0b111, 0b001, 0b010, 0b010, 0b010],
    [0b111, 0b101, 0b111, 0b101, 0b111],
    [0b111, 0b101, 0b111, 0b001, 0b111],
];

/// Draws `n` right-aligned at `right`, top at `top`, each dot `k` pixels.
fn number(r: &mut Raster, n: usize, right: u32, top: u32, k: u32) {
    let text = n.to_string();
    let mut x = right.saturating_sub(u32::try_from(text.len()).unwrap_or(0) * 4 * k);
    for d in text.bytes().map(|b| usize::from(b - b'0')) {
        for (row, bits) in DIGITS[d].iter().enumerate() {
            let y = top + u32::try_from(row).unwrap_or(0) * k;
            for col in 0..3u32 {
                if bits & (0b100 >> col) != 0 {
                    r.fill(x + col * k, y, x + (col + 1) * k, y + k, AXIS);
                }
            }
        }
        x += 4 * k;
    }
}

/// The chart of `s`, or `None` when no member reported.
#[must_use]
pub fn bars(s: &IndicatorSummary) -> Option<Raster> {
    if s.ranked.is_empty() {
        return None;
    }
    let rows = u32::try_from(s.ranked.len()).ok()?;
    let height = PAD * 2 + rows * ROW;
    let mut r = Raster::new(WIDTH, height);
    let plot_l = RANK_W;
    let plot_w = WIDTH - RANK_W - PAD;
    // The axis covers zero, every value and the threshold, as the SVG's.
    let (lo, hi) = s.chart_span();
    let x = |v: Decimal| -> u32 {
        let off = (v - lo) / (hi - lo) * Decimal::from(plot_w);
        plot_l + off.round().to_u32().unwrap_or(0).min(plot_w)
    };
    let zero = x(Decimal::ZERO);
    for (i, f) in s.ranked.iter().enumerate() {
        let y = PAD + u32::try_from(i).ok()? * ROW + (ROW - BAR) / 2;
        let (x0, x1) = if f.value >= Decimal::ZERO {
            (zero, x(f.value))
        } else {
            (x(f.value), zero)
        };
        let standout = s.standouts.iter().any(|o| o.member == f.member);
        r.fill(
            x0,
            y,
            x1.max(x0 + 1),
            y + BAR,
            if standout { STANDOUT } else { OTHER },
        );
        number(&mut r, i + 1, RANK_W - 16, y + (BAR - 20) / 2, 4);
    }
    let bottom = height - PAD;
    r.fill(zero, PAD / 2, zero + 2, bottom + PAD / 2, AXIS);
    // Dashes for the threshold, dots for the mean, as in the preview.
    let mut vline = |v: Decimal, on: u32, off: u32, color: [u8; 3]| {
        let lx = x(v).saturating_sub(1);
        let mut y = PAD / 2;
        while y < bottom + PAD / 2 {
            r.fill(lx, y, lx + 3, y + on, color);
            y += on + off;
        }
    };
    if let Some(m) = s.mean {
        vline(m, 3, 5, MEAN);
    }
    if let Some(t) = &s.threshold {
        vline(t.threshold, 12, 8, THRESHOLD);
    }
    Some(r)
}

/// The caption under a chart: what it shows, then who each rank is and
/// what the two lines mark.
#[must_use]
pub fn legend(number: usize, s: &IndicatorSummary, report: &ReviewReport) -> String {
    let unit = s.indicator.unit.label();
    let mut out = format!(
        "Biểu đồ {number}. {} {}{}: ",
        s.indicator.name,
        report.period_label,
        if unit.is_empty() {
            String::new()
        } else {
            format!(" ({unit})")
        }
    );
    let ranks: Vec<String> = s
        .ranked
        .iter()
        .enumerate()
        .map(|(i, f)| format!("{}. {} {}", i + 1, f.member, f.text))
        .collect();
    out.push_str(&ranks.join("; "));
    out.push('.');
    if let Some(m) = s.mean {
        out.push_str(&format!(
            " Vạch chấm: bình quân {}.",
            s.indicator.unit.format(m)
        ));
    }
    if let Some(t) = &s.threshold {
        out.push_str(&format!(" Vạch đứt đỏ: ngưỡng {}.", t.threshold_text));
    }
    out
}

/// The charts a document shows, in the order of the paragraphs that speak
/// of their indicators (a removed paragraph takes its chart with it, as in
/// the preview): for each paragraph index, the summary to chart after it.
pub(crate) fn after_paragraph<'r>(
    indicator: Option<&tdkt_core::pledge::Key>,
    report: &'r ReviewReport,
) -> Option<&'r IndicatorSummary> {
    indicator
        .and_then(|k| report.indicators.iter().find(|i| &i.indicator.key == k))
        .filter(|s| !s.ranked.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn each_member_has_a_bar_and_the_legend_names_the_ranks() {
        let report = fixture::report();
        let s = &report.indicators[0];
        let r = bars(s).unwrap();
        assert_eq!(r.width, WIDTH);
        assert_eq!(
            r.rgb.len(),
            usize::try_from(r.width * r.height * 3).unwrap()
        );
        // The best bar (Trà Vinh, 17%) is a standout: dark blue pixels.
        let px = |x: u32, y: u32| {
            let i = usize::try_from((y * r.width + x) * 3).unwrap();
            [r.rgb[i], r.rgb[i + 1], r.rgb[i + 2]]
        };
        let mid = PAD + (ROW - BAR) / 2 + BAR / 2;
        assert_eq!(px(WIDTH - PAD - 5, mid), STANDOUT);
        // Cà Mau (−1,2%), last, has a bar left of the zero axis.
        let last = PAD + 5 * ROW + (ROW - BAR) / 2 + BAR / 2;
        assert_eq!(px(RANK_W + 2, last), OTHER);
        let png = r.png().unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let text = legend(1, s, &report);
        assert!(
            text.starts_with("Biểu đồ 1. Tốc độ tăng trưởng kinh tế (GRDP) 6 tháng đầu năm 2019"),
            "{text}"
        );
        assert!(text.contains("1. Trà Vinh 17%; 2. Long An 9,89%"), "{text}");
        assert!(
            text.contains("6. Cà Mau -1,2%") || text.contains("6. Cà Mau −1,2%"),
            "{text}"
        );
        assert!(text.contains("ngưỡng 7%"), "{text}");
    }
}
