//! An award's reward money as the catalogue writes it: `[[award.reward]]`
//! tables, each a multiple of the base salary (or none, with the reason)
//! dated by the decree that sets it, compiled and checked here. What a
//! decision pays from them is computed by [`crate::reward`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use super::{RawAward, Recipient, SourceError};

/// What a decree pays for an award, from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RewardRule {
    pub from: Date,
    pub to: Option<Date>,
    pub money: RewardMoney,
    /// The article that sets it, e.g. `điểm a khoản 1 Điều 54 NĐ 152/2025/NĐ-CP`.
    pub citation: String,
    /// `false` when the figure was not seen in the decree's text.
    pub verified: bool,
}

impl RewardRule {
    #[must_use]
    pub fn in_force_on(&self, d: Date) -> bool {
        self.from <= d && self.to.is_none_or(|t| d <= t)
    }
}

/// The money of a [`RewardRule`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RewardMoney {
    /// `multiple` × the base salary for the award's base recipient (an
    /// individual where the award is given to individuals, else the one kind
    /// it is given to). `collective` / `household`: the clause under which a
    /// collective receives twice, a household one and a half times the
    /// individual's amount (NĐ 152/2025 Điều 51 khoản 2, Điều 52 khoản 2,
    /// Điều 54 khoản 2 and 3), `None` where the award is not given to them.
    Multiple {
        multiple: Decimal,
        /// "không quá": the multiple is a ceiling (Kỷ niệm chương, Điều 54
        /// khoản 1 điểm c, d), the deciding body may pay less.
        up_to: bool,
        /// The amount belongs to the award whoever receives it (Giải thưởng
        /// Hồ Chí Minh, Giải thưởng Nhà nước: Điều 53 gives one sum per
        /// prize, with no collective rate).
        per_award: bool,
        collective: Option<String>,
        household: Option<String>,
    },
    /// The law pays no money for this award (or no decree text sets any):
    /// the reason, said explicitly rather than left blank.
    Nothing { reason: String },
}

/// One `[[award.reward]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReward {
    multiple: Option<String>,
    #[serde(default)]
    up_to: bool,
    #[serde(default)]
    per_award: bool,
    collective: Option<String>,
    household: Option<String>,
    none: Option<String>,
    from: String,
    to: Option<String>,
    citation: String,
    #[serde(default)]
    verified: bool,
}

/// Compiles and checks an award's `[[award.reward]]` tables: one of
/// `multiple` or `none` each, dates in order and not overlapping, and for an
/// award given to individuals and collectives (or households) the clause
/// that sets the collective's (household's) amount, since the decree pays
/// them more than an individual (NĐ 152/2025/NĐ-CP Điều 49 khoản 4).
pub(super) fn reward_rules(
    file: &str,
    src: &str,
    award_at: usize,
    award: &RawAward,
    errors: &mut Vec<SourceError>,
) -> Vec<RewardRule> {
    let code = award.code.as_str();
    let mut out: Vec<RewardRule> = Vec::new();
    let base = if award.recipients.contains(&Recipient::Individual) {
        Some(Recipient::Individual)
    } else if award.recipients.len() == 1 {
        Some(award.recipients[0])
    } else {
        None
    };
    for raw in &award.reward {
        let at = raw.span().start;
        let r = raw.get_ref();
        let mut err = |m: String| errors.push(SourceError::at(file, src, at, Some(code), m));
        let from = match crate::date::parse(&r.from) {
            Ok(d) => d,
            Err(m) => {
                err(format!("reward.from: {m}"));
                continue;
            }
        };
        let to = match r.to.as_deref().map(crate::date::parse).transpose() {
            Ok(d) => d,
            Err(m) => {
                err(format!("reward.to: {m}"));
                continue;
            }
        };
        if to.is_some_and(|t| t < from) {
            err("mức tiền thưởng: ngày kết thúc (to) trước ngày bắt đầu (from).".to_owned());
            continue;
        }
        if r.citation.trim().is_empty() {
            err("mức tiền thưởng thiếu căn cứ (citation).".to_owned());
            continue;
        }
        let money = match (&r.multiple, &r.none) {
            (Some(m), None) => {
                let Ok(multiple) = m.parse::<Decimal>() else {
                    err(format!(
                        "multiple «{m}» không phải số thập phân (ví dụ \"1.5\")."
                    ));
                    continue;
                };
                if multiple <= Decimal::ZERO {
                    err("multiple phải lớn hơn 0.".to_owned());
                    continue;
                }
                let Some(base) = base else {
                    err("hình thức tặng nhiều loại đối tượng nhưng không tặng cá nhân: không rõ hệ số ghi cho đối tượng nào.".to_owned());
                    continue;
                };
                let extra = |who: Recipient, cited: &Option<String>| -> Option<String> {
                    match (award.recipients.contains(&who) && who != base, cited) {
                        (true, None) => Some(format!(
                            "«{code}» tặng cả {} và {}: ghi {} = \"<căn cứ>\" (mức của {} theo Điều 49 khoản 4, Điều 51, 52, 54 NĐ 152/2025/NĐ-CP).",
                            base.label(),
                            who.label(),
                            if who == Recipient::Collective { "collective" } else { "household" },
                            who.label()
                        )),
                        (false, Some(_)) => Some(format!(
                            "«{code}» không tặng {} theo hệ số của {}: bỏ trường {}.",
                            who.label(),
                            base.label(),
                            if who == Recipient::Collective { "collective" } else { "household" }
                        )),
                        _ => None,
                    }
                };
                let problems: Vec<String> = if r.per_award {
                    (r.collective.is_some() || r.household.is_some())
                        .then(|| "per_award = true (một mức cho giải thưởng) không đi cùng collective, household.".to_owned())
                        .into_iter()
                        .collect()
                } else {
                    [
                        extra(Recipient::Collective, &r.collective),
                        extra(Recipient::Household, &r.household),
                    ]
                    .into_iter()
                    .flatten()
                    .collect()
                };
                if !problems.is_empty() {
                    for p in problems {
                        err(p);
                    }
                    continue;
                }
                RewardMoney::Multiple {
                    multiple,
                    up_to: r.up_to,
                    per_award: r.per_award,
                    collective: r.collective.clone(),
                    household: r.household.clone(),
                }
            }
            (None, Some(reason)) if !reason.trim().is_empty() => {
                if r.up_to || r.per_award || r.collective.is_some() || r.household.is_some() {
                    err("none (không có tiền thưởng) không đi cùng up_to, per_award, collective, household.".to_owned());
                    continue;
                }
                RewardMoney::Nothing {
                    reason: reason.clone(),
                }
            }
            _ => {
                err("mỗi mức tiền thưởng ghi đúng một trong multiple (hệ số × mức lương cơ sở) hoặc none (lý do không có tiền thưởng).".to_owned());
                continue;
            }
        };
        if let Some(prev) = out
            .iter()
            .find(|p| p.from <= to.unwrap_or(Date::MAX) && p.to.is_none_or(|t| t >= from))
        {
            err(format!(
                "mức tiền thưởng chồng lấn với mức từ {}.",
                crate::date::format_vn(prev.from)
            ));
            continue;
        }
        out.push(RewardRule {
            from,
            to,
            money,
            citation: r.citation.clone(),
            verified: r.verified,
        });
    }
    if award.reward.is_empty() {
        errors.push(SourceError::at(
            file,
            src,
            award_at,
            Some(code),
            "thiếu mức tiền thưởng: thêm [[award.reward]] với multiple (hệ số × mức lương cơ sở) hoặc none (lý do không có tiền thưởng).",
        ));
    }
    out.sort_by_key(|r| r.from);
    out
}
