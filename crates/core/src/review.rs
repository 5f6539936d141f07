//! Drafting review reports (*báo cáo sơ kết, tổng kết*) of a cluster or
//! block from the values its members reported against the pledge.
//!
//! Officers used to write these paragraphs by hand from a spreadsheet; seed
//! 001 shows the manner: *“… tăng bình quân 8,2%, một số tỉnh có tỷ lệ tăng
//! trưởng cao như: Trà Vinh 17%; Long An 9,89%…”*, *“12/12 tỉnh … đạt từ 55%
//! kế hoạch năm trở lên”*. Drafting happens in two steps so the web layer
//! can show both:
//!
//! 1. [`draft`] computes a [`ReviewReport`]: per indicator the cluster
//!    figure, the members that stand out, who reaches the threshold. It is
//!    plain data (serde) for charts and the API.
//! 2. [`ReviewReport::compose`] words it with [`template::Templates`] into a
//!    [`ReviewDocument`]: a title and sections of paragraphs, which the
//!    officer edits before exporting it as text, Markdown, DOCX or PDF.
//!
//! # Rules of the figures
//!
//! - The cluster figure is the **mean** over the members that reported, or
//!   their **sum**, as the pledge says. Members that did not report are left
//!   out of it and named.
//! - Figures are rounded half away from zero (see [`crate::number`]); a mean
//!   is kept to two decimals.
//! - A member **stands out** when its value is strictly better, in the
//!   indicator's direction, than the cluster mean *as printed* (rounded), so
//!   a reader can check the list against the figure in the sentence. For a
//!   sum the mean is the equal share (total ÷ reporting members): the members
//!   above it carry more than their share of the total. Standouts are listed
//!   best first; ties keep the members' order.
//! - The threshold count is over all members of the cluster (a member that
//!   did not report has not reached it): `12/12 tỉnh`.

pub mod achievement;
pub mod council_minutes;
pub mod frame;
pub mod minutes;
pub mod template;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::number::{self, DEFAULT_DECIMALS};
use crate::period::Period;
use crate::pledge::{Aggregate, Direction, Indicator, Key};
use template::Templates;

/// How the report names the members and the group: *tỉnh* and *Cụm* in
/// seed 001; *thành phố*, *sở*, *đơn vị*, *Khối* elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nouns {
    /// Lower case, as after *các*: `tỉnh`, `thành phố`, `sở`.
    pub member: String,
    /// As the report refers back to the group: `Cụm`, `Khối`.
    pub group: String,
}

impl Nouns {
    /// Derives the nouns from the cluster's name (*Khối …* is a block,
    /// anything else a cluster) and the names of its members' unit kinds
    /// (`Tỉnh`, `Thành phố trực thuộc trung ương`, `Sở`…). Members of mixed
    /// kinds are *tỉnh, thành phố* when that is the mix, else *đơn vị*.
    #[must_use]
    pub fn derive<'a>(
        cluster_name: &str,
        member_kind_names: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let group = if crate::text::fold(cluster_name).starts_with("khoi") {
            "Khối"
        } else {
            "Cụm"
        };
        let kinds: BTreeSet<&str> = member_kind_names.into_iter().map(noun_of_kind).collect();
        let member = match kinds.iter().copied().collect::<Vec<_>>().as_slice() {
            [one] => (*one).to_owned(),
            [a, b] if [*a, *b] == ["thành phố", "tỉnh"] => "tỉnh, thành phố".to_owned(),
            _ => "đơn vị".to_owned(),
        };
        Self {
            member,
            group: group.to_owned(),
        }
    }
}

fn noun_of_kind(kind_name: &str) -> &'static str {
    let k = crate::text::fold(kind_name);
    let first =
        |w: &str| k == w || k.starts_with(&format!("{w} ")) || k.starts_with(&format!("{w},"));
    [
        ("tinh", "tỉnh"),
        ("thanh pho", "thành phố"),
        ("so", "sở"),
        ("bo", "bộ"),
        ("huyen", "huyện"),
        ("xa", "xã"),
        ("phuong", "phường"),
        ("truong", "trường"),
    ]
    .iter()
    .find(|(w, _)| first(w))
    .map_or("đơn vị", |(_, n)| n)
}

/// One reported value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberValue {
    /// Display name of the member (`Trà Vinh`).
    pub member: String,
    pub indicator: Key,
    pub value: Decimal,
}

/// Everything [`draft`] needs; the store gathers it.
#[derive(Debug, Clone, Copy)]
pub struct ReviewInput<'a> {
    /// Full name of the cluster: `Cụm thi đua các tỉnh Tây Nam bộ`.
    pub cluster: &'a str,
    pub period: Period,
    pub nouns: &'a Nouns,
    /// All members of the cluster in the period, in the order to show them.
    /// Empty: taken from the values, in order of first appearance.
    pub members: &'a [String],
    pub indicators: &'a [Indicator],
    pub values: &'a [MemberValue],
}

/// Data that cannot make a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("giao ước không có chỉ tiêu nào")]
    NoIndicators,
    #[error("chỉ tiêu «{0}» không có trong giao ước")]
    UnknownIndicator(String),
    #[error("«{0}» không phải là thành viên của cụm, khối")]
    UnknownMember(String),
    #[error("«{member}» có hai số liệu cho chỉ tiêu «{indicator}»")]
    Duplicate { member: String, indicator: String },
}

/// A member's value with its Vietnamese text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFigure {
    pub member: String,
    pub value: Decimal,
    /// `17%`, `2,35 tỷ USD`.
    pub text: String,
}

/// Who reached the pledged threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdResult {
    pub threshold: Decimal,
    pub threshold_text: String,
    /// Best first.
    pub reached: Vec<MemberFigure>,
    /// All members of the cluster.
    pub of: usize,
}

/// A member below its own registered target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedTarget {
    pub member: String,
    pub value_text: String,
    pub target_text: String,
}

/// How members did against their own targets (only members with one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetResult {
    pub reached: usize,
    pub of: usize,
    pub missed: Vec<MissedTarget>,
}

/// One indicator of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorSummary {
    pub indicator: Indicator,
    /// The cluster figure (mean rounded to two decimals, or exact sum);
    /// `None` when no member reported.
    pub figure: Option<Decimal>,
    pub figure_text: Option<String>,
    /// The mean per member, rounded: the line standouts are judged
    /// against, and the reference line of a chart.
    pub mean: Option<Decimal>,
    /// Every reporting member, best first.
    pub ranked: Vec<MemberFigure>,
    /// Members better than `mean`, best first.
    pub standouts: Vec<MemberFigure>,
    pub threshold: Option<ThresholdResult>,
    pub targets: Option<TargetResult>,
    /// Members that did not report, in member order.
    pub missing: Vec<String>,
}

impl IndicatorSummary {
    /// The span a chart's axis covers: zero, every member's value, the
    /// threshold and the mean; never empty, so a scale never divides by 0.
    #[must_use]
    pub fn chart_span(&self) -> (Decimal, Decimal) {
        let mut lo = Decimal::ZERO;
        let mut hi = Decimal::ZERO;
        for v in self
            .ranked
            .iter()
            .map(|f| f.value)
            .chain(self.threshold.as_ref().map(|t| t.threshold))
            .chain(self.mean)
        {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if hi == lo {
            hi = lo + Decimal::ONE;
        }
        (lo, hi)
    }
}

/// The computed review: plain data for charts, the API and [`compose`].
///
/// [`compose`]: ReviewReport::compose
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewReport {
    pub cluster: String,
    pub period: Period,
    /// `6 tháng đầu năm 2019`.
    pub period_label: String,
    pub nouns: Nouns,
    pub members: Vec<String>,
    pub indicators: Vec<IndicatorSummary>,
}

/// Computes the review report.
///
/// # Errors
/// [`ReviewError`] for values that do not fit the pledge or the members.
pub fn draft(input: &ReviewInput<'_>) -> Result<ReviewReport, ReviewError> {
    if input.indicators.is_empty() {
        return Err(ReviewError::NoIndicators);
    }
    let mut members: Vec<String> = input.members.to_vec();
    if members.is_empty() {
        for v in input.values {
            if !members.contains(&v.member) {
                members.push(v.member.clone());
            }
        }
    }
    // (indicator, member) → value, refusing duplicates and strangers.
    let mut by_key: BTreeMap<(&str, &str), Decimal> = BTreeMap::new();
    for v in input.values {
        if !input.indicators.iter().any(|i| i.key == v.indicator) {
            return Err(ReviewError::UnknownIndicator(v.indicator.to_string()));
        }
        if !members.contains(&v.member) {
            return Err(ReviewError::UnknownMember(v.member.clone()));
        }
        if by_key
            .insert((v.indicator.as_str(), v.member.as_str()), v.value)
            .is_some()
        {
            return Err(ReviewError::Duplicate {
                member: v.member.clone(),
                indicator: v.indicator.to_string(),
            });
        }
    }
    let indicators = input
        .indicators
        .iter()
        .map(|ind| {
            let values: Vec<(&String, Decimal)> = members
                .iter()
                .filter_map(|m| by_key.get(&(ind.key.as_str(), m.as_str())).map(|v| (m, *v)))
                .collect();
            let missing = members
                .iter()
                .filter(|m| !by_key.contains_key(&(ind.key.as_str(), m.as_str())))
                .cloned()
                .collect();
            summarise(ind, &values, members.len(), missing)
        })
        .collect();
    Ok(ReviewReport {
        cluster: input.cluster.to_owned(),
        period: input.period,
        period_label: input.period.label(),
        nouns: input.nouns.clone(),
        members,
        indicators,
    })
}

/// The plain mean, rounded as printed. `None` for no values.
#[must_use]
pub fn mean(values: &[Decimal]) -> Option<Decimal> {
    let n = Decimal::from(values.len());
    (!values.is_empty())
        .then(|| number::round(values.iter().sum::<Decimal>() / n, DEFAULT_DECIMALS))
}

fn summarise(
    ind: &Indicator,
    values: &[(&String, Decimal)],
    member_count: usize,
    missing: Vec<String>,
) -> IndicatorSummary {
    let figure_of = |m: &String, v: Decimal| MemberFigure {
        member: m.clone(),
        value: v,
        text: ind.unit.format(v),
    };
    let raw: Vec<Decimal> = values.iter().map(|(_, v)| *v).collect();
    let mean = mean(&raw);
    let figure = match ind.aggregate {
        Aggregate::Mean => mean,
        Aggregate::Sum => (!raw.is_empty()).then(|| raw.iter().sum::<Decimal>()),
    };
    let mut ranked: Vec<MemberFigure> = values.iter().map(|(m, v)| figure_of(m, *v)).collect();
    // Stable sort: equal values keep the members' order.
    ranked.sort_by(|a, b| match ind.direction {
        Direction::Higher => b.value.cmp(&a.value),
        Direction::Lower => a.value.cmp(&b.value),
    });
    let standouts = mean
        .map(|m| {
            ranked
                .iter()
                .filter(|f| ind.direction.better(f.value, m))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let threshold = ind.threshold.map(|t| ThresholdResult {
        threshold: t,
        threshold_text: ind.unit.format(t),
        reached: ranked
            .iter()
            .filter(|f| ind.direction.reaches(f.value, t))
            .cloned()
            .collect(),
        of: member_count,
    });
    let targets = (!ind.targets.is_empty()).then(|| {
        let mut reached = 0;
        let mut missed = Vec::new();
        for (member, target) in &ind.targets {
            match values.iter().find(|(m, _)| *m == member) {
                Some((_, v)) if ind.direction.reaches(*v, *target) => reached += 1,
                found => missed.push(MissedTarget {
                    member: member.clone(),
                    value_text: found
                        .map_or_else(|| "chưa báo cáo".to_owned(), |(_, v)| ind.unit.format(*v)),
                    target_text: ind.unit.format(*target),
                }),
            }
        }
        TargetResult {
            reached,
            of: ind.targets.len(),
            missed,
        }
    });
    IndicatorSummary {
        indicator: ind.clone(),
        figure,
        figure_text: figure.map(|f| ind.unit.format(f)),
        mean,
        ranked,
        standouts,
        threshold,
        targets,
        missing,
    }
}

/// The worded report, as the officer edits it: a title and sections of
/// paragraphs. This, not [`ReviewReport`], is what gets exported, so edits
/// survive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDocument {
    pub title: String,
    pub sections: Vec<Section>,
}

/// A section: an optional heading and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub heading: Option<String>,
    pub paragraphs: Vec<Paragraph>,
}

/// A paragraph, tied to the indicator it speaks of (so a preview can put
/// the indicator's chart beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<Key>,
}

impl ReviewReport {
    /// Words the report with the shipped Vietnamese templates.
    #[must_use]
    pub fn document(&self) -> ReviewDocument {
        self.compose(&Templates::vietnamese())
    }

    /// Words the report with `t`.
    #[must_use]
    pub fn compose(&self, t: &Templates) -> ReviewDocument {
        let period = self.period_label.as_str();
        let members = self.nouns.member.as_str();
        let group = self.nouns.group.as_str();
        let year = self.period.year().to_string();
        let review = if self.period.is_final() {
            "tổng kết"
        } else {
            "sơ kết"
        };
        let total = self.members.len().to_string();
        let reported = self
            .members
            .iter()
            .filter(|m| self.indicators.iter().any(|i| !i.missing.contains(m)))
            .count();
        let reported = reported.to_string();
        let common = [
            ("period", period),
            ("members", members),
            ("group", group),
            ("cluster", self.cluster.as_str()),
        ];
        let with = |extra: &[(&'static str, &str)]| -> Vec<(&str, String)> {
            common
                .iter()
                .chain(extra)
                .map(|(k, v)| (*k, (*v).to_owned()))
                .collect()
        };
        let fill = |key: &str, values: Vec<(&str, String)>| {
            let refs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t.fill(key, &refs)
        };
        let list = |figures: &[MemberFigure]| {
            figures
                .iter()
                .map(|f| t.fill("item", &[("member", &f.member), ("value", &f.text)]))
                .collect::<Vec<_>>()
                .join(&t.fill("separator", &[]))
        };

        let title = fill("title", with(&[("review", review), ("year", &year)]));
        let intro = fill(
            "intro",
            with(&[("reported", &reported), ("total", &total), ("year", &year)]),
        );
        let paragraphs = self
            .indicators
            .iter()
            .map(|s| {
                let name = s.indicator.name.as_str();
                let name_lc = lower_first(name);
                let named = [("indicator", name), ("indicator_lc", name_lc.as_str())];
                let Some(figure) = &s.figure_text else {
                    return Paragraph {
                        text: fill("no_data", with(&named)),
                        indicator: Some(s.indicator.key.clone()),
                    };
                };
                let dir = match s.indicator.direction {
                    Direction::Higher => "higher",
                    Direction::Lower => "lower",
                };
                let figure_key = match s.indicator.aggregate {
                    Aggregate::Mean => format!("figure.mean.{dir}"),
                    Aggregate::Sum => format!("figure.sum.{dir}"),
                };
                let mut text = fill(&figure_key, with(&[named[0], named[1], ("figure", figure)]));
                // With a threshold that only some reached, the reachers are
                // the list (seed 001: exports “từ 50% so kế hoạch”); else the
                // standouts are.
                let mut show_standouts = true;
                if let Some(th) = &s.threshold {
                    let reached = th.reached.len().to_string();
                    let of = th.of.to_string();
                    let case = if th.reached.len() == th.of {
                        "all"
                    } else if th.reached.is_empty() {
                        "none"
                    } else {
                        show_standouts = false;
                        "some"
                    };
                    let extra = [
                        ("reached", reached.as_str()),
                        ("total", of.as_str()),
                        ("threshold", th.threshold_text.as_str()),
                        ("list", &list(&th.reached)),
                    ];
                    text.push_str(&fill(&format!("threshold.{case}.{dir}"), with(&extra)));
                }
                if show_standouts && !s.standouts.is_empty() {
                    let count = s.standouts.len().to_string();
                    let extra = [("list", list(&s.standouts)), ("count", count)];
                    let extra: Vec<(&str, &str)> =
                        extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    text.push_str(&fill(&format!("standouts.{dir}"), with(&extra)));
                }
                text.push_str(&t.fill("end", &[]));
                if let Some(tr) = &s.targets {
                    let (reached, of) = (tr.reached.to_string(), tr.of.to_string());
                    let items = tr
                        .missed
                        .iter()
                        .map(|m| {
                            t.fill(
                                "item.target",
                                &[
                                    ("member", &m.member),
                                    ("value", &m.value_text),
                                    ("target", &m.target_text),
                                ],
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(&t.fill("separator", &[]));
                    let key = if tr.missed.is_empty() {
                        "targets.all"
                    } else {
                        "targets.some"
                    };
                    text.push(' ');
                    text.push_str(&fill(
                        key,
                        with(&[("reached", &reached), ("total", &of), ("list", &items)]),
                    ));
                }
                if !s.missing.is_empty() {
                    let names = s.missing.join(&t.fill("separator.names", &[]));
                    let count = s.missing.len().to_string();
                    text.push(' ');
                    text.push_str(&fill(
                        "missing",
                        with(&[("list", &names), ("count", &count)]),
                    ));
                }
                Paragraph {
                    text,
                    indicator: Some(s.indicator.key.clone()),
                }
            })
            .collect();
        ReviewDocument {
            title,
            sections: vec![
                Section {
                    heading: None,
                    paragraphs: vec![Paragraph {
                        text: intro,
                        indicator: None,
                    }],
                },
                Section {
                    heading: Some(fill("heading", with(&[]))),
                    paragraphs,
                },
            ],
        }
    }
}

/// `Tốc độ tăng trưởng` → `tốc độ tăng trưởng`, but `GRDP bình quân` stays:
/// an acronym keeps its capitals mid-sentence.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_owned(),
    }
}

impl ReviewDocument {
    /// Plain text: the title, then each heading and paragraph separated by
    /// blank lines. Not wrapped (terminals and editors wrap).
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = self.title.to_uppercase();
        out.push('\n');
        for s in &self.sections {
            if let Some(h) = &s.heading {
                out.push('\n');
                out.push_str(h);
                out.push('\n');
            }
            for p in &s.paragraphs {
                out.push('\n');
                out.push_str(&p.text);
                out.push('\n');
            }
        }
        out
    }

    /// Markdown, with the text escaped so a name or an edit cannot turn
    /// into markup.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# {}\n", md_escape(&self.title));
        for s in &self.sections {
            if let Some(h) = &s.heading {
                out.push_str(&format!("\n## {}\n", md_escape(h)));
            }
            for p in &s.paragraphs {
                out.push('\n');
                out.push_str(&md_escape(&p.text));
                out.push('\n');
            }
        }
        out
    }
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A paragraph that starts like a list item (`1. `, `- `, `+ `) would
    // become one.
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if (digits > 0 && out[digits..].starts_with(". "))
        || out.starts_with("- ")
        || out.starts_with("+ ")
    {
        let at = if digits > 0 { digits } else { 0 };
        out.insert(at, '\\');
    }
    out
}

#[cfg(test)]
mod tests;
