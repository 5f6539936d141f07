//! The report of achievements (*báo cáo thành tích*) of a dossier's
//! recipient, drafted from tdkt's own records and worded by
//! `achievement.vi.tpl` beside the review reports' and the ballot minutes'
//! templates.
//!
//! What it says follows the report forms of the Phụ lục of Nghị định
//! 152/2025/NĐ-CP (I. sơ lược; II. thành tích đạt được; III. các hình thức
//! đã được khen thưởng; kỷ luật if any) and khoản 9 Điều 33: the report must
//! fit the criteria of the form proposed, so it covers the years the rule
//! in force reads ([`crate::eligibility::Rule::years_examined`]), no more.
//! The facts come from the store (ratings, initiatives, the registry across
//! the unit's lineage, discipline); the officer edits the drafted text
//! before saving it, so the draft is plain text, one paragraph a line.

use time::Date;

use super::template::{Spec, TemplateError, Templates};
use crate::catalogue::Recipient;
use crate::date::format_vn;
use crate::rating::{DisciplineLevel, Rating, Scope};

/// Each key of the report's templates and the placeholders it may use.
pub const SPEC: Spec = &[
    ("title", &[]),
    ("subject", &["award"]),
    ("heading.profile", &[]),
    ("profile.individual", &["name", "unit"]),
    ("profile.collective", &["name", "unit"]),
    ("profile.household", &["name", "unit"]),
    ("lineage", &["list"]),
    ("heading.achievements", &[]),
    ("period", &["from", "to", "award"]),
    ("rating", &["year", "rating"]),
    ("rating.via", &["year", "rating", "via"]),
    ("rating.none", &["year"]),
    ("initiative", &["title", "date", "scope"]),
    ("initiatives.none", &[]),
    ("heading.awards", &[]),
    ("award", &["year", "award", "decision"]),
    ("award.via", &["year", "award", "decision", "via"]),
    ("awards.none", &[]),
    ("heading.discipline", &[]),
    ("discipline", &["level", "decision", "date"]),
    ("discipline.none", &[]),
    ("sign.left", &[]),
    ("sign.right.individual", &[]),
    ("sign.right.collective", &[]),
];

/// The Vietnamese templates shipped with tdkt.
pub const VIETNAMESE: &str = include_str!("achievement.vi.tpl");

/// Loads and checks a report template file.
///
/// # Errors
/// [`TemplateError`] naming the line or the missing key.
pub fn templates(src: &str) -> Result<Templates, TemplateError> {
    Templates::parse_with(SPEC, src)
}

/// An award held, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardLine {
    pub year: i32,
    pub award_name: String,
    pub decision: String,
    /// The predecessor unit that received it, for a collective.
    pub via: Option<String>,
}

/// What tdkt knows of the recipient, for the years the award looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub recipient: Recipient,
    pub name: String,
    /// The person's unit; a collective's parent unit; a household's place.
    pub unit: String,
    pub award_name: String,
    /// The years the criteria read (inclusive).
    pub from: i32,
    pub to: i32,
    /// `(year, rating, predecessor)`; years outside `from..=to` are ignored.
    pub ratings: Vec<(i32, Rating, Option<String>)>,
    pub awards: Vec<AwardLine>,
    pub initiatives: Vec<(Scope, Date, String)>,
    pub disciplines: Vec<(DisciplineLevel, Date, String)>,
    /// Predecessor units whose history the collective carries.
    pub predecessors: Vec<String>,
}

/// The drafted report: the text the officer edits, and the lines around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub subject: String,
    /// One paragraph a line; headings are lines of their own.
    pub text: String,
    pub sign_left: String,
    pub sign_right: String,
}

impl Facts {
    /// Words the report with the shipped Vietnamese templates.
    ///
    /// # Panics
    /// Never in a build whose tests pass: the shipped file is checked by
    /// `the_shipped_achievement_templates_load`.
    #[must_use]
    pub fn vietnamese(&self) -> Draft {
        let t = templates(VIETNAMESE).expect("achievement.vi.tpl is checked by the tests");
        self.compose(&t)
    }

    /// Words the report with `t`.
    #[must_use]
    pub fn compose(&self, t: &Templates) -> Draft {
        let mut lines: Vec<String> = Vec::new();
        let in_window = |y: i32| (self.from..=self.to).contains(&y);
        lines.push(t.fill("heading.profile", &[]));
        let profile = match self.recipient {
            Recipient::Individual => "profile.individual",
            Recipient::Collective => "profile.collective",
            Recipient::Household => "profile.household",
        };
        lines.push(t.fill(profile, &[("name", &self.name), ("unit", &self.unit)]));
        if !self.predecessors.is_empty() {
            lines.push(t.fill("lineage", &[("list", &self.predecessors.join(", "))]));
        }
        lines.push(String::new());
        lines.push(t.fill("heading.achievements", &[]));
        lines.push(t.fill(
            "period",
            &[
                ("from", &self.from.to_string()),
                ("to", &self.to.to_string()),
                ("award", &self.award_name),
            ],
        ));
        if self.recipient != Recipient::Household {
            for year in self.from..=self.to {
                let y = year.to_string();
                match self.ratings.iter().find(|r| r.0 == year) {
                    Some((_, r, Some(via))) => lines.push(t.fill(
                        "rating.via",
                        &[("year", &y), ("rating", r.label()), ("via", via)],
                    )),
                    Some((_, r, None)) => {
                        lines.push(t.fill("rating", &[("year", &y), ("rating", r.label())]));
                    }
                    None => lines.push(t.fill("rating.none", &[("year", &y)])),
                }
            }
        }
        let mut initiatives: Vec<&(Scope, Date, String)> = self
            .initiatives
            .iter()
            .filter(|i| in_window(i.1.year()))
            .collect();
        initiatives.sort_by_key(|i| i.1);
        if initiatives.is_empty() {
            lines.push(t.fill("initiatives.none", &[]));
        }
        for (scope, date, title) in initiatives {
            lines.push(t.fill(
                "initiative",
                &[
                    ("title", title),
                    ("date", &format_vn(*date)),
                    ("scope", scope.label()),
                ],
            ));
        }
        lines.push(String::new());
        lines.push(t.fill("heading.awards", &[]));
        let mut awards: Vec<&AwardLine> =
            self.awards.iter().filter(|a| in_window(a.year)).collect();
        awards.sort_by(|a, b| (a.year, &a.award_name).cmp(&(b.year, &b.award_name)));
        if awards.is_empty() {
            lines.push(t.fill("awards.none", &[]));
        }
        for a in awards {
            let y = a.year.to_string();
            lines.push(match &a.via {
                Some(via) => t.fill(
                    "award.via",
                    &[
                        ("year", &y),
                        ("award", &a.award_name),
                        ("decision", &a.decision),
                        ("via", via),
                    ],
                ),
                None => t.fill(
                    "award",
                    &[
                        ("year", &y),
                        ("award", &a.award_name),
                        ("decision", &a.decision),
                    ],
                ),
            });
        }
        if self.recipient != Recipient::Household {
            lines.push(String::new());
            lines.push(t.fill("heading.discipline", &[]));
            let mut disc: Vec<&(DisciplineLevel, Date, String)> = self
                .disciplines
                .iter()
                .filter(|d| in_window(d.1.year()))
                .collect();
            disc.sort_by_key(|d| d.1);
            if disc.is_empty() {
                lines.push(t.fill("discipline.none", &[]));
            }
            for (level, date, decision) in disc {
                lines.push(t.fill(
                    "discipline",
                    &[
                        ("level", level.label()),
                        ("decision", decision),
                        ("date", &format_vn(*date)),
                    ],
                ));
            }
        }
        Draft {
            title: t.fill("title", &[]),
            subject: t.fill("subject", &[("award", &self.award_name)]),
            text: lines.join("\n"),
            sign_left: t.fill("sign.left", &[]),
            sign_right: t.fill(
                if self.recipient == Recipient::Individual {
                    "sign.right.individual"
                } else {
                    "sign.right.collective"
                },
                &[],
            ),
        }
    }
}

/// A line of a report's text as the document lays it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// `I. SƠ LƯỢC …`: a Roman numeral, a dot, capitals.
    Heading(&'a str),
    Text(&'a str),
}

/// Splits an (edited) report text into its lines, blank lines dropped.
#[must_use]
pub fn lines(text: &str) -> Vec<Line<'_>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let heading = l.split_once(". ").is_some_and(|(n, rest)| {
                !n.is_empty()
                    && n.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
                    && rest.chars().all(|c| !c.is_lowercase())
            });
            if heading {
                Line::Heading(l)
            } else {
                Line::Text(l)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn facts() -> Facts {
        Facts {
            recipient: Recipient::Collective,
            name: "Sở Xây dựng thành phố Cần Thơ".into(),
            unit: "Ủy ban nhân dân thành phố Cần Thơ".into(),
            award_name: "Bằng khen của Thủ tướng Chính phủ".into(),
            from: 2021,
            to: 2025,
            ratings: vec![
                (2020, Rating::HoanThanhXuatSac, None),
                (
                    2021,
                    Rating::HoanThanhXuatSac,
                    Some("Sở Xây dựng tỉnh Hậu Giang".into()),
                ),
                (2022, Rating::HoanThanhTot, None),
                (2024, Rating::HoanThanhXuatSac, None),
                (2025, Rating::HoanThanhXuatSac, None),
            ],
            awards: vec![AwardLine {
                year: 2022,
                award_name: "Cờ thi đua của Ủy ban nhân dân tỉnh".into(),
                decision: "123/QĐ-UBND".into(),
                via: Some("Sở Xây dựng tỉnh Hậu Giang".into()),
            }],
            initiatives: vec![],
            disciplines: vec![(
                DisciplineLevel::KhienTrach,
                date!(2019 - 03 - 01),
                "5/QĐ-SXD".into(),
            )],
            predecessors: vec!["Sở Xây dựng tỉnh Hậu Giang".into()],
        }
    }

    #[test]
    fn the_shipped_achievement_templates_load() {
        templates(VIETNAMESE).unwrap();
    }

    #[test]
    fn the_draft_covers_the_window_years_and_names_the_lineage() {
        let d = facts().vietnamese();
        assert_eq!(d.title, "BÁO CÁO THÀNH TÍCH");
        assert!(d.subject.contains("Bằng khen của Thủ tướng Chính phủ"));
        assert!(d.text.contains("từ năm 2021 đến năm 2025"), "{}", d.text);
        assert!(!d.text.contains("Năm 2020"), "{}", d.text);
        assert!(d.text.contains("Năm 2023: chưa có kết quả"), "{}", d.text);
        assert!(
            d.text.contains("(Sở Xây dựng tỉnh Hậu Giang)"),
            "{}",
            d.text
        );
        assert!(d.text.contains("123/QĐ-UBND"), "{}", d.text);
        // the 2019 discipline is outside the years looked at
        assert!(d.text.contains("Không bị kỷ luật"), "{}", d.text);
        assert_eq!(d.sign_right, "THỦ TRƯỞNG ĐƠN VỊ");
    }

    #[test]
    fn headings_are_told_from_text() {
        let d = facts().vietnamese();
        let ls = lines(&d.text);
        assert!(matches!(ls[0], Line::Heading(h) if h.starts_with("I. ")));
        assert!(ls
            .iter()
            .any(|l| matches!(l, Line::Heading(h) if h.starts_with("III. "))));
        assert!(matches!(lines("Ví dụ. một câu")[0], Line::Text(_)));
    }
}
