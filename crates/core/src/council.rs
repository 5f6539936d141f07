//! The council (*Hội đồng Thi đua - Khen thưởng*) of a unit: its members'
//! roles, the quorum of a session and the share of "yes" a dossier needs,
//! read from `council/hoi-dong.toml` (data, cited, with a province's
//! overlay), and the verdict on one dossier.
//!
//! # Counted on the whole membership
//! Khoản 5 Điều 33 NĐ 152/2025/NĐ-CP counts the council's vote for the Anh
//! hùng titles and Chiến sĩ thi đua toàn quốc (≥ 90 %) and Cờ thi đua của
//! Chính phủ (≥ 80 %) "tính trên tổng số thành viên của Hội đồng": a member
//! absent is a member who did not say yes. So [`VoteRule::judge`] takes the
//! number of members on the council's list that day, not those present, for
//! a rule on [`Base::Eligible`]: 9 yes of 10 members passes 90 %; 8 yes of 9
//! present out of 10 members does not.
//!
//! # Quorum
//! A session may vote only when enough members are present: 2/3 of all
//! members by default (điểm b khoản 4 Điều 45 NĐ 152/2025/NĐ-CP, the central
//! council, taken as the model), 80 % when an Anh hùng title is on the
//! agenda; a province's regulation replaces it (Bắc Ninh QĐ 86/2025: 80 %
//! for every session that considers awards).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::ballot::Quorum;
use crate::catalogue::SourceError;
use crate::error::DomainError;
use crate::number::format_vi;
use crate::share::{Base, Share, Threshold};

/// A member's role in the council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MemberRole {
    Chair,
    ViceChair,
    Member,
    Secretary,
}

impl MemberRole {
    pub const ALL: [Self; 4] = [Self::Chair, Self::ViceChair, Self::Member, Self::Secretary];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Chair => "chu-tich",
            Self::ViceChair => "pho-chu-tich",
            Self::Member => "uy-vien",
            Self::Secretary => "thu-ky",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Chair => "Chủ tịch Hội đồng",
            Self::ViceChair => "Phó Chủ tịch Hội đồng",
            Self::Member => "Ủy viên",
            Self::Secretary => "Ủy viên kiêm Thư ký",
        }
    }

    /// # Errors
    /// An unknown code, naming the field `role`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid(
                    "role",
                    format!("Chức danh «{s}» không có trong Hội đồng (chu-tich, pho-chu-tich, uy-vien, thu-ky)."),
                )
            })
    }
}

/// How many of all the members must attend, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuorumRule {
    pub num: u32,
    pub den: u32,
    pub citation: String,
    #[serde(default = "yes")]
    pub verified: bool,
}

fn yes() -> bool {
    true
}

impl QuorumRule {
    #[must_use]
    pub fn quorum(&self) -> Quorum {
        Quorum {
            num: self.num,
            den: self.den,
        }
    }

    /// Refuses to vote below quorum, saying the numbers.
    ///
    /// # Errors
    /// Too few present (field `attendance`), or no member at all.
    pub fn check(&self, present: u32, members: u32) -> Result<(), DomainError> {
        if members == 0 {
            return Err(DomainError::invalid(
                "attendance",
                "Hội đồng chưa có thành viên nào: cần lập danh sách thành viên trước khi họp.",
            ));
        }
        let q = self.quorum();
        if q.met(present, members) {
            return Ok(());
        }
        Err(DomainError::invalid(
            "attendance",
            format!(
                "Chưa đủ số thành viên dự họp: có mặt {present}/{members} thành viên, cần ít nhất {}/{} tổng số thành viên Hội đồng ({} người) theo {}. Chưa thể mở bỏ phiếu.",
                self.num,
                self.den,
                q.required(members),
                self.citation
            ),
        ))
    }
}

/// The share of "yes" a dossier needs, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRule {
    pub percent: Decimal,
    /// "trên" (more than) rather than "từ … trở lên".
    #[serde(default)]
    pub strict: bool,
    pub base: Base,
    pub citation: String,
    #[serde(default = "yes")]
    pub verified: bool,
}

/// The council's verdict on one dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub share: Share,
    pub passed: bool,
    /// Vietnamese, one sentence: "9/10 (90%) tổng số thành viên Hội đồng, …".
    pub explanation: String,
}

impl VoteRule {
    #[must_use]
    pub fn threshold(&self) -> Threshold {
        Threshold::new(self.percent, self.base)
    }

    /// "từ 90% trở lên" / "trên 50%".
    #[must_use]
    pub fn text(&self) -> String {
        let p = format_vi(self.percent.normalize());
        if self.strict {
            format!("trên {p}%")
        } else {
            format!("từ {p}% trở lên")
        }
    }

    /// Judges `yes` votes: on the whole membership (`members`), those
    /// `present`, or the `valid` ballots, as the rule says.
    #[must_use]
    pub fn judge(&self, yes: u32, members: u32, present: u32, valid: u32) -> Verdict {
        let base = match self.base {
            Base::Eligible => members,
            Base::Present => present,
            Base::ValidBallots => valid,
        };
        let share = Share::new(yes, base, self.base);
        let passed = if self.strict {
            share.exceeds(self.percent)
        } else {
            share.reaches(self.percent)
        };
        let on = match self.base {
            Base::Eligible => "tính trên tổng số thành viên Hội đồng",
            Base::Present => "tính trên số thành viên có mặt",
            Base::ValidBallots => "tính trên số phiếu hợp lệ",
        };
        let pct = share.percent().map_or_else(
            || "0".to_owned(),
            |p| format_vi(crate::points::round_points(p)),
        );
        let explanation = format!(
            "{yes}/{base} phiếu đồng ý ({pct}%), {on}; cần {} ({}): {}.",
            self.text(),
            self.citation,
            if passed { "đạt" } else { "không đạt" }
        );
        Verdict {
            share,
            passed,
            explanation,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct AwardQuorum {
    awards: Vec<String>,
    #[serde(flatten)]
    rule: QuorumRule,
}

#[derive(Debug, Clone, Deserialize)]
struct AwardVote {
    awards: Vec<String>,
    #[serde(flatten)]
    rule: VoteRule,
}

#[derive(Debug, Clone, Deserialize)]
struct Overlay {
    scope_unit: String,
    decision: String,
    effective_from: Date,
    quorum: Option<QuorumRule>,
    #[serde(default)]
    quorum_award: Vec<AwardQuorum>,
    #[serde(default)]
    vote: Vec<AwardVote>,
    default_vote: Option<VoteRule>,
}

/// The council rules: national defaults and provinces' overlays.
#[derive(Debug, Clone, Deserialize)]
pub struct CouncilRules {
    quorum: QuorumRule,
    #[serde(default)]
    quorum_award: Vec<AwardQuorum>,
    #[serde(default)]
    vote: Vec<AwardVote>,
    default_vote: VoteRule,
    #[serde(default)]
    overlay: Vec<Overlay>,
}

/// The rules shipped with tdkt, as `(path, text)` in the rules directory's
/// layout: a deployment replaces them with its own `council/*.toml`
/// (`tdkt --rules-dir DIR`), as a province sets its council's quorum and
/// shares below state level (khoản 2 Điều 6 NĐ 152/2025/NĐ-CP).
pub const EMBEDDED: &[(&str, &str)] = &[(
    "council/hoi-dong.toml",
    include_str!("../../../council/hoi-dong.toml"),
)];

impl CouncilRules {
    /// Loads the `council/` folder: one file, whose quorums and shares must
    /// be in range.
    ///
    /// # Errors
    /// No file or more than one, TOML that does not read, or a quorum or
    /// share out of range: each with its file and line.
    pub fn load(files: &[(&str, &str)]) -> Result<Self, Vec<SourceError>> {
        let [(file, src)] = files else {
            return Err(vec![SourceError::at(
                files.get(1).map_or("council/", |f| f.0),
                "",
                0,
                None,
                "thư mục council/ cần đúng một tệp quy định Hội đồng TĐKT (số lượng họp, tỷ lệ biểu quyết).",
            )]);
        };
        let r: Self =
            toml::from_str(src).map_err(|e| vec![SourceError::from_toml(file, src, &e)])?;
        r.check()
            .map_err(|m| vec![SourceError::at(file, src, 0, None, m)])?;
        Ok(r)
    }

    fn check(&self) -> Result<(), String> {
        let quorums = std::iter::once(&self.quorum)
            .chain(self.quorum_award.iter().map(|q| &q.rule))
            .chain(self.overlay.iter().flat_map(|o| {
                o.quorum
                    .iter()
                    .chain(o.quorum_award.iter().map(|q| &q.rule))
            }));
        for q in quorums {
            if q.num == 0 || q.den == 0 || q.num > q.den {
                return Err(format!(
                    "số thành viên tối thiểu dự họp {}/{} không hợp lệ.",
                    q.num, q.den
                ));
            }
        }
        let votes = std::iter::once(&self.default_vote)
            .chain(self.vote.iter().map(|v| &v.rule))
            .chain(
                self.overlay
                    .iter()
                    .flat_map(|o| o.default_vote.iter().chain(o.vote.iter().map(|v| &v.rule))),
            );
        for v in votes {
            if !v.threshold().is_valid() {
                return Err(format!("tỷ lệ biểu quyết {}% không hợp lệ.", v.percent));
            }
        }
        Ok(())
    }

    /// The overlays in force for a unit whose scope codes (itself, its
    /// ancestors and their predecessors) are `scope`, on `on`, latest last.
    fn overlays<'a>(&'a self, scope: &'a [&str], on: Date) -> impl Iterator<Item = &'a Overlay> {
        self.overlay
            .iter()
            .filter(move |o| on >= o.effective_from && scope.contains(&o.scope_unit.as_str()))
    }

    /// The quorum of a session of the council of a unit in `scope` on `on`
    /// whose agenda holds `awards`: the province's own if it has one, else
    /// the national default; the strictest of those that apply.
    #[must_use]
    pub fn quorum(&self, scope: &[&str], on: Date, awards: &[&str]) -> QuorumRule {
        let mut base = self.quorum.clone();
        let mut by_award: Vec<&AwardQuorum> = self.quorum_award.iter().collect();
        for o in self.overlays(scope, on) {
            if let Some(q) = &o.quorum {
                base = QuorumRule {
                    citation: format!("{} ({})", q.citation, o.decision),
                    ..q.clone()
                };
            }
            by_award.extend(o.quorum_award.iter());
        }
        by_award
            .into_iter()
            .filter(|q| q.awards.iter().any(|a| awards.contains(&a.as_str())))
            .map(|q| q.rule.clone())
            .fold(base, |best, q| {
                // a/b > c/d ⇔ a·d > c·b
                if u64::from(q.num) * u64::from(best.den) > u64::from(best.num) * u64::from(q.den) {
                    q
                } else {
                    best
                }
            })
    }

    /// The vote an award needs: the decree's own (khoản 5 Điều 33 NĐ
    /// 152/2025/NĐ-CP, which no province changes), else the province's, else
    /// the default.
    #[must_use]
    pub fn vote(&self, scope: &[&str], on: Date, award: &str) -> VoteRule {
        if let Some(v) = self
            .vote
            .iter()
            .find(|v| v.awards.iter().any(|a| a == award))
        {
            return v.rule.clone();
        }
        let mut rule = self.default_vote.clone();
        for o in self.overlays(scope, on) {
            if let Some(v) = o.vote.iter().find(|v| v.awards.iter().any(|a| a == award)) {
                rule = v.rule.clone();
            } else if let Some(v) = &o.default_vote {
                rule = v.clone();
            }
        }
        rule
    }
}

/// The checklist items the council's minutes answer (Điều 36–42 NĐ
/// 152/2025/NĐ-CP): an award whose documents name one of them needs the
/// council's vote before it leaves the council's level.
pub const MINUTES_DOCUMENTS: [&str; 2] = ["bien-ban-hoi-dong-bo-phieu", "bien-ban-hoi-dong"];

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const ON: Date = date!(2026 - 12 - 01);

    fn shipped() -> CouncilRules {
        CouncilRules::load(EMBEDDED).unwrap()
    }

    #[test]
    fn a_quorum_out_of_range_is_refused_naming_the_file() {
        let text = EMBEDDED[0].1.replacen("num = 2", "num = 5", 1);
        let e = CouncilRules::load(&[("council/tinh.toml", &text)]).unwrap_err();
        assert_eq!(e[0].file, "council/tinh.toml");
        assert!(e[0].to_string().contains("5/3 không hợp lệ"), "{}", e[0]);
        let two =
            CouncilRules::load(&[EMBEDDED[0], ("council/b.toml", EMBEDDED[0].1)]).unwrap_err();
        assert_eq!(two[0].file, "council/b.toml");
    }

    #[test]
    fn nine_of_ten_members_pass_ninety_percent_for_cstd_toan_quoc() {
        let rule = shipped().vote(&["can-tho"], ON, "chien-si-thi-dua-toan-quoc");
        assert_eq!(rule.base, Base::Eligible);
        let v = rule.judge(9, 10, 10, 10);
        assert!(v.passed, "{}", v.explanation);
        assert!(v.explanation.contains("tổng số thành viên Hội đồng"));
    }

    #[test]
    fn eight_yes_of_nine_present_out_of_ten_members_fail_ninety_percent() {
        let rule = shipped().vote(&["can-tho"], ON, "anh-hung-lao-dong");
        // 8 of 9 present is 88,9 %, and of 10 members only 80 %: both short,
        // but a base of those present would tip 9 of 9 over.
        let v = rule.judge(8, 10, 9, 9);
        assert!(!v.passed);
        assert_eq!(v.share, Share::new(8, 10, Base::Eligible));
        assert!(rule.judge(9, 10, 9, 9).passed);
    }

    #[test]
    fn a_government_flag_needs_eighty_percent_of_all_members() {
        let rule = shipped().vote(&["can-tho"], ON, "co-thi-dua-chinh-phu");
        assert!(rule.judge(8, 10, 8, 8).passed);
        assert!(!rule.judge(7, 10, 7, 7).passed);
    }

    #[test]
    fn other_forms_need_more_than_half_of_all_members_by_default() {
        let rule = shipped().vote(&["can-tho"], ON, "bang-khen-thu-tuong");
        assert!(rule.strict);
        assert!(!rule.verified);
        assert!(!rule.judge(5, 10, 10, 10).passed);
        assert!(rule.judge(6, 10, 6, 6).passed);
    }

    #[test]
    fn the_quorum_is_two_thirds_of_members_and_says_the_numbers() {
        let q = shipped().quorum(&["can-tho"], ON, &["bang-khen-thu-tuong"]);
        assert_eq!((q.num, q.den), (2, 3));
        assert!(q.check(7, 10).is_ok());
        let err = q.check(6, 10).unwrap_err().to_string();
        assert!(err.contains("6/10"), "{err}");
        assert!(err.contains("7 người"), "{err}");
        assert!(q.check(0, 0).is_err());
    }

    #[test]
    fn a_hero_title_on_the_agenda_raises_the_quorum_to_eighty_percent() {
        let q = shipped().quorum(
            &["can-tho"],
            ON,
            &["bang-khen-thu-tuong", "anh-hung-lao-dong"],
        );
        assert_eq!((q.num, q.den), (4, 5));
        assert!(q.check(7, 10).is_err());
        assert!(q.check(8, 10).is_ok());
    }

    #[test]
    fn bac_ninh_sets_its_own_quorum_from_its_regulation_date() {
        let q = shipped().quorum(
            &["bac-ninh.so-noi-vu", "bac-ninh"],
            ON,
            &["bang-khen-cap-tinh"],
        );
        assert_eq!((q.num, q.den), (4, 5));
        assert!(q.citation.contains("QĐ 86/2025"));
        let before = shipped().quorum(
            &["bac-ninh"],
            date!(2025 - 12 - 01),
            &["bang-khen-cap-tinh"],
        );
        assert_eq!((before.num, before.den), (2, 3));
    }

    #[test]
    fn member_roles_read_their_codes() {
        for r in MemberRole::ALL {
            assert_eq!(MemberRole::parse(r.code()).unwrap(), r);
        }
        assert!(MemberRole::parse("truong-ban").is_err());
    }
}
