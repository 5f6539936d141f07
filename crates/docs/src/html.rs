//! HTML preview of a review: the (edited) text, and beside each indicator's
//! paragraph an inline SVG bar chart of the members' values, with the
//! cluster mean and the pledged threshold drawn as lines.
//!
//! A fragment, not a page: the web layer puts it in its own layout. No
//! script, no external resource; every text is escaped. Coordinates are
//! computed in `Decimal` like every figure, so the chart and the sentence
//! can never disagree about which bar passes the line.

use rust_decimal::Decimal;
use tdkt_core::number;
use tdkt_core::review::{IndicatorSummary, ReviewDocument, ReviewReport};

use crate::escape;

const WIDTH: i64 = 640;
const LABEL_W: i64 = 180;
const VALUE_W: i64 = 110;
const ROW_H: i64 = 24;
const BAR_H: i64 = 16;
const TOP: i64 = 28;
const BOTTOM: i64 = 10;

/// The preview: title, headings, paragraphs, and after each paragraph
/// about an indicator that indicator's chart. Paragraphs the officer
/// removed take their chart with them.
#[must_use]
pub fn preview(doc: &ReviewDocument, report: &ReviewReport) -> String {
    let mut out = format!(
        "<article class=\"tdkt-review\" lang=\"vi\">\n<h1>{}</h1>\n",
        escape(&doc.title)
    );
    for s in &doc.sections {
        out.push_str("<section>\n");
        if let Some(h) = &s.heading {
            out.push_str(&format!("<h2>{}</h2>\n", escape(h)));
        }
        for p in &s.paragraphs {
            out.push_str(&format!(
                "<p>{}</p>\n",
                escape(&p.text).replace('\n', "<br>")
            ));
            let summary = p
                .indicator
                .as_ref()
                .and_then(|k| report.indicators.iter().find(|i| &i.indicator.key == k));
            if let Some(summary) = summary.filter(|s| !s.ranked.is_empty()) {
                out.push_str(&format!(
                    "<figure class=\"tdkt-chart\">\n{}<figcaption>{}</figcaption>\n</figure>\n",
                    chart_svg(summary),
                    escape(&caption(summary, report))
                ));
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</article>\n");
    out
}

fn caption(s: &IndicatorSummary, r: &ReviewReport) -> String {
    format!(
        "{} {} ({})",
        s.indicator.name,
        r.period_label,
        s.indicator.unit.label()
    )
    .replace(" ()", "")
}

/// One horizontal bar per reporting member, best first; a dashed line at
/// the threshold and a dotted one at the mean, each labelled.
#[must_use]
pub fn chart_svg(s: &IndicatorSummary) -> String {
    let rows = i64::try_from(s.ranked.len()).unwrap_or(i64::MAX / ROW_H / 2);
    let height = TOP + rows * ROW_H + BOTTOM;
    let plot_w = WIDTH - LABEL_W - VALUE_W;
    // The axis covers zero, every value and the threshold.
    let (lo, hi) = s.chart_span();
    let x = |v: Decimal| -> Decimal {
        Decimal::from(LABEL_W) + (v - lo) / (hi - lo) * Decimal::from(plot_w)
    };
    let px = |v: Decimal| number::round(v, 1).to_string();
    let title = format!("Biểu đồ {}", s.indicator.name);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" \
         aria-label=\"{t}\" font-family=\"sans-serif\" font-size=\"12\">\n<title>{t}</title>\n",
        t = escape(&title)
    );
    let zero = x(Decimal::ZERO);
    for (i, f) in s.ranked.iter().enumerate() {
        let i = i64::try_from(i).unwrap_or(0);
        let y = TOP + i * ROW_H;
        let (x0, x1) = if f.value >= Decimal::ZERO {
            (zero, x(f.value))
        } else {
            (x(f.value), zero)
        };
        let standout = s.standouts.iter().any(|o| o.member == f.member);
        let fill = if standout { "#1f6fb2" } else { "#9bbbd8" };
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BAR_H}\" fill=\"{fill}\"><title>{}: {}</title></rect>\
             <text x=\"{}\" y=\"{}\">{}</text>\n",
            LABEL_W - 6,
            y + BAR_H - 4,
            escape(&f.member),
            px(x0),
            y,
            px(x1 - x0),
            escape(&f.member),
            escape(&f.text),
            px(x(f.value.max(Decimal::ZERO)) + Decimal::from(4)),
            y + BAR_H - 4,
            escape(&f.text),
        ));
    }
    // The lines run the height of the bars; their labels go in a legend
    // above, so they never collide however close mean and threshold are.
    let bottom = TOP + rows * ROW_H;
    let mut legend_x = LABEL_W;
    let mut line = |v: Decimal, label: String, dash: &str, color: &str| {
        let lx = px(x(v));
        svg.push_str(&format!(
            "<line x1=\"{lx}\" y1=\"{}\" x2=\"{lx}\" y2=\"{bottom}\" stroke=\"{color}\" stroke-width=\"1.5\" \
             stroke-dasharray=\"{dash}\"/>\
             <line x1=\"{legend_x}\" y1=\"10\" x2=\"{}\" y2=\"10\" stroke=\"{color}\" stroke-width=\"1.5\" \
             stroke-dasharray=\"{dash}\"/><text x=\"{}\" y=\"14\" fill=\"{color}\">{}</text>\n",
            TOP - 4,
            legend_x + 22,
            legend_x + 26,
            escape(&label)
        ));
        // About 7 px per character at 12 px: room for the next entry.
        legend_x += 40 + 7 * i64::try_from(label.chars().count()).unwrap_or(20);
    };
    if let Some(m) = s.mean {
        line(
            m,
            format!("Bình quân {}", s.indicator.unit.format(m)),
            "2 3",
            "#555555",
        );
    }
    if let Some(t) = &s.threshold {
        line(
            t.threshold,
            format!("Ngưỡng {}", t.threshold_text),
            "6 4",
            "#c0392b",
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn the_preview_has_the_text_and_one_chart_per_indicator() {
        let report = fixture::report();
        let doc = report.document();
        let html = preview(&doc, &report);
        if let Some(dir) = std::env::var_os("TDKT_DOCS_OUT") {
            std::fs::write(std::path::Path::new(&dir).join("review.html"), &html).unwrap();
        }
        assert!(html.contains("<h1>Báo cáo sơ kết thực hiện giao ước thi đua 6 tháng đầu năm 2019"));
        assert_eq!(html.matches("<svg").count(), 1);
        assert!(html.contains("Trà Vinh 17%; Long An 9,89%"));
        assert!(html.contains(">Ngưỡng 7%</text>") && html.contains(">Bình quân 8,14%</text>"));
        // six bars, the negative one drawn left of zero
        assert_eq!(html.matches("<rect").count(), 6);
        assert!(html.contains("<title>Cà Mau: -1,2%</title>"));
    }

    #[test]
    fn edited_text_and_names_are_escaped() {
        let mut report = fixture::report();
        report.indicators[0].ranked[0].member = "<b>Trà Vinh</b>".to_owned();
        let mut doc = report.document();
        doc.title = "A & B <script>alert(1)</script>".to_owned();
        let html = preview(&doc, &report);
        assert!(!html.contains("<script>") && !html.contains("<b>"));
        assert!(html.contains("A &amp; B &lt;script&gt;"));
        assert!(html.contains("&lt;b&gt;Trà Vinh&lt;/b&gt;"));
    }

    #[test]
    fn a_removed_paragraph_takes_its_chart_with_it() {
        let report = fixture::report();
        let mut doc = report.document();
        doc.sections[1].paragraphs.clear();
        assert!(!preview(&doc, &report).contains("<svg"));
    }
}
