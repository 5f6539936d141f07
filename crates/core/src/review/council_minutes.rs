//! The minutes of a council session (*biên bản họp Hội đồng TĐKT*, *biên
//! bản xét khen thưởng*): attendance, quorum, each dossier's result with its
//! share and base, the signature block. Worded by `council_minutes.vi.tpl`
//! beside the ballot minutes' templates and checked the same way, so the web
//! (HTML) and `tdkt_docs` (DOCX) only lay it out. Khoản 5 Điều 33 NĐ
//! 152/2025/NĐ-CP: the result and the share of "yes" must be in the minutes.

use super::frame::{dated, Frame, Signature};
use super::template::{Spec, TemplateError, Templates};
use super::{Paragraph, ReviewDocument, Section};
use crate::council::{MemberRole, QuorumRule};
use crate::number::format_vi;
use crate::share::{Base, Share};

pub const SPEC: Spec = &[
    ("title", &[]),
    ("issuer", &["unit"]),
    ("number", &[]),
    ("subject", &["unit"]),
    ("held", &["date", "place"]),
    ("heading.attendance", &[]),
    ("members", &["members", "present", "absent"]),
    ("member.present", &["name", "role"]),
    ("member.absent", &["name", "role"]),
    ("quorum", &["num", "den", "required", "citation"]),
    ("heading.result", &[]),
    ("form", &[]),
    (
        "dossier",
        &[
            "id",
            "award",
            "recipients",
            "yes",
            "base",
            "share",
            "on",
            "rule",
            "citation",
            "verdict",
        ],
    ),
    ("comments", &["comments"]),
    ("verdict.yes", &[]),
    ("verdict.no", &[]),
    ("heading.conclusion", &[]),
    ("conclusion", &["passed", "failed"]),
    ("sign.left", &[]),
    ("sign.right", &[]),
    ("sign.hint", &[]),
    ("recipient.members", &[]),
    ("recipient.archive", &[]),
];

pub const VIETNAMESE: &str = include_str!("council_minutes.vi.tpl");

/// # Errors
/// [`TemplateError`] naming the line or the missing key.
pub fn templates(src: &str) -> Result<Templates, TemplateError> {
    Templates::parse_with(SPEC, src)
}

/// One member on the attendance list.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub name: String,
    pub role: MemberRole,
    pub present: bool,
}

/// One dossier's result.
#[derive(Debug, Clone)]
pub struct Item {
    pub dossier_id: i64,
    pub award: String,
    pub recipients: String,
    pub share: Share,
    /// "từ 90% trở lên".
    pub rule: String,
    pub citation: String,
    pub passed: bool,
    /// How the public's comments were handled (a sentence of
    /// [`crate::dossier::disclosure::CommentSummary`]); empty when the
    /// dossier was not published.
    pub comments: String,
}

/// What the minutes of one closed session say.
#[derive(Debug, Clone)]
pub struct CouncilMinutes<'a> {
    pub unit: &'a str,
    /// The day of the session.
    pub held_on: time::Date,
    pub place: &'a str,
    pub attendees: &'a [Attendee],
    pub quorum: &'a QuorumRule,
    pub items: &'a [Item],
}

fn para(text: String) -> Paragraph {
    Paragraph {
        text,
        indicator: None,
    }
}

impl CouncilMinutes<'_> {
    /// The official frame, worded with the shipped Vietnamese templates.
    ///
    /// # Panics
    /// Never in a build whose tests pass (`the_council_minutes_templates_load`).
    #[must_use]
    pub fn vietnamese_frame(&self) -> Frame {
        let t = templates(VIETNAMESE).expect("council_minutes.vi.tpl is checked by the tests");
        self.frame(&t)
    }

    /// The official frame (Phụ lục I NĐ 30/2020/NĐ-CP; mẫu biên bản of
    /// Phụ lục III): the council issues its minutes, `Số: ……/BB-HĐTĐKT`
    /// numbered by its office, dated the day of the session; the secretary
    /// signs on the left, whoever chaired on the right (the chair, or the
    /// vice-chair present in the chair's absence), their names printed.
    #[must_use]
    pub fn frame(&self, t: &Templates) -> Frame {
        let hint = t.fill("sign.hint", &[]);
        Frame {
            parent: String::new(),
            issuer: t.fill("issuer", &[("unit", self.unit)]).to_uppercase(),
            number_line: t.fill("number", &[]),
            place_date: dated(self.held_on),
            subject: t.fill("subject", &[("unit", self.unit)]),
            recipients: vec![
                "Nơi nhận:".to_owned(),
                t.fill("recipient.members", &[]),
                t.fill("recipient.archive", &[]),
            ],
            signatures: vec![
                Signature::new(
                    &[&t.fill("sign.left", &[])],
                    &hint,
                    &self.signer(MemberRole::Secretary),
                ),
                Signature::new(&[&t.fill("sign.right", &[])], &hint, &self.chair()),
            ],
        }
    }

    /// The first member present in `role`, or empty.
    fn signer(&self, role: MemberRole) -> String {
        self.attendees
            .iter()
            .find(|a| a.present && a.role == role)
            .map_or_else(String::new, |a| a.name.clone())
    }

    /// Who chaired: the chair, or a vice-chair present in the chair's
    /// absence.
    fn chair(&self) -> String {
        Some(self.signer(MemberRole::Chair))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| self.signer(MemberRole::ViceChair))
    }

    /// # Panics
    /// Never in a build whose tests pass (`the_council_minutes_templates_load`).
    #[must_use]
    pub fn vietnamese(&self) -> ReviewDocument {
        let t = templates(VIETNAMESE).expect("council_minutes.vi.tpl is checked by the tests");
        self.compose(&t)
    }

    #[must_use]
    pub fn compose(&self, t: &Templates) -> ReviewDocument {
        let members = u32::try_from(self.attendees.len()).unwrap_or(u32::MAX);
        let present =
            u32::try_from(self.attendees.iter().filter(|a| a.present).count()).unwrap_or(u32::MAX);
        let head = vec![para(t.fill(
            "held",
            &[
                ("date", &crate::date::format_vn(self.held_on)),
                ("place", self.place),
            ],
        ))];
        let mut attendance = vec![para(t.fill(
            "members",
            &[
                ("members", &members.to_string()),
                ("present", &present.to_string()),
                ("absent", &(members - present).to_string()),
            ],
        ))];
        for a in self.attendees {
            attendance.push(para(t.fill(
                if a.present {
                    "member.present"
                } else {
                    "member.absent"
                },
                &[("name", &a.name), ("role", a.role.label())],
            )));
        }
        attendance.push(para(t.fill(
            "quorum",
            &[
                ("num", &self.quorum.num.to_string()),
                ("den", &self.quorum.den.to_string()),
                (
                    "required",
                    &self.quorum.quorum().required(members).to_string(),
                ),
                ("citation", &self.quorum.citation),
            ],
        )));
        let mut result = vec![para(t.fill("form", &[]))];
        for i in self.items {
            let share = i.share.percent().map_or_else(
                || "0".to_owned(),
                |p| format_vi(crate::points::round_points(p)),
            );
            let on = match i.share.on {
                Base::Eligible => "tính trên tổng số thành viên Hội đồng",
                Base::Present => "tính trên số thành viên có mặt",
                Base::ValidBallots => "tính trên số phiếu hợp lệ",
            };
            result.push(para(t.fill(
                "dossier",
                &[
                    ("id", &i.dossier_id.to_string()),
                    ("award", &i.award),
                    ("recipients", &i.recipients),
                    ("yes", &i.share.yes.to_string()),
                    ("base", &i.share.base.to_string()),
                    ("share", &share),
                    ("on", on),
                    ("rule", &i.rule),
                    ("citation", &i.citation),
                    (
                        "verdict",
                        &t.fill(
                            if i.passed {
                                "verdict.yes"
                            } else {
                                "verdict.no"
                            },
                            &[],
                        ),
                    ),
                ],
            )));
            if !i.comments.is_empty() {
                result.push(para(t.fill("comments", &[("comments", &i.comments)])));
            }
        }
        let passed = self.items.iter().filter(|i| i.passed).count();
        ReviewDocument {
            title: t.fill("title", &[]),
            sections: vec![
                Section {
                    heading: None,
                    paragraphs: head,
                },
                Section {
                    heading: Some(t.fill("heading.attendance", &[])),
                    paragraphs: attendance,
                },
                Section {
                    heading: Some(t.fill("heading.result", &[])),
                    paragraphs: result,
                },
                Section {
                    heading: Some(t.fill("heading.conclusion", &[])),
                    paragraphs: vec![para(t.fill(
                        "conclusion",
                        &[
                            ("passed", &passed.to_string()),
                            ("failed", &(self.items.len() - passed).to_string()),
                        ],
                    ))],
                },
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_council_minutes_templates_load() {
        templates(VIETNAMESE).unwrap();
    }

    #[test]
    fn the_minutes_give_each_share_on_the_whole_membership_and_the_signers() {
        let attendees: Vec<Attendee> = [
            ("Chủ tịch A", MemberRole::Chair, true),
            ("Thư ký B", MemberRole::Secretary, true),
            ("Ủy viên C", MemberRole::Member, false),
        ]
        .into_iter()
        .map(|(n, r, p)| Attendee {
            name: n.into(),
            role: r,
            present: p,
        })
        .collect();
        let rule = crate::rules::Rules::embedded().council().quorum(
            &[],
            time::macros::date!(2026 - 12 - 01),
            &[],
        );
        let items = [Item {
            dossier_id: 7,
            award: "Chiến sĩ thi đua toàn quốc".into(),
            recipients: "Nguyễn Văn A".into(),
            share: Share::new(2, 3, Base::Eligible),
            rule: "từ 90% trở lên".into(),
            citation: "khoản 5 Điều 33 NĐ 152/2025/NĐ-CP".into(),
            passed: false,
            comments: "01 ý kiến được chấp nhận, đăng công khai.".into(),
        }];
        let minutes = CouncilMinutes {
            unit: "thành phố Cần Thơ",
            held_on: time::macros::date!(2026 - 12 - 01),
            place: "Trụ sở UBND thành phố",
            attendees: &attendees,
            quorum: &rule,
            items: &items,
        };
        let text = minutes.vietnamese().to_text();
        assert!(text.contains("Thời gian: ngày 01/12/2026."), "{text}");
        assert!(text.contains("có mặt: 2; vắng mặt: 1"), "{text}");
        assert!(
            text.contains("2/3 (66,67%) tính trên tổng số thành viên Hội đồng"),
            "{text}"
        );
        assert!(text.contains("KHÔNG ĐẠT"), "{text}");
        assert!(
            text.contains(
                "Kết quả lấy ý kiến công khai (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP): 01 ý kiến"
            ),
            "{text}"
        );
        let f = minutes.vietnamese_frame();
        assert_eq!(f.issuer, "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG THÀNH PHỐ CẦN THƠ");
        assert_eq!(f.number_line, "Số: ……/BB-HĐTĐKT");
        assert_eq!(f.place_date, "…………, ngày 01 tháng 12 năm 2026");
        let blocks: Vec<(&str, &str)> = f
            .signatures
            .iter()
            .map(|s| (s.titles[0].as_str(), s.name.as_str()))
            .collect();
        assert_eq!(
            blocks,
            [
                ("THƯ KÝ HỘI ĐỒNG", "Thư ký B"),
                ("CHỦ TỌA PHIÊN HỌP", "Chủ tịch A")
            ]
        );
    }
}
