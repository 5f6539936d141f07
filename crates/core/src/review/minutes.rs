//! The minutes of a secret ballot (*biên bản kiểm phiếu*) as a document of
//! sentences, worded by templates beside the review reports' (`vi.tpl`):
//! `minutes.vi.tpl`, loaded and checked the same way, so an office rewords
//! its minutes as it rewords its reports, and the web only renders. The
//! facts are the ballot's own (its spec and its outcome, counted by
//! [`crate::ballot`]); which sentence applies is decided here, the wording
//! is the template's.

use super::frame::{dated, Frame, Signature, PLACE_BLANK};
use super::template::{Spec, TemplateError, Templates};
use super::{Paragraph, ReviewDocument, Section};
use crate::ballot::{BallotSpec, Base, Elected, Outcome, Question};
use crate::number::format_vi;

/// Each key of the minutes' templates and the placeholders it may use.
pub const SPEC: Spec = &[
    ("title", &[]),
    ("subject", &["title"]),
    ("number", &[]),
    ("organiser", &["unit"]),
    ("organiser.context", &["unit", "context"]),
    ("form", &["question"]),
    ("question.yes_no", &[]),
    ("question.pick", &["k"]),
    ("rules", &["num", "den", "required", "percent", "base"]),
    ("base.eligible", &[]),
    ("base.valid", &[]),
    ("base.present", &[]),
    ("closed", &["hour", "minute", "date"]),
    ("heading.result", &[]),
    ("no_quorum", &[]),
    (
        "counted",
        &["eligible", "present", "cast", "valid", "invalid"],
    ),
    (
        "candidate",
        &["name", "yes", "base", "share", "no", "blank", "verdict"],
    ),
    ("verdict.yes", &[]),
    ("verdict.tie", &[]),
    ("verdict.no", &[]),
    ("heading.secrecy", &[]),
    ("secrecy", &[]),
    ("sign.left", &[]),
    ("sign.right", &[]),
    ("sign.hint", &[]),
    ("archive", &[]),
];

/// The Vietnamese minutes shipped with tdkt.
pub const VIETNAMESE: &str = include_str!("minutes.vi.tpl");

/// Loads and checks a minutes template file.
///
/// # Errors
/// [`TemplateError`] naming the line or the missing key.
pub fn templates(src: &str) -> Result<Templates, TemplateError> {
    Templates::parse_with(SPEC, src)
}

/// What the minutes of one closed ballot say.
#[derive(Debug, Clone, Copy)]
pub struct Minutes<'a> {
    pub spec: &'a BallotSpec,
    /// The organising unit's name.
    pub unit: &'a str,
    /// What the ballot is part of (a round, a council meeting); may be empty.
    pub context: &'a str,
    /// When voting closed, RFC 3339 as stored (`2026-11-27T09:05:00Z`).
    pub closed_at: Option<&'a str>,
    pub outcome: &'a Outcome,
}

fn para(text: String) -> Paragraph {
    Paragraph {
        text,
        indicator: None,
    }
}

impl Minutes<'_> {
    /// Words the minutes with the shipped Vietnamese templates.
    ///
    /// # Panics
    /// Never in a build whose tests pass: the shipped file is checked by
    /// `the_shipped_minutes_templates_load`.
    #[must_use]
    pub fn vietnamese(&self) -> ReviewDocument {
        let t = templates(VIETNAMESE).expect("minutes.vi.tpl is checked by the tests");
        self.compose(&t)
    }

    /// The official frame of the minutes, worded with the shipped
    /// Vietnamese templates.
    ///
    /// # Panics
    /// Never in a build whose tests pass, as [`Self::vietnamese`].
    #[must_use]
    pub fn vietnamese_frame(&self) -> Frame {
        let t = templates(VIETNAMESE).expect("minutes.vi.tpl is checked by the tests");
        self.frame(&t)
    }

    /// The official frame (Phụ lục I NĐ 30/2020/NĐ-CP; mẫu biên bản of
    /// Phụ lục III): the organising unit issues the minutes, numbered
    /// `Số: ……/BB-……` by its office, dated the day voting closed (Việt Nam
    /// time); the abstract is the ballot's title; the secretary signs on
    /// the left and the head of the counting board on the right, each with
    /// room to sign; the minutes are kept in the ballot's file.
    #[must_use]
    pub fn frame(&self, t: &Templates) -> Frame {
        let place_date = match self.closed_at.and_then(crate::date::instant_vn) {
            Some(at) => dated(at.date()),
            None => format!("{PLACE_BLANK}, ngày …… tháng …… năm ……"),
        };
        let hint = t.fill("sign.hint", &[]);
        Frame {
            parent: String::new(),
            issuer: self.unit.to_uppercase(),
            number_line: t.fill("number", &[]),
            place_date,
            subject: t.fill("subject", &[("title", &self.spec.title)]),
            recipients: vec!["Nơi nhận:".to_owned(), t.fill("archive", &[])],
            signatures: vec![
                Signature::new(&[&t.fill("sign.left", &[])], &hint, ""),
                Signature::new(&[&t.fill("sign.right", &[])], &hint, ""),
            ],
        }
    }

    /// Words the minutes with `t` (a set loaded by [`templates`]): the
    /// text between the frame's title and its signature blocks.
    #[must_use]
    pub fn compose(&self, t: &Templates) -> ReviewDocument {
        let s = self.spec;
        let mut head = vec![para(if self.context.is_empty() {
            t.fill("organiser", &[("unit", self.unit)])
        } else {
            t.fill(
                "organiser.context",
                &[("unit", self.unit), ("context", self.context)],
            )
        })];
        let question = match s.question {
            Question::YesNo => t.fill("question.yes_no", &[]),
            Question::PickUpTo { k } => t.fill("question.pick", &[("k", &k.to_string())]),
        };
        head.push(para(t.fill("form", &[("question", &question)])));
        let base = t.fill(
            match s.threshold.base {
                Base::Eligible => "base.eligible",
                Base::ValidBallots => "base.valid",
                Base::Present => "base.present",
            },
            &[],
        );
        head.push(para(t.fill(
            "rules",
            &[
                ("num", &s.quorum.num.to_string()),
                ("den", &s.quorum.den.to_string()),
                ("required", &s.quorum.required(s.eligible).to_string()),
                ("percent", &s.threshold.percent_text()),
                ("base", &base),
            ],
        )));
        if let Some(at) = self.closed_at {
            let (hour, minute, date) = match crate::date::instant_vn(at) {
                Some(at) => (
                    format!("{:02}", at.hour()),
                    format!("{:02}", at.minute()),
                    crate::date::format_vn(at.date()),
                ),
                // not a timestamp: shown as stored rather than dropped
                None => (String::new(), String::new(), at.to_owned()),
            };
            head.push(para(t.fill(
                "closed",
                &[("hour", &hour), ("minute", &minute), ("date", &date)],
            )));
        }
        let mut result = Vec::new();
        match self.outcome {
            Outcome::NoQuorum { explanation, .. } => {
                result.push(para(explanation.clone()));
                result.push(para(t.fill("no_quorum", &[])));
            }
            Outcome::Counted(c) => {
                result.push(para(t.fill(
                    "counted",
                    &[
                        ("eligible", &c.eligible.to_string()),
                        ("present", &c.present.to_string()),
                        ("cast", &c.cast.to_string()),
                        ("valid", &c.valid.to_string()),
                        ("invalid", &c.invalid.to_string()),
                    ],
                )));
                for r in &c.candidates {
                    let verdict = t.fill(
                        match r.elected {
                            Elected::Yes => "verdict.yes",
                            Elected::TieAtCutoff => "verdict.tie",
                            Elected::No => "verdict.no",
                        },
                        &[],
                    );
                    result.push(para(t.fill(
                        "candidate",
                        &[
                            ("name", &r.name),
                            ("yes", &r.yes.to_string()),
                            ("base", &r.base.to_string()),
                            ("share", &format_vi(r.share_percent)),
                            ("no", &r.no.to_string()),
                            ("blank", &r.blank.to_string()),
                            ("verdict", &verdict),
                        ],
                    )));
                }
                result.push(para(c.explanation.clone()));
            }
        }
        ReviewDocument {
            title: t.fill("title", &[]),
            sections: vec![
                Section {
                    heading: None,
                    paragraphs: head,
                },
                Section {
                    heading: Some(t.fill("heading.result", &[])),
                    paragraphs: result,
                },
                Section {
                    heading: Some(t.fill("heading.secrecy", &[])),
                    paragraphs: vec![para(t.fill("secrecy", &[]))],
                },
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::{CandidateResult, Quorum, Tally, Threshold};
    use crate::scoring::MemberId;
    use rust_decimal::Decimal;

    fn spec() -> BallotSpec {
        BallotSpec {
            title: "Đề nghị tặng Cờ thi đua năm 2026".into(),
            question: Question::YesNo,
            candidates: Vec::new(),
            eligible: 9,
            quorum: Quorum { num: 2, den: 3 },
            threshold: Threshold::new(rust_decimal::Decimal::from(70), Base::Eligible),
        }
    }

    fn counted() -> Outcome {
        Outcome::Counted(Tally {
            eligible: 9,
            present: 8,
            cast: 8,
            valid: 8,
            invalid: 0,
            candidates: vec![CandidateResult {
                id: MemberId("tra-vinh".into()),
                name: "Trà Vinh".into(),
                yes: 7,
                no: 1,
                blank: 0,
                base: 9,
                threshold: spec().threshold,
                share_percent: Decimal::new(7778, 2),
                passed_threshold: true,
                elected: Elected::Yes,
                explanation: String::new(),
            }],
            explanation: "Trà Vinh đạt.".into(),
        })
    }

    #[test]
    fn the_shipped_minutes_templates_load() {
        templates(VIETNAMESE).unwrap();
    }

    #[test]
    fn the_minutes_word_the_ballot_and_its_count() {
        let spec = spec();
        let outcome = counted();
        let doc = Minutes {
            spec: &spec,
            unit: "Cụm thi đua Tây Nam bộ",
            context: "",
            closed_at: Some("2026-11-27T09:05:00Z"),
            outcome: &outcome,
        }
        .vietnamese();
        assert_eq!(doc.title, "Biên bản kiểm phiếu");
        let text: Vec<&str> = doc
            .sections
            .iter()
            .flat_map(|s| s.paragraphs.iter().map(|p| p.text.as_str()))
            .collect();
        assert!(
            text.contains(&"Đơn vị tổ chức: Cụm thi đua Tây Nam bộ."),
            "{text:?}"
        );
        assert!(
            text.contains(&"Hình thức: bỏ phiếu kín; đồng ý / không đồng ý với từng ứng viên."),
            "{text:?}"
        );
        assert!(
            text.contains(&"Tỷ lệ cử tri tham gia tối thiểu: 2/3 tổng số cử tri, tức ít nhất 6 cử tri. Ngưỡng đạt: 70% tổng số cử tri."),
            "{text:?}"
        );
        assert!(
            text.contains(&"Kết thúc bỏ phiếu lúc 16:05 ngày 27/11/2026 (giờ Việt Nam)."),
            "{text:?}"
        );
        assert!(
            text.contains(&"Trà Vinh: 7 phiếu đồng ý trên 9 (77,78%), 1 phiếu không đồng ý, 0 phiếu để trống — đạt."),
            "{text:?}"
        );
    }

    #[test]
    fn the_frame_dates_the_minutes_by_the_vietnamese_day_and_leaves_room_for_two_signatures() {
        let spec = spec();
        let outcome = counted();
        // 18:30 UTC is 01:30 the next day in Việt Nam
        let m = Minutes {
            spec: &spec,
            unit: "Cụm thi đua Tây Nam bộ",
            context: "",
            closed_at: Some("2026-11-27T18:30:00.317467637Z"),
            outcome: &outcome,
        };
        let f = m.vietnamese_frame();
        assert_eq!(f.issuer, "CỤM THI ĐUA TÂY NAM BỘ");
        assert_eq!(f.number_line, "Số: ……/BB-……");
        assert_eq!(f.place_date, "…………, ngày 28 tháng 11 năm 2026");
        assert_eq!(f.subject, "Đề nghị tặng Cờ thi đua năm 2026");
        let titles: Vec<&str> = f.signatures.iter().map(|s| s.titles[0].as_str()).collect();
        assert_eq!(titles, ["THƯ KÝ", "TRƯỞNG BAN KIỂM PHIẾU"]);
        assert!(f.signatures.iter().all(|s| s.hint == "(Ký, ghi rõ họ tên)"));
        assert_eq!(f.recipients[0], "Nơi nhận:");
        let text = m.vietnamese().to_text();
        assert!(text.contains("lúc 01:30 ngày 28/11/2026"), "{text}");
        assert!(!text.contains("2026-11-27T"), "{text}");
        assert!(
            !text.contains("Độc lập"),
            "the frame prints the motto: {text}"
        );
    }

    #[test]
    fn an_office_may_reword_the_minutes_and_a_typo_fails_at_load() {
        let mine = VIETNAMESE.replace("verdict.yes = đạt", "verdict.yes = được đề nghị");
        let t = templates(&mine).unwrap();
        let spec = spec();
        let outcome = counted();
        let doc = Minutes {
            spec: &spec,
            unit: "Sở Nội vụ",
            context: "Hội đồng TĐKT",
            closed_at: None,
            outcome: &outcome,
        }
        .compose(&t);
        let all: String = doc.sections[1]
            .paragraphs
            .iter()
            .map(|p| p.text.clone())
            .collect();
        assert!(all.contains("— được đề nghị."), "{all}");
        assert_eq!(
            doc.sections[0].paragraphs[0].text,
            "Đơn vị tổ chức: Sở Nội vụ (Hội đồng TĐKT)."
        );
        let typo = VIETNAMESE.replace("{present}", "{presnt}");
        assert!(templates(&typo)
            .unwrap_err()
            .to_string()
            .contains("{presnt}"));
    }
}
