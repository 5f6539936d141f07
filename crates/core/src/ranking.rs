//! Ranking (*xếp hạng*) and classification (*xếp loại*) of a closed scoring
//! round, as the cluster's regulation configures them: total score first, then
//! the tie-breaks in the order listed; members still equal after every
//! tie-break share a rank (competition ranking: 1, 2, 2, 4), and the
//! regulation or a vote decides between them — the software does not invent
//! an order.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::number::format_vi;
use crate::scoring::{MemberId, MemberResult};

/// One tie-break, applied when totals are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieBreak {
    /// More criteria at their maximum ranks higher.
    MoreCriteriaAtMax,
    /// Fewer penalty points ranks higher.
    FewerPenaltyPoints,
    /// More bonus points ranks higher.
    MoreBonusPoints,
    /// Higher aggregated cross-score ranks higher.
    HigherCrossScore,
}

impl TieBreak {
    fn compare(self, a: &MemberResult, b: &MemberResult) -> Ordering {
        // `Less` means `a` ranks higher.
        match self {
            Self::MoreCriteriaAtMax => b.criteria_at_max.cmp(&a.criteria_at_max),
            Self::FewerPenaltyPoints => a.penalty.cmp(&b.penalty),
            Self::MoreBonusPoints => b.bonus.cmp(&a.bonus),
            Self::HigherCrossScore => b
                .cross
                .unwrap_or_default()
                .cmp(&a.cross.unwrap_or_default()),
        }
    }

    fn describe(self, r: &MemberResult) -> String {
        match self {
            Self::MoreCriteriaAtMax => format!("{} tiêu chí đạt tối đa", r.criteria_at_max),
            Self::FewerPenaltyPoints => format!("bị trừ {} điểm", format_vi(r.penalty)),
            Self::MoreBonusPoints => format!("được thưởng {} điểm", format_vi(r.bonus)),
            Self::HigherCrossScore => {
                format!("chấm chéo {}", format_vi(r.cross.unwrap_or_default()))
            }
        }
    }
}

/// A classification band: totals at or above `min` get `label`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub label: String,
    pub min: Decimal,
}

/// Bands, highest first, with distinct thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Band>", into = "Vec<Band>")]
pub struct Bands(Vec<Band>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RankingError {
    #[error("Mức xếp loại thứ {0} chưa có tên.")]
    UnnamedBand(usize),
    #[error("Hai mức xếp loại “{0}” và “{1}” có cùng ngưỡng điểm {2}.")]
    SameThreshold(String, String, String),
}

impl TryFrom<Vec<Band>> for Bands {
    type Error = RankingError;
    fn try_from(mut bands: Vec<Band>) -> Result<Self, RankingError> {
        if let Some(i) = bands.iter().position(|b| b.label.trim().is_empty()) {
            return Err(RankingError::UnnamedBand(i + 1));
        }
        bands.sort_by_key(|b| std::cmp::Reverse(b.min));
        for w in bands.windows(2) {
            if w[0].min == w[1].min {
                return Err(RankingError::SameThreshold(
                    w[0].label.clone(),
                    w[1].label.clone(),
                    format_vi(w[0].min),
                ));
            }
        }
        Ok(Self(bands))
    }
}

impl From<Bands> for Vec<Band> {
    fn from(b: Bands) -> Self {
        b.0
    }
}

impl Bands {
    /// The band of a total; `None` below the lowest threshold.
    #[must_use]
    pub fn classify(&self, total: Decimal) -> Option<&str> {
        self.0
            .iter()
            .find(|b| total >= b.min)
            .map(|b| b.label.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingConfig {
    pub tie_breaks: Vec<TieBreak>,
    pub bands: Bands,
}

/// One line of the ranking table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    pub rank: u32,
    pub member: MemberId,
    pub total: Decimal,
    pub band: Option<String>,
    /// Members sharing this rank after every tie-break.
    pub tied_with: Vec<MemberId>,
    /// Vietnamese, e.g. “bằng 92 điểm với bac-lieu; xếp trên nhờ 5 tiêu chí đạt tối đa”.
    pub explanation: String,
}

fn compare(a: &MemberResult, b: &MemberResult, tie_breaks: &[TieBreak]) -> Ordering {
    b.total.cmp(&a.total).then_with(|| {
        tie_breaks
            .iter()
            .map(|t| t.compare(a, b))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    })
}

/// Ranks the results of a scoring round.
#[must_use]
pub fn rank(results: &[MemberResult], config: &RankingConfig) -> Vec<Ranked> {
    let mut sorted: Vec<&MemberResult> = results.iter().collect();
    // Equal members are listed by key, so the table is stable.
    sorted.sort_by(|a, b| compare(a, b, &config.tie_breaks).then_with(|| a.member.cmp(&b.member)));
    sorted
        .iter()
        .map(|r| {
            let better = sorted
                .iter()
                .filter(|o| compare(o, r, &config.tie_breaks).is_lt())
                .count();
            let tied_with: Vec<MemberId> = sorted
                .iter()
                .filter(|o| o.member != r.member && compare(o, r, &config.tie_breaks).is_eq())
                .map(|o| o.member.clone())
                .collect();
            let same_total: Vec<&&MemberResult> = sorted
                .iter()
                .filter(|o| o.member != r.member && o.total == r.total)
                .collect();
            let explanation = if same_total.is_empty() {
                format!("{} điểm", format_vi(r.total))
            } else if tied_with.len() == same_total.len() {
                let names: Vec<String> = tied_with.iter().map(ToString::to_string).collect();
                format!(
                    "{} điểm, đồng hạng với {} sau mọi tiêu chí phụ",
                    format_vi(r.total),
                    names.join(", ")
                )
            } else {
                let keys: Vec<String> = config.tie_breaks.iter().map(|t| t.describe(r)).collect();
                format!(
                    "{} điểm, bằng điểm {} đơn vị khác; xét tiêu chí phụ: {}",
                    format_vi(r.total),
                    same_total.len(),
                    keys.join(", ")
                )
            };
            Ranked {
                rank: u32::try_from(better + 1).unwrap_or(u32::MAX),
                member: r.member.clone(),
                total: r.total,
                band: config.bands.classify(r.total).map(str::to_owned),
                tied_with,
                explanation,
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    pub(crate) fn bands() -> Bands {
        Bands::try_from(vec![
            Band {
                label: "Khá".into(),
                min: d("70"),
            },
            Band {
                label: "Xuất sắc".into(),
                min: d("90"),
            },
            Band {
                label: "Tốt".into(),
                min: d("80"),
            },
            Band {
                label: "Trung bình".into(),
                min: d("50"),
            },
        ])
        .unwrap()
    }

    fn result(member: &str, total: &str, at_max: u32, penalty: &str) -> MemberResult {
        MemberResult {
            member: member.into(),
            self_total: None,
            cross: Some(d(total)),
            cross_used: 3,
            adjustment: Decimal::ZERO,
            total: d(total),
            criteria_at_max: at_max,
            bonus: Decimal::ZERO,
            penalty: d(penalty),
            explanation: String::new(),
        }
    }

    #[test]
    fn tie_breaks_apply_in_order_and_remaining_ties_share_a_rank() {
        let config = RankingConfig {
            tie_breaks: vec![TieBreak::MoreCriteriaAtMax, TieBreak::FewerPenaltyPoints],
            bands: bands(),
        };
        let results = vec![
            result("a", "92", 3, "0"),
            result("b", "92", 5, "1"),
            result("c", "92", 3, "0"),
            result("d", "92", 3, "2"),
            result("e", "95", 0, "5"),
            result("f", "40", 0, "0"),
        ];
        let table = rank(&results, &config);
        let order: Vec<(u32, &str)> = table
            .iter()
            .map(|r| (r.rank, r.member.0.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![(1, "e"), (2, "b"), (3, "a"), (3, "c"), (5, "d"), (6, "f")]
        );
        assert_eq!(table[2].tied_with, vec![MemberId::from("c")]);
        assert!(
            table[1].explanation.contains("5 tiêu chí đạt tối đa"),
            "{}",
            table[1].explanation
        );
        assert_eq!(table[0].band.as_deref(), Some("Xuất sắc"));
        assert_eq!(table[1].band.as_deref(), Some("Xuất sắc"));
        assert_eq!(table[5].band, None);
    }

    #[test]
    fn bands_with_the_same_threshold_are_refused() {
        let err = Bands::try_from(vec![
            Band {
                label: "Tốt".into(),
                min: d("80"),
            },
            Band {
                label: "Khá".into(),
                min: d("80.0"),
            },
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Hai mức xếp loại “Tốt” và “Khá” có cùng ngưỡng điểm 80."
        );
        assert_eq!(bands().classify(d("89.99")), Some("Tốt"));
        assert_eq!(bands().classify(d("90")), Some("Xuất sắc"));
    }
}
