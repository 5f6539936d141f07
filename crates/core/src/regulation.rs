//! The regulation on activity and evaluation (*quy chế tổ chức hoạt động
//! và bình xét thi đua*) a cluster or block adopts each year: the
//! parameters later steps read (rubric, ballot threshold, how many members
//! may be proposed for which award), and the rotation of its leader and
//! deputy (*cụm trưởng, cụm phó*).
//!
//! Điều 16 Luật TĐKT 2022 lets the Hội đồng TĐKT of each level organise
//! clusters and blocks; neither the law nor Nghị định 98/2023 fixes the
//! rotation or the quotas, so they are the regulation's parameters, not
//! code.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::error::DomainError;

/// Parameters of one cluster-year's regulation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegulationParams {
    /// Number, date and title of the regulation as signed.
    #[serde(default)]
    pub title: String,
    /// Key of the scoring rubric the cluster uses (empty until chosen).
    #[serde(default)]
    pub rubric: String,
    /// Share of the votes (percent, of the members voting) a member needs
    /// to be proposed; `None` until set.
    #[serde(default)]
    pub ballot_threshold_percent: Option<Decimal>,
    /// Award code → how many members the cluster may propose for it.
    #[serde(default)]
    pub proposal_quotas: BTreeMap<String, u32>,
}

impl RegulationParams {
    /// Parses the form: quotas one per line as `award-code: N` (or `=`).
    ///
    /// # Errors
    /// A threshold outside 0–100, a quota line that does not parse, an
    /// award code not in the catalogue.
    pub fn parse(
        catalogue: &Catalogue,
        title: &str,
        rubric: &str,
        threshold: &str,
        quotas: &str,
    ) -> Result<Self, DomainError> {
        let threshold = match threshold.trim() {
            "" => None,
            t => {
                let d = crate::number::parse_vi(t)
                    .ok()
                    .filter(|d| *d > Decimal::ZERO && *d <= Decimal::ONE_HUNDRED)
                    .ok_or_else(|| {
                        DomainError::invalid(
                            "ballot_threshold_percent",
                            format!("Tỷ lệ phiếu «{t}» phải là số lớn hơn 0 và không quá 100."),
                        )
                    })?;
                Some(d.normalize())
            }
        };
        let mut proposal_quotas = BTreeMap::new();
        for (i, line) in quotas.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let bad =
                |m: String| DomainError::invalid("proposal_quotas", format!("Dòng {}: {m}", i + 1));
            let (code, n) = line
                .split_once(':')
                .or_else(|| line.split_once('='))
                .ok_or_else(|| bad(format!("«{line}» phải có dạng mã-khen-thưởng: số lượng.")))?;
            let code = code.trim();
            if catalogue.get(code).is_none() {
                return Err(bad(format!(
                    "«{code}» không có trong danh mục khen thưởng."
                )));
            }
            let n: u32 = n
                .trim()
                .parse()
                .map_err(|_| bad(format!("số lượng «{}» không phải số nguyên.", n.trim())))?;
            proposal_quotas.insert(code.to_owned(), n);
        }
        Ok(Self {
            title: title.split_whitespace().collect::<Vec<_>>().join(" "),
            rubric: rubric.trim().to_owned(),
            ballot_threshold_percent: threshold,
            proposal_quotas,
        })
    }

    /// The quotas as the form shows them, one per line.
    #[must_use]
    pub fn quotas_text(&self) -> String {
        self.proposal_quotas
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Who led a cluster in an earlier year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastLeadership<U> {
    pub year: i32,
    pub leader: Option<U>,
    pub deputy: Option<U>,
}

/// Suggests next year's leader and deputy among `members` (in the order
/// the regulation lists them).
///
/// The rule, since no text fixes one (see the module note): the leader is
/// the member that has led least recently — never before, or longest ago —
/// ties going to the first in the regulation's order; the deputy is the
/// next member by the same rule. The officer may choose otherwise; this is
/// only what the form proposes.
#[must_use]
pub fn suggest_rotation<U: Copy + PartialEq>(
    members: &[U],
    history: &[PastLeadership<U>],
) -> (Option<U>, Option<U>) {
    let last_led = |u: U| {
        history
            .iter()
            .filter(|h| h.leader == Some(u))
            .map(|h| h.year)
            .max()
    };
    let mut order: Vec<(Option<i32>, usize, U)> = members
        .iter()
        .enumerate()
        .map(|(i, u)| (last_led(*u), i, *u))
        .collect();
    // `None` (never led) sorts before any year.
    order.sort_by_key(|(y, i, _)| (*y, *i));
    let mut it = order.into_iter().map(|(_, _, u)| u);
    (it.next(), it.next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_member_that_led_least_recently_leads_next_and_ties_follow_the_regulations_order() {
        let members = [1, 2, 3, 4];
        let history = [
            PastLeadership {
                year: 2017,
                leader: Some(3),
                deputy: Some(1),
            },
            PastLeadership {
                year: 2018,
                leader: Some(1),
                deputy: Some(2),
            },
        ];
        // 2 and 4 never led: 2 comes first in the list.
        assert_eq!(suggest_rotation(&members, &history), (Some(2), Some(4)));
        let history = [
            PastLeadership {
                year: 2016,
                leader: Some(2),
                deputy: None,
            },
            PastLeadership {
                year: 2017,
                leader: Some(4),
                deputy: None,
            },
            PastLeadership {
                year: 2018,
                leader: Some(3),
                deputy: None,
            },
            PastLeadership {
                year: 2019,
                leader: Some(1),
                deputy: None,
            },
        ];
        assert_eq!(suggest_rotation(&members, &history), (Some(2), Some(4)));
        assert_eq!(suggest_rotation::<i32>(&[], &history), (None, None));
    }

    #[test]
    fn regulation_parameters_are_checked_against_the_catalogue() {
        let cat = Catalogue::embedded();
        let p = RegulationParams::parse(
            &cat,
            " Quy chế   số 01/QC-CTĐ ",
            "tay-nam-bo",
            "70",
            "co-thi-dua-chinh-phu: 2\n\n",
        )
        .unwrap();
        assert_eq!(p.title, "Quy chế số 01/QC-CTĐ");
        assert_eq!(p.ballot_threshold_percent, Some(Decimal::from(70)));
        assert_eq!(p.quotas_text(), "co-thi-dua-chinh-phu: 2");
        assert!(RegulationParams::parse(&cat, "", "", "120", "").is_err());
        assert!(RegulationParams::parse(&cat, "", "", "", "khong-co: 1").is_err());
        assert!(RegulationParams::parse(&cat, "", "", "", "co-thi-dua-chinh-phu: hai").is_err());
    }
}
