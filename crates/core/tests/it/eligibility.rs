//! Table-driven eligibility cases against the shipped rule packs: each case
//! is a small history, the expected verdict and the clause that fails.

use std::sync::OnceLock;

use tdkt_core::catalogue::{Catalogue, Recipient};
use tdkt_core::eligibility::{
    check_packs, AwardHeld, Discipline, DisciplineLevel as D, EvalContext, Explanation, History,
    Initiative, MemberYear, PredecessorRef, Rating as R, RuleSet, Scope, ServicePeriod, Status,
    Supplied, Verdict, YearRating,
};
use time::{Date, Month};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::embedded)
}

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap()
}

/// Builds a history; everything optional is supplied (and empty) unless said otherwise.
struct B {
    h: History<'static>,
}

impl B {
    fn person() -> Self {
        let mut h = History {
            recipient: Some(Recipient::Individual),
            armed_forces: Some(false),
            supplied: Supplied::ALL,
            ..History::default()
        };
        h.service.push(ServicePeriod {
            from: d(2000, 1, 1),
            to: None,
        });
        Self { h }
    }
    fn unit() -> Self {
        Self {
            h: History {
                recipient: Some(Recipient::Collective),
                armed_forces: Some(false),
                supplied: Supplied::ALL,
                ..History::default()
            },
        }
    }
    fn rate(mut self, year: i32, r: R) -> Self {
        self.h.ratings.push(YearRating {
            year,
            rating: r,
            via: None,
        });
        self
    }
    fn rate_via(mut self, year: i32, r: R, via: &'static str) -> Self {
        self.h.ratings.push(YearRating {
            year,
            rating: r,
            via: Some(via),
        });
        self
    }
    fn rates(mut self, years: std::ops::RangeInclusive<i32>, r: R) -> Self {
        for y in years {
            self = self.rate(y, r);
        }
        self
    }
    fn award(self, code: &str, year: i32) -> Self {
        self.award_via(code, year, None)
    }
    fn award_via(mut self, code: &str, year: i32, via: Option<&'static str>) -> Self {
        let award = rules()
            .catalogue()
            .id(code)
            .unwrap_or_else(|| panic!("{code}"));
        self.h.awards.push(AwardHeld {
            award,
            year,
            decision: "12/QĐ-UBND",
            via,
        });
        self
    }
    fn discipline(mut self, level: D, date: Date, months: Option<u16>) -> Self {
        self.h.disciplines.push(Discipline {
            level,
            date,
            months,
            decision: "5/QĐ-KL",
        });
        self
    }
    fn initiative(mut self, scope: Scope, date: Date) -> Self {
        self.h.initiatives.push(Initiative {
            scope,
            recognised: date,
            title: "Số hóa hồ sơ",
        });
        self
    }
    fn served(mut self, from: Date, to: Option<Date>) -> Self {
        self.h.service = vec![ServicePeriod { from, to }];
        self
    }
    fn armed(mut self, v: Option<bool>) -> Self {
        self.h.armed_forces = v;
        self
    }
    fn recipient(mut self, r: Recipient) -> Self {
        self.h.recipient = Some(r);
        self
    }
    fn unsupplied(mut self, f: fn(&mut Supplied)) -> Self {
        f(&mut self.h.supplied);
        self
    }
    /// `ratings` = members rated [không HT, HT, tốt, xuất sắc]; titles by code.
    fn members(
        mut self,
        year: i32,
        n: u32,
        ratings: [u32; 4],
        titles: &[(&str, u32)],
        disciplined: [u32; 6],
    ) -> Self {
        let titles = titles
            .iter()
            .map(|(c, k)| (rules().catalogue().id(c).unwrap(), *k))
            .collect();
        self.h.members.push(MemberYear {
            year,
            members: n,
            by_rating: ratings,
            titles,
            disciplined,
        });
        self
    }
    fn predecessor(mut self, name: &'static str, date: Date) -> Self {
        self.h.predecessors.push(PredecessorRef {
            name,
            date,
            event: "sáp nhập",
        });
        self
    }
}

struct Case {
    name: &'static str,
    award: &'static str,
    year: i32,
    at: Option<Date>,
    history: fn() -> B,
    verdict: Verdict,
    /// Clause id that must fail (or be unknown for NeedsReview), if any.
    clause: Option<&'static str>,
    check: Option<fn(&Explanation)>,
}

const NO: [u32; 6] = [0; 6];

fn cases() -> Vec<Case> {
    use Verdict::{Eligible as E, NeedsReview as Q, NoRuleInForce as X, NotEligible as N};
    let c = |name, award, year, history: fn() -> B, verdict, clause| Case {
        name,
        award,
        year,
        at: None,
        history,
        verdict,
        clause,
        check: None,
    };
    vec![
        // --- Lao động tiên tiến (Điều 24)
        c(
            "ldtt_rated_good_is_eligible",
            "lao-dong-tien-tien",
            2025,
            || B::person().rate(2025, R::HoanThanhTot),
            E,
            None,
        ),
        c(
            "ldtt_rated_excellent_is_eligible",
            "lao-dong-tien-tien",
            2025,
            || B::person().rate(2025, R::HoanThanhXuatSac),
            E,
            None,
        ),
        c(
            "ldtt_rated_merely_completed_is_not",
            "lao-dong-tien-tien",
            2025,
            || B::person().rate(2025, R::HoanThanh),
            N,
            Some("xep-loai"),
        ),
        c(
            "ldtt_rated_failed_is_not",
            "lao-dong-tien-tien",
            2025,
            || B::person().rate(2025, R::KhongHoanThanh),
            N,
            Some("xep-loai"),
        ),
        c(
            "ldtt_without_a_rating_needs_review",
            "lao-dong-tien-tien",
            2025,
            || B::person().rate(2024, R::HoanThanhTot),
            Q,
            Some("xep-loai"),
        ),
        c(
            "ldtt_disciplined_in_the_year_is_not",
            "lao-dong-tien-tien",
            2025,
            || {
                B::person().rate(2025, R::HoanThanhTot).discipline(
                    D::KhienTrach,
                    d(2025, 4, 2),
                    Some(6),
                )
            },
            N,
            Some("khong-ky-luat"),
        ),
        c(
            "ldtt_discipline_ended_last_year_does_not_count",
            "lao-dong-tien-tien",
            2025,
            || {
                B::person().rate(2025, R::HoanThanhTot).discipline(
                    D::KhienTrach,
                    d(2024, 3, 1),
                    Some(6),
                )
            },
            E,
            None,
        ),
        c(
            "ldtt_warning_running_into_the_year_counts",
            "lao-dong-tien-tien",
            2025,
            || {
                B::person().rate(2025, R::HoanThanhTot).discipline(
                    D::CanhCao,
                    d(2024, 9, 1),
                    Some(12),
                )
            },
            N,
            Some("khong-ky-luat"),
        ),
        c(
            "ldtt_recruited_four_months_ago_is_not",
            "lao-dong-tien-tien",
            2025,
            || {
                B::person()
                    .served(d(2025, 9, 1), None)
                    .rate(2025, R::HoanThanhTot)
            },
            N,
            Some("thoi-gian"),
        ),
        c(
            "ldtt_recruited_in_may_is_eligible",
            "lao-dong-tien-tien",
            2025,
            || {
                B::person()
                    .served(d(2025, 5, 1), None)
                    .rate(2025, R::HoanThanhTot)
            },
            E,
            None,
        ),
        c(
            "ldtt_unknown_discipline_needs_review",
            "lao-dong-tien-tien",
            2025,
            || {
                B::person()
                    .rate(2025, R::HoanThanhTot)
                    .unsupplied(|s| s.disciplines = false)
            },
            Q,
            Some("khong-ky-luat"),
        ),
        c(
            "ldtt_unknown_service_needs_review",
            "lao-dong-tien-tien",
            2025,
            || {
                B::person()
                    .rate(2025, R::HoanThanhTot)
                    .unsupplied(|s| s.service = false)
            },
            Q,
            Some("thoi-gian"),
        ),
        c(
            "ldtt_is_not_for_a_collective",
            "lao-dong-tien-tien",
            2025,
            || B::unit().rate(2025, R::HoanThanhTot),
            N,
            Some("doi-tuong"),
        ),
        // --- Chiến sĩ tiên tiến
        c(
            "cstt_soldier_rated_good",
            "chien-si-tien-tien",
            2025,
            || B::person().armed(Some(true)).rate(2025, R::HoanThanhTot),
            E,
            None,
        ),
        c(
            "cstt_is_not_for_civilians",
            "chien-si-tien-tien",
            2025,
            || B::person().rate(2025, R::HoanThanhTot),
            N,
            Some("llvt"),
        ),
        c(
            "cstt_unknown_force_needs_review",
            "chien-si-tien-tien",
            2025,
            || B::person().armed(None).rate(2025, R::HoanThanhTot),
            Q,
            Some("llvt"),
        ),
        // --- Chiến sĩ thi đua cơ sở (Điều 23)
        c(
            "cstdcs_good_with_initiative",
            "chien-si-thi-dua-co-so",
            2025,
            || {
                B::person()
                    .rate(2025, R::HoanThanhTot)
                    .initiative(Scope::CoSo, d(2025, 10, 1))
            },
            E,
            None,
        ),
        c(
            "cstdcs_excellent_without_initiative",
            "chien-si-thi-dua-co-so",
            2025,
            || B::person().rate(2025, R::HoanThanhXuatSac),
            E,
            None,
        ),
        c(
            "cstdcs_good_without_initiative_is_not",
            "chien-si-thi-dua-co-so",
            2025,
            || B::person().rate(2025, R::HoanThanhTot),
            N,
            Some("sang-kien"),
        ),
        c(
            "cstdcs_old_initiative_does_not_count",
            "chien-si-thi-dua-co-so",
            2025,
            || {
                B::person()
                    .rate(2025, R::HoanThanhTot)
                    .initiative(Scope::CoSo, d(2023, 5, 1))
            },
            N,
            Some("sang-kien"),
        ),
        c(
            "cstdcs_disciplined_is_not",
            "chien-si-thi-dua-co-so",
            2025,
            || {
                B::person().rate(2025, R::HoanThanhXuatSac).discipline(
                    D::KhienTrach,
                    d(2025, 2, 1),
                    None,
                )
            },
            N,
            Some("khong-ky-luat"),
        ),
        c(
            "cstdcs_merely_completed_with_initiative_is_not",
            "chien-si-thi-dua-co-so",
            2025,
            || {
                B::person()
                    .rate(2025, R::HoanThanh)
                    .initiative(Scope::CoSo, d(2025, 3, 1))
            },
            N,
            Some("xep-loai-tot"),
        ),
        c(
            "cstdcs_good_with_unknown_initiatives_needs_review",
            "chien-si-thi-dua-co-so",
            2025,
            || {
                B::person()
                    .rate(2025, R::HoanThanhTot)
                    .unsupplied(|s| s.initiatives = false)
            },
            Q,
            Some("sang-kien"),
        ),
        c(
            "cstdcs_excellent_needs_no_initiative_data",
            "chien-si-thi-dua-co-so",
            2025,
            || {
                B::person()
                    .rate(2025, R::HoanThanhXuatSac)
                    .unsupplied(|s| s.initiatives = false)
            },
            E,
            None,
        ),
        c(
            "cstdcs_before_2024_initiative_was_mandatory",
            "chien-si-thi-dua-co-so",
            2020,
            || B::person().rate(2020, R::HoanThanhXuatSac),
            N,
            Some("sang-kien"),
        ),
        // --- Chiến sĩ thi đua Bộ, ban, ngành, tỉnh (Điều 22)
        c(
            "cstd_tinh_three_years_and_provincial_initiative",
            "chien-si-thi-dua-cap-tinh",
            2025,
            || {
                B::person()
                    .award("chien-si-thi-dua-co-so", 2023)
                    .award("chien-si-thi-dua-co-so", 2024)
                    .award("chien-si-thi-dua-co-so", 2025)
                    .initiative(Scope::CapTinh, d(2024, 11, 20))
            },
            E,
            None,
        ),
        Case {
            check: Some(|e| {
                let r = e.row("ba-lan-cstdcs").unwrap();
                assert!(
                    r.missing.as_deref().unwrap().contains("2023"),
                    "{:?}",
                    r.missing
                );
                assert_eq!(r.earliest_year, Some(2026));
            }),
            ..c(
                "cstd_tinh_with_a_gap_year_names_it",
                "chien-si-thi-dua-cap-tinh",
                2025,
                || {
                    B::person()
                        .award("chien-si-thi-dua-co-so", 2022)
                        .award("chien-si-thi-dua-co-so", 2024)
                        .award("chien-si-thi-dua-co-so", 2025)
                        .initiative(Scope::CapTinh, d(2024, 11, 20))
                },
                N,
                Some("ba-lan-cstdcs"),
            )
        },
        c(
            "cstd_tinh_with_only_a_grassroots_initiative",
            "chien-si-thi-dua-cap-tinh",
            2025,
            || {
                B::person()
                    .award("chien-si-thi-dua-co-so", 2023)
                    .award("chien-si-thi-dua-co-so", 2024)
                    .award("chien-si-thi-dua-co-so", 2025)
                    .initiative(Scope::CoSo, d(2024, 11, 20))
            },
            N,
            Some("sang-kien"),
        ),
        c(
            "cstd_tinh_national_initiative_is_enough",
            "chien-si-thi-dua-cap-tinh",
            2025,
            || {
                B::person()
                    .award("chien-si-thi-dua-co-so", 2023)
                    .award("chien-si-thi-dua-co-so", 2024)
                    .award("chien-si-thi-dua-co-so", 2025)
                    .initiative(Scope::ToanQuoc, d(2023, 1, 5))
            },
            E,
            None,
        ),
        Case {
            check: Some(|e| {
                assert!(
                    e.notes.iter().any(|n| n.contains("Điều 95")),
                    "{:?}",
                    e.notes
                );
            }),
            ..c(
                "cstd_tinh_streak_from_before_2024_counts_under_article_95",
                "chien-si-thi-dua-cap-tinh",
                2024,
                || {
                    B::person()
                        .award("chien-si-thi-dua-co-so", 2022)
                        .award("chien-si-thi-dua-co-so", 2023)
                        .award("chien-si-thi-dua-co-so", 2024)
                        .initiative(Scope::CapTinh, d(2023, 6, 1))
                },
                E,
                None,
            )
        },
        c(
            "cstd_tinh_unknown_initiatives_need_review",
            "chien-si-thi-dua-cap-tinh",
            2025,
            || {
                B::person()
                    .award("chien-si-thi-dua-co-so", 2023)
                    .award("chien-si-thi-dua-co-so", 2024)
                    .award("chien-si-thi-dua-co-so", 2025)
                    .unsupplied(|s| s.initiatives = false)
            },
            Q,
            Some("sang-kien"),
        ),
        // --- Chiến sĩ thi đua toàn quốc (Điều 21)
        c(
            "cstdtq_two_provincial_titles_and_national_initiative",
            "chien-si-thi-dua-toan-quoc",
            2025,
            || {
                B::person()
                    .award("chien-si-thi-dua-cap-tinh", 2022)
                    .award("chien-si-thi-dua-cap-tinh", 2025)
                    .initiative(Scope::ToanQuoc, d(2024, 8, 1))
            },
            E,
            None,
        ),
        c(
            "cstdtq_non_consecutive_provincial_titles",
            "chien-si-thi-dua-toan-quoc",
            2025,
            || {
                B::person()
                    .award("chien-si-thi-dua-cap-tinh", 2021)
                    .award("chien-si-thi-dua-cap-tinh", 2025)
                    .initiative(Scope::ToanQuoc, d(2024, 8, 1))
            },
            N,
            Some("hai-lan-cstd-tinh"),
        ),
        c(
            "cstdtq_provincial_initiative_is_not_enough",
            "chien-si-thi-dua-toan-quoc",
            2025,
            || {
                B::person()
                    .award("chien-si-thi-dua-cap-tinh", 2022)
                    .award("chien-si-thi-dua-cap-tinh", 2025)
                    .initiative(Scope::CapTinh, d(2024, 8, 1))
            },
            N,
            Some("sang-kien"),
        ),
        // --- Tập thể lao động tiên tiến (Điều 28)
        c(
            "ttldtt_sixty_percent_advanced",
            "tap-the-lao-dong-tien-tien",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhTot).members(
                    2025,
                    20,
                    [0, 4, 10, 6],
                    &[("lao-dong-tien-tien", 12)],
                    NO,
                )
            },
            E,
            None,
        ),
        c(
            "ttldtt_exactly_half_is_not_more_than_half",
            "tap-the-lao-dong-tien-tien",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhTot).members(
                    2025,
                    20,
                    [0, 4, 10, 6],
                    &[("lao-dong-tien-tien", 10)],
                    NO,
                )
            },
            N,
            Some("ty-le-ldtt"),
        ),
        c(
            "ttldtt_a_member_warned_blocks",
            "tap-the-lao-dong-tien-tien",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhTot).members(
                    2025,
                    20,
                    [0, 4, 10, 6],
                    &[("lao-dong-tien-tien", 12)],
                    [0, 1, 0, 0, 0, 0],
                )
            },
            N,
            Some("khong-ky-luat"),
        ),
        c(
            "ttldtt_a_reprimand_does_not_block",
            "tap-the-lao-dong-tien-tien",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhTot).members(
                    2025,
                    20,
                    [0, 4, 10, 6],
                    &[("lao-dong-tien-tien", 12)],
                    [1, 0, 0, 0, 0, 0],
                )
            },
            E,
            None,
        ),
        c(
            "ttldtt_without_member_figures_needs_review",
            "tap-the-lao-dong-tien-tien",
            2025,
            || B::unit().rate(2025, R::HoanThanhTot),
            Q,
            Some("ty-le-ldtt"),
        ),
        // --- Tập thể lao động xuất sắc (Điều 27)
        c(
            "ttldxs_all_criteria_met",
            "tap-the-lao-dong-xuat-sac",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhXuatSac).members(
                    2025,
                    20,
                    [0, 2, 10, 8],
                    &[("lao-dong-tien-tien", 15), ("chien-si-thi-dua-co-so", 2)],
                    NO,
                )
            },
            E,
            None,
        ),
        c(
            "ttldxs_one_member_failed_the_year",
            "tap-the-lao-dong-xuat-sac",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhXuatSac).members(
                    2025,
                    20,
                    [1, 1, 10, 8],
                    &[("lao-dong-tien-tien", 15), ("chien-si-thi-dua-co-so", 2)],
                    NO,
                )
            },
            N,
            Some("hoan-thanh-100"),
        ),
        c(
            "ttldxs_sixty_five_percent_advanced_is_short",
            "tap-the-lao-dong-xuat-sac",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhXuatSac).members(
                    2025,
                    20,
                    [0, 2, 10, 8],
                    &[("lao-dong-tien-tien", 13), ("chien-si-thi-dua-co-so", 2)],
                    NO,
                )
            },
            N,
            Some("ty-le-ldtt"),
        ),
        c(
            "ttldxs_needs_a_grassroots_emulation_soldier",
            "tap-the-lao-dong-xuat-sac",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhXuatSac).members(
                    2025,
                    20,
                    [0, 2, 10, 8],
                    &[("lao-dong-tien-tien", 15)],
                    NO,
                )
            },
            N,
            Some("co-cstdcs"),
        ),
        c(
            "ttldxs_collective_rated_good_is_not",
            "tap-the-lao-dong-xuat-sac",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhTot).members(
                    2025,
                    20,
                    [0, 2, 10, 8],
                    &[("lao-dong-tien-tien", 15), ("chien-si-thi-dua-co-so", 2)],
                    NO,
                )
            },
            N,
            Some("xuat-sac"),
        ),
        c(
            "ttldxs_is_not_for_an_individual",
            "tap-the-lao-dong-xuat-sac",
            2025,
            || B::person().rate(2025, R::HoanThanhXuatSac),
            N,
            Some("doi-tuong"),
        ),
        c(
            "ttldxs_a_warning_blocked_it_under_the_2003_law",
            "tap-the-lao-dong-xuat-sac",
            2020,
            || {
                B::unit().rate(2020, R::HoanThanhXuatSac).members(
                    2020,
                    20,
                    [0, 2, 10, 8],
                    &[("lao-dong-tien-tien", 15), ("chien-si-thi-dua-co-so", 2)],
                    [0, 1, 0, 0, 0, 0],
                )
            },
            N,
            Some("khong-ky-luat"),
        ),
        c(
            "ttldxs_a_warning_no_longer_blocks_under_the_2022_law",
            "tap-the-lao-dong-xuat-sac",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhXuatSac).members(
                    2025,
                    20,
                    [0, 2, 10, 8],
                    &[("lao-dong-tien-tien", 15), ("chien-si-thi-dua-co-so", 2)],
                    [0, 1, 0, 0, 0, 0],
                )
            },
            E,
            None,
        ),
        c(
            "don_vi_quyet_thang_counts_advanced_soldiers",
            "don-vi-quyet-thang",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhXuatSac).members(
                    2025,
                    10,
                    [0, 1, 5, 4],
                    &[("chien-si-tien-tien", 8), ("chien-si-thi-dua-co-so", 1)],
                    NO,
                )
            },
            E,
            None,
        ),
        c(
            "don_vi_tien_tien_needs_more_than_half_advanced_soldiers",
            "don-vi-tien-tien",
            2025,
            || {
                B::unit().rate(2025, R::HoanThanhTot).members(
                    2025,
                    10,
                    [0, 5, 5, 0],
                    &[("chien-si-tien-tien", 5)],
                    NO,
                )
            },
            N,
            Some("ty-le-cstt"),
        ),
        // --- Cờ thi đua
        c(
            "co_chinh_phu_leaves_the_cluster_judgement_to_officers",
            "co-thi-dua-chinh-phu",
            2025,
            || {
                B::unit()
                    .rate(2025, R::HoanThanhXuatSac)
                    .award("co-thi-dua-cap-tinh", 2025)
            },
            Q,
            Some("tieu-bieu-cum-khoi"),
        ),
        c(
            "co_chinh_phu_without_a_provincial_flag",
            "co-thi-dua-chinh-phu",
            2025,
            || B::unit().rate(2025, R::HoanThanhXuatSac),
            Q,
            Some("co-cap-tinh"),
        ),
        c(
            "co_chinh_phu_is_not_for_a_person",
            "co-thi-dua-chinh-phu",
            2025,
            || B::person().rate(2025, R::HoanThanhXuatSac),
            N,
            Some("doi-tuong"),
        ),
        c(
            "co_cap_tinh_needs_the_cluster_result",
            "co-thi-dua-cap-tinh",
            2025,
            || B::unit().rate(2025, R::HoanThanhXuatSac),
            Q,
            Some("dan-dau"),
        ),
        // --- Bằng khen của Bộ, ban, ngành, tỉnh (Điều 74)
        c(
            "bang_khen_tinh_two_consecutive_grassroots_titles",
            "bang-khen-cap-tinh",
            2025,
            || {
                B::person()
                    .award("chien-si-thi-dua-co-so", 2024)
                    .award("chien-si-thi-dua-co-so", 2025)
            },
            E,
            None,
        ),
        c(
            "bang_khen_tinh_two_excellent_years_and_two_initiatives",
            "bang-khen-cap-tinh",
            2025,
            || {
                B::person()
                    .rates(2024..=2025, R::HoanThanhXuatSac)
                    .initiative(Scope::CoSo, d(2024, 6, 1))
                    .initiative(Scope::CoSo, d(2025, 6, 1))
            },
            E,
            None,
        ),
        c(
            "bang_khen_tinh_one_initiative_leaves_only_manual_grounds",
            "bang-khen-cap-tinh",
            2025,
            || {
                B::person()
                    .rates(2024..=2025, R::HoanThanhXuatSac)
                    .initiative(Scope::CoSo, d(2025, 6, 1))
            },
            Q,
            Some("hai-sang-kien"),
        ),
        // --- Bằng khen của Thủ tướng Chính phủ (Điều 73)
        c(
            "bang_khen_ttg_provincial_certificate_five_good_years_three_titles",
            "bang-khen-thu-tuong",
            2025,
            || {
                B::person()
                    .award("bang-khen-cap-tinh", 2019)
                    .rates(2021..=2025, R::HoanThanhTot)
                    .award("chien-si-thi-dua-co-so", 2021)
                    .award("chien-si-thi-dua-co-so", 2023)
                    .award("chien-si-thi-dua-co-so", 2025)
            },
            E,
            None,
        ),
        Case {
            check: Some(|e| assert_eq!(e.row("bang-khen-tinh").unwrap().earliest_year, Some(2027))),
            ..c(
                "bang_khen_ttg_too_soon_after_the_provincial_certificate",
                "bang-khen-thu-tuong",
                2025,
                || {
                    B::person()
                        .award("bang-khen-cap-tinh", 2022)
                        .rates(2021..=2025, R::HoanThanhTot)
                        .award("chien-si-thi-dua-co-so", 2021)
                        .award("chien-si-thi-dua-co-so", 2023)
                        .award("chien-si-thi-dua-co-so", 2025)
                },
                Q,
                Some("bang-khen-tinh"),
            )
        },
        c(
            "bang_khen_ttg_two_grassroots_titles_are_not_three",
            "bang-khen-thu-tuong",
            2025,
            || {
                B::person()
                    .award("bang-khen-cap-tinh", 2019)
                    .rates(2021..=2025, R::HoanThanhTot)
                    .award("chien-si-thi-dua-co-so", 2021)
                    .award("chien-si-thi-dua-co-so", 2025)
            },
            Q,
            Some("ba-cstdcs"),
        ),
        c(
            "bang_khen_ttg_a_missing_rating_is_named",
            "bang-khen-thu-tuong",
            2025,
            || {
                B::person()
                    .award("bang-khen-cap-tinh", 2019)
                    .rates(2021..=2023, R::HoanThanhTot)
                    .rate(2025, R::HoanThanhTot)
                    .award("chien-si-thi-dua-co-so", 2021)
                    .award("chien-si-thi-dua-co-so", 2023)
                    .award("chien-si-thi-dua-co-so", 2025)
            },
            Q,
            Some("nam-tot"),
        ),
        // --- Huân chương Lao động hạng Ba (Điều 44; NĐ 98/2023 → NĐ 152/2025)
        Case {
            check: Some(|e| assert_eq!(e.pack.as_deref(), Some("nd-152-2025"))),
            ..c(
                "hcld3_after_july_2025_uses_decree_152",
                "huan-chuong-lao-dong-hang-ba",
                2025,
                hcld3_history,
                E,
                None,
            )
        },
        Case {
            at: Some(d(2025, 3, 1)),
            check: Some(|e| assert_eq!(e.pack.as_deref(), Some("nd-98-2023"))),
            ..c(
                "hcld3_before_july_2025_uses_decree_98",
                "huan-chuong-lao-dong-hang-ba",
                2025,
                hcld3_history,
                E,
                None,
            )
        },
        c(
            "hcld3_without_an_excellent_year",
            "huan-chuong-lao-dong-hang-ba",
            2025,
            || {
                B::person()
                    .award("bang-khen-thu-tuong", 2019)
                    .rates(2021..=2025, R::HoanThanhTot)
                    .award("chien-si-thi-dua-co-so", 2021)
                    .award("chien-si-thi-dua-co-so", 2022)
                    .award("chien-si-thi-dua-co-so", 2024)
            },
            Q,
            Some("mot-nam-xuat-sac"),
        ),
        // --- Huy chương Quân kỳ quyết thắng (Điều 55)
        c(
            "quan_ky_after_twenty_seven_years",
            "huy-chuong-quan-ky-quyet-thang",
            2025,
            || {
                B::person()
                    .armed(Some(true))
                    .served(d(1998, 3, 1), None)
                    .rate(2025, R::HoanThanhTot)
            },
            E,
            None,
        ),
        Case {
            check: Some(|e| {
                assert_eq!(e.row("hai-muoi-lam-nam").unwrap().earliest_year, Some(2030));
            }),
            ..c(
                "quan_ky_after_twenty_years_is_not_yet",
                "huy-chuong-quan-ky-quyet-thang",
                2025,
                || {
                    B::person()
                        .armed(Some(true))
                        .served(d(2005, 12, 1), None)
                        .rate(2025, R::HoanThanhTot)
                },
                N,
                Some("hai-muoi-lam-nam"),
            )
        },
        // --- Forms left to officers, households, no rule in force
        c(
            "doc_lap_goes_to_manual_review",
            "huan-chuong-doc-lap-hang-ba",
            2025,
            B::person,
            Q,
            Some("tham-dinh"),
        ),
        c(
            "ba_me_viet_nam_anh_hung_goes_to_manual_review",
            "ba-me-viet-nam-anh-hung",
            2025,
            B::person,
            Q,
            Some("tham-dinh"),
        ),
        c(
            "gia_dinh_van_hoa_for_a_household",
            "gia-dinh-van-hoa",
            2025,
            || B::person().recipient(Recipient::Household),
            Q,
            Some("tieu-chi"),
        ),
        c(
            "gia_dinh_van_hoa_is_not_for_a_person",
            "gia-dinh-van-hoa",
            2025,
            B::person,
            N,
            Some("doi-tuong"),
        ),
        c(
            "no_rule_before_the_2003_law_took_effect",
            "lao-dong-tien-tien",
            2003,
            || B::person().rate(2003, R::HoanThanhTot),
            X,
            None,
        ),
        c(
            "ldtt_under_the_2003_law",
            "lao-dong-tien-tien",
            2015,
            || B::person().rate(2015, R::HoanThanhTot),
            E,
            None,
        ),
        c(
            "a_rating_earned_under_a_predecessor_counts",
            "tap-the-lao-dong-tien-tien",
            2025,
            || {
                B::unit()
                    .rate_via(2025, R::HoanThanhTot, "Sở Xây dựng tỉnh Hậu Giang")
                    .members(2025, 20, [0, 4, 10, 6], &[("lao-dong-tien-tien", 12)], NO)
                    .predecessor("Sở Xây dựng tỉnh Hậu Giang", d(2025, 7, 1))
            },
            E,
            None,
        ),
    ]
}

fn hcld3_history() -> B {
    B::person()
        .award("bang-khen-thu-tuong", 2019)
        .rates(2021..=2025, R::HoanThanhTot)
        .rate(2023, R::HoanThanhXuatSac)
        .award("chien-si-thi-dua-co-so", 2021)
        .award("chien-si-thi-dua-co-so", 2023)
        .award("chien-si-thi-dua-co-so", 2025)
}

#[test]
fn every_case_gets_its_verdict_and_names_its_clause() {
    let rules = rules();
    let cases = cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let mut b = (case.history)();
        // A later rating entry for the same year replaces an earlier one.
        let mut seen = std::collections::HashSet::new();
        b.h.ratings.reverse();
        b.h.ratings.retain(|r| seen.insert(r.year));
        let award = rules
            .catalogue()
            .id(case.award)
            .unwrap_or_else(|| panic!("{}: unknown award {}", case.name, case.award));
        let ctx = match case.at {
            Some(at) => EvalContext::at(case.year, at),
            None => EvalContext::year_end(case.year),
        };
        let ex = rules.explain(award, &b.h, &ctx);
        // The fast path and the explanation agree.
        let fast = rules.verdict(award, &b.h, &ctx);
        if fast != ex.verdict {
            failures.push(format!(
                "{}: fast verdict {fast:?} != explained {:?}",
                case.name, ex.verdict
            ));
        }
        if ex.verdict != case.verdict {
            failures.push(format!(
                "{}: expected {:?}, got {:?}\n{ex}",
                case.name, case.verdict, ex.verdict
            ));
            continue;
        }
        if let Some(id) = case.clause {
            let want = if case.verdict == Verdict::NotEligible {
                Status::Fail
            } else {
                Status::Unknown
            };
            let wanted = if case.verdict == Verdict::NeedsReview {
                [Status::Unknown, Status::Fail]
            } else {
                [want, want]
            };
            match ex.row(id) {
                Some(r) if wanted.contains(&r.status) => {
                    if r.citation.as_deref().is_none_or(str::is_empty) {
                        failures.push(format!("{}: clause {id} has no citation", case.name));
                    }
                    if r.status == Status::Fail && r.missing.is_none() {
                        failures.push(format!(
                            "{}: failed clause {id} does not say what is missing",
                            case.name
                        ));
                    }
                }
                other => failures.push(format!(
                    "{}: clause {id} expected {wanted:?}, got {:?}\n{ex}",
                    case.name,
                    other.map(|r| r.status)
                )),
            }
        }
        if let Some(check) = case.check {
            check(&ex);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_collective_streak_begun_under_a_merged_unit_is_inherited() {
    // A pack for the engine's lineage mechanics (not a rule of law): a flag after
    // three consecutive years of «Tập thể lao động xuất sắc».
    let src = r#"
[pack]
id = "thu-nghiem"
title = "Gói thử nghiệm"
effective_from = "2024-01-01"

[[rule]]
award = "co-thi-dua-cap-tinh"
citation = "thử nghiệm"

[[rule.clause]]
id = "ba-nam-ttldxs"
kind = "title_streak"
award = "tap-the-lao-dong-xuat-sac"
years = 3
citation = "thử nghiệm"
"#;
    let rules = check_packs(Catalogue::embedded(), &[("rules/thu-nghiem.toml", src)]).unwrap();
    let cat = rules.catalogue();
    let ttldxs = cat.id("tap-the-lao-dong-xuat-sac").unwrap();
    let flag = cat.id("co-thi-dua-cap-tinh").unwrap();
    let mut h = History {
        recipient: Some(Recipient::Collective),
        supplied: Supplied::ALL,
        ..History::default()
    };
    h.awards.push(AwardHeld {
        award: ttldxs,
        year: 2023,
        decision: "45/QĐ-UBND",
        via: Some("Sở Xây dựng tỉnh Hậu Giang"),
    });
    h.awards.push(AwardHeld {
        award: ttldxs,
        year: 2024,
        decision: "88/QĐ-UBND",
        via: Some("Sở Xây dựng tỉnh Hậu Giang"),
    });
    h.awards.push(AwardHeld {
        award: ttldxs,
        year: 2025,
        decision: "12/QĐ-UBND",
        via: None,
    });
    h.predecessors.push(PredecessorRef {
        name: "Sở Xây dựng tỉnh Hậu Giang",
        date: d(2025, 7, 1),
        event: "sáp nhập",
    });
    let ex = rules.explain(flag, &h, &EvalContext::year_end(2025));
    assert_eq!(ex.verdict, Verdict::Eligible, "{ex}");
    let row = ex.row("ba-nam-ttldxs").unwrap();
    assert!(
        row.evidence
            .iter()
            .any(|e| e.contains("kế thừa từ Sở Xây dựng tỉnh Hậu Giang")),
        "{:?}",
        row.evidence
    );
    assert!(
        ex.notes.iter().any(
            |n| n.contains("kế thừa từ «Sở Xây dựng tỉnh Hậu Giang» (sáp nhập ngày 01/7/2025)")
        ),
        "{:?}",
        ex.notes
    );
    // Without the predecessor's years the streak breaks, naming them.
    h.awards.retain(|a| a.via.is_none());
    let ex = rules.explain(flag, &h, &EvalContext::year_end(2025));
    assert_eq!(ex.verdict, Verdict::NotEligible);
    assert!(ex
        .row("ba-nam-ttldxs")
        .unwrap()
        .missing
        .as_deref()
        .unwrap()
        .contains("2023, 2024"));
}

#[test]
fn quotas_and_votes_are_checked_on_the_list_and_the_minutes() {
    let src = r#"
[pack]
id = "thu-nghiem"
title = "Gói thử nghiệm"
effective_from = "2024-01-01"

[[rule]]
award = "chien-si-thi-dua-co-so"
citation = "thử nghiệm"
when = "all(xuat-sac, ty-le, phieu)"

[[rule.clause]]
id = "xuat-sac"
kind = "rating_count"
rating = "hoan-thanh-xuat-sac"
citation = "thử nghiệm"

[[rule.clause]]
id = "ty-le"
kind = "quota"
percent = "15"
base = "lao-dong-tien-tien"
citation = "tỷ lệ thử nghiệm"

[[rule.clause]]
id = "phieu"
kind = "vote"
percent = "80"
citation = "tỷ lệ phiếu thử nghiệm"
"#;
    let rules = check_packs(Catalogue::embedded(), &[("rules/thu-nghiem.toml", src)]).unwrap();
    let cstdcs = rules.catalogue().id("chien-si-thi-dua-co-so").unwrap();
    let ctx = EvalContext::year_end(2025);
    let over = rules.check_quota(cstdcs, &ctx, 4, 20);
    assert!(!over.ok());
    assert!(
        over.clauses[0]
            .missing
            .as_deref()
            .unwrap()
            .contains("tối đa 3 trên 20, đề nghị 4"),
        "{:?}",
        over.clauses[0]
    );
    assert_eq!(
        over.clauses[0].citation.as_deref(),
        Some("tỷ lệ thử nghiệm")
    );
    assert!(rules.check_quota(cstdcs, &ctx, 3, 20).ok());

    let mut h = History {
        recipient: Some(Recipient::Individual),
        supplied: Supplied::ALL,
        ..History::default()
    };
    h.ratings.push(YearRating {
        year: 2025,
        rating: R::HoanThanhXuatSac,
        via: None,
    });
    // Without minutes the vote is pending and does not block screening.
    let ex = rules.explain(cstdcs, &h, &ctx);
    assert_eq!(ex.verdict, Verdict::Eligible);
    assert_eq!(ex.row("phieu").unwrap().status, Status::Pending);
    let low = EvalContext {
        vote: Some(tdkt_core::share::Share::new(
            7,
            10,
            tdkt_core::share::Base::Eligible,
        )),
        ..ctx
    };
    assert_eq!(rules.verdict(cstdcs, &h, &low), Verdict::NotEligible);
    let high = EvalContext {
        vote: Some(tdkt_core::share::Share::new(
            17,
            20,
            tdkt_core::share::Base::Eligible,
        )),
        ..ctx
    };
    assert_eq!(rules.verdict(cstdcs, &h, &high), Verdict::Eligible);
}

#[test]
fn a_rating_for_a_year_out_of_service_is_refused() {
    let mut h = History {
        supplied: Supplied::ALL,
        ..History::default()
    };
    h.service.push(ServicePeriod {
        from: d(2020, 1, 1),
        to: Some(d(2022, 12, 31)),
    });
    h.ratings.push(YearRating {
        year: 2024,
        rating: R::HoanThanhTot,
        via: None,
    });
    let e = h.validate().unwrap_err();
    assert!(e[0].contains("2024"), "{e:?}");
}

#[test]
fn explanations_render_as_text_and_json() {
    let rules = rules();
    let b = B::person()
        .award("chien-si-thi-dua-co-so", 2022)
        .award("chien-si-thi-dua-co-so", 2024)
        .award("chien-si-thi-dua-co-so", 2025);
    let id = rules.catalogue().id("chien-si-thi-dua-cap-tinh").unwrap();
    let ex = rules.explain(id, &b.h, &EvalContext::year_end(2025));
    let text = ex.to_string();
    assert!(text.contains("CHƯA ĐỦ ĐIỀU KIỆN"), "{text}");
    assert!(
        text.contains("✗ Được tặng «Chiến sĩ thi đua cơ sở» 03 lần liên tục"),
        "{text}"
    );
    assert!(text.contains("[khoản 1 Điều 22 Luật TĐKT 2022"), "{text}");
    let json = serde_json::to_value(&ex).unwrap();
    assert_eq!(json["verdict"], "not-eligible");
}

/// A scan-shaped benchmark: rules compiled once, one reused history buffer.
#[test]
fn a_scan_over_many_people_is_fast() {
    let rules = rules();
    let cat = rules.catalogue();
    let codes = [
        "lao-dong-tien-tien",
        "chien-si-thi-dua-co-so",
        "chien-si-thi-dua-cap-tinh",
        "bang-khen-thu-tuong",
        "bang-khen-cap-tinh",
    ];
    let ctx = EvalContext::year_end(2025);
    let scanners: Vec<_> = codes
        .iter()
        .map(|c| rules.scanner(cat.id(c).unwrap(), ctx))
        .collect();
    let cstdcs = cat.id("chien-si-thi-dua-co-so").unwrap();
    let people = 20_000u32;
    let mut h = History::default();
    let mut eligible = 0u32;
    let start = std::time::Instant::now();
    for p in 0..people {
        h.clear();
        h.recipient = Some(Recipient::Individual);
        h.supplied = Supplied::ALL;
        h.service.push(ServicePeriod {
            from: d(2010, 1, 1),
            to: None,
        });
        for y in 2016..=2025 {
            let r = match (p + u32::try_from(y).unwrap()) % 5 {
                0 => R::HoanThanh,
                1 | 2 => R::HoanThanhTot,
                _ => R::HoanThanhXuatSac,
            };
            h.ratings.push(YearRating {
                year: y,
                rating: r,
                via: None,
            });
            if r == R::HoanThanhXuatSac {
                h.awards.push(AwardHeld {
                    award: cstdcs,
                    year: y,
                    decision: "1/QĐ",
                    via: None,
                });
            }
        }
        for s in &scanners {
            if s.verdict(&h) == Verdict::Eligible {
                eligible += 1;
            }
        }
    }
    let per = start.elapsed() / (people * u32::try_from(codes.len()).unwrap());
    eprintln!("scan: {people} people × {} awards, {per:?} per person-award (debug build), {eligible} eligible", codes.len());
    assert!(eligible > 0);
    assert!(per < std::time::Duration::from_micros(200), "{per:?}");
}

/// Issue 15 item 4: an award undetermined only because its criteria are
/// not encoded (Huân chương Sao vàng, Điều 34 Luật TĐKT 2022: a `manual`
/// clause) is told apart from one undetermined for missing data about the
/// person, so that a person's answers list only the latter.
#[test]
fn an_award_whose_criteria_are_not_encoded_is_told_apart_from_one_missing_data() {
    let rules = rules();
    let ctx = EvalContext::year_end(2025);
    let id = |code| rules.catalogue().id(code).unwrap();

    let b = B::person().rates(2015..=2025, R::HoanThanhXuatSac);
    let ex = rules.explain(id("huan-chuong-sao-vang"), &b.h, &ctx);
    assert_eq!(ex.verdict, Verdict::NeedsReview, "{ex}");
    assert!(ex.undetermined_by_unencoded_criteria(), "{ex}");

    // Lao động tiên tiến with no discipline record: data is missing.
    let b = B::person()
        .rate(2025, R::HoanThanhTot)
        .unsupplied(|s| s.disciplines = false);
    let ex = rules.explain(id("lao-dong-tien-tien"), &b.h, &ctx);
    assert_eq!(ex.verdict, Verdict::NeedsReview, "{ex}");
    assert!(!ex.undetermined_by_unencoded_criteria(), "{ex}");

    // A settled answer is neither.
    let b = B::person().rate(2025, R::HoanThanhTot);
    let ex = rules.explain(id("lao-dong-tien-tien"), &b.h, &ctx);
    assert_eq!(ex.verdict, Verdict::Eligible, "{ex}");
    assert!(!ex.undetermined_by_unencoded_criteria());
}
