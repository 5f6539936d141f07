//! Reward money (*tiền thưởng*) of a title or form: NĐ 152/2025/NĐ-CP
//! Điều 49–55, and the base salary (*mức lương cơ sở*) it multiplies, kept
//! as dated data (`salary/*.toml`) that an administrator extends when the
//! Government sets a new one, without a release.
//!
//! # The computation
//!
//! amount = ⌈ multiple × recipient factor × base salary ⌉₁₀.₀₀₀
//!
//! - **Base salary in force on the decision date** (Điều 49 khoản 1: "mức
//!   lương cơ sở do Chính phủ quy định đang có hiệu lực vào thời điểm ban
//!   hành quyết định"), not the achievement year nor the payment date.
//! - **Multiple**: the award's [`crate::catalogue::RewardRule`] in force on
//!   the decision date (Điều 50–55; earlier decrees where seen).
//! - **Recipient factor**, only where the decree writes one, on the multiple
//!   written for an individual:
//!   - an individual: 1;
//!   - a collective: 2 — Huân chương (Điều 51 khoản 2), Anh hùng (Điều 52
//!     khoản 2), Bằng khen and Giấy khen (Điều 54 khoản 2);
//!   - a household: 1,5 — the forms of Điều 54 (khoản 3).
//!
//!   Titles given to one kind of recipient carry their own amount and take
//!   no factor: Điều 50 khoản 2 writes the collective titles' amounts
//!   directly (Tập thể lao động xuất sắc 1,5, Cờ thi đua của Chính phủ 12,0),
//!   so doubling them again would pay a collective twice. The prizes of
//!   Điều 53 (Giải thưởng Hồ Chí Minh 270,0, Nhà nước 170,0) are one sum per
//!   prize whoever receives it (`per_award`).
//! - **Rounding once, up, to the ten thousand** after every multiplication
//!   (Điều 49 khoản 2: "Tiền thưởng sau khi nhân với hệ số mức lương cơ sở
//!   được làm tròn số lên hàng chục nghìn đồng"). The collective's "gấp hai
//!   lần mức tiền thưởng đối với cá nhân" is read as twice the unrounded
//!   individual sum, then rounded: Giấy khen to a collective at 2.340.000 đ
//!   is ⌈0,3 × 2 × 2.340.000⌉ = ⌈1.404.000⌉ = 1.410.000 đ, not 2 × 710.000 =
//!   1.420.000 đ. The other reading (double the rounded individual amount)
//!   differs by at most 10.000 đ; this one applies the clause's rounding once,
//!   to the amount actually paid.
//! - A multiple written "không quá" (Kỷ niệm chương, Điều 54 khoản 1 điểm c,
//!   d) gives the ceiling; the answer says so.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::catalogue::{Award, Recipient, RewardMoney, SourceError};

/// The shipped base-salary files, compiled into the binary.
pub const EMBEDDED: &[(&str, &str)] = &[(
    "salary/luong-co-so.toml",
    include_str!("../../../salary/luong-co-so.toml"),
)];

/// Collectives receive twice the individual's amount (Điều 51 khoản 2,
/// Điều 52 khoản 2, Điều 54 khoản 2 NĐ 152/2025/NĐ-CP).
pub const COLLECTIVE_FACTOR: Decimal = Decimal::TWO;

/// Households receive one and a half times the individual's amount (Điều 54
/// khoản 3 NĐ 152/2025/NĐ-CP).
pub const HOUSEHOLD_FACTOR: Decimal = Decimal::from_parts(15, 0, 0, false, 1);

/// Rounding step: "làm tròn số lên hàng chục nghìn đồng" (Điều 49 khoản 2).
pub const ROUNDING_STEP: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// One base salary, from the decree that set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseSalary {
    pub from: Date,
    /// Đồng per month.
    pub amount: Decimal,
    /// The decree, e.g. `Nghị định 73/2024/NĐ-CP`.
    pub decree: String,
    /// The clause, e.g. `khoản 2 Điều 3 Nghị định 73/2024/NĐ-CP`.
    pub citation: String,
    /// `false` when the figure was seen only in secondary sources.
    pub verified: bool,
    /// Where the figure was checked.
    pub source: Option<String>,
}

/// The base salaries, by the date each took effect.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BaseSalaries {
    entries: Vec<BaseSalary>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    base_salary: Vec<toml::Spanned<RawSalary>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSalary {
    from: String,
    amount: String,
    decree: String,
    citation: String,
    #[serde(default)]
    verified: bool,
    source: Option<String>,
}

impl BaseSalaries {
    /// Loads `[[base_salary]]` tables from `(file name, contents)` pairs.
    ///
    /// # Errors
    /// Every problem, with file and line: a bad date or amount, a missing
    /// citation, two entries from the same day.
    pub fn load(files: &[(&str, &str)]) -> Result<Self, Vec<SourceError>> {
        let mut errors = Vec::new();
        let mut entries: Vec<(BaseSalary, String, usize)> = Vec::new();
        for (file, src) in files {
            let raw: RawFile = match toml::from_str(src) {
                Ok(r) => r,
                Err(e) => {
                    errors.push(SourceError::from_toml(file, src, &e));
                    continue;
                }
            };
            for r in raw.base_salary {
                let at = r.span().start;
                let r = r.into_inner();
                let mut err = |m: String| errors.push(SourceError::at(file, src, at, None, m));
                let from = match crate::date::parse(&r.from) {
                    Ok(d) => d,
                    Err(m) => {
                        err(format!("from: {m}"));
                        continue;
                    }
                };
                let amount = match crate::number::parse_vi(&r.amount) {
                    Ok(a) if a > Decimal::ZERO && a.fract().is_zero() => a,
                    _ => {
                        err(format!(
                            "amount «{}» không phải số đồng nguyên dương (ví dụ \"2340000\" hoặc \"2.340.000\").",
                            r.amount
                        ));
                        continue;
                    }
                };
                if r.citation.trim().is_empty() || r.decree.trim().is_empty() {
                    err("mức lương cơ sở phải ghi decree và citation.".to_owned());
                    continue;
                }
                if let Some((_, f, l)) = entries.iter().find(|(e, _, _)| e.from == from) {
                    err(format!(
                        "đã có mức lương cơ sở từ ngày {} ({f}:{l}).",
                        crate::date::format_vn(from)
                    ));
                    continue;
                }
                let line = crate::catalogue::line_col(src, at).0;
                entries.push((
                    BaseSalary {
                        from,
                        amount,
                        decree: r.decree,
                        citation: r.citation,
                        verified: r.verified,
                        source: r.source,
                    },
                    (*file).to_owned(),
                    line,
                ));
            }
        }
        if errors.is_empty() && entries.is_empty() {
            errors.push(SourceError {
                file: "salary/".to_owned(),
                line: 1,
                column: 1,
                entry: None,
                message:
                    "chưa có mức lương cơ sở nào ([[base_salary]]): không tính được tiền thưởng."
                        .to_owned(),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut entries: Vec<BaseSalary> = entries.into_iter().map(|(e, _, _)| e).collect();
        entries.sort_by_key(|e| e.from);
        Ok(Self { entries })
    }

    /// The base salary in force on `d`: the latest one that took effect on
    /// or before it.
    ///
    /// # Errors
    /// [`RewardError::NoBaseSalary`] before the first entry.
    pub fn on(&self, d: Date) -> Result<&BaseSalary, RewardError> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.from <= d)
            .ok_or_else(|| RewardError::NoBaseSalary {
                date: d,
                first: self.entries.first().map(|e| e.from),
            })
    }

    #[must_use]
    pub fn entries(&self) -> &[BaseSalary] {
        &self.entries
    }
}

/// Why a reward cannot be computed, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RewardError {
    #[error("«{award}» không tặng cho {recipient} (chỉ tặng: {accepted}).")]
    RecipientNotAccepted {
        award: String,
        recipient: &'static str,
        accepted: String,
    },
    #[error("Chưa có mức tiền thưởng của «{award}» cho quyết định ngày {date}: {known}. Thêm [[award.reward]] vào danh mục khi có văn bản quy định.", date = crate::date::format_vn(*date))]
    NoMultiple {
        award: String,
        date: Date,
        known: String,
    },
    #[error("Không có mức lương cơ sở cho ngày {}: {}", crate::date::format_vn(*date), first.map_or_else(|| "chưa nạp mức nào".to_owned(), |f| format!("mức sớm nhất đã nạp có hiệu lực từ {} (thêm [[base_salary]] vào salary/*.toml nếu cần).", crate::date::format_vn(f))))]
    NoBaseSalary { date: Date, first: Option<Date> },
}

/// A computed reward, with what went into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reward {
    pub award: String,
    pub award_name: String,
    pub recipient: Recipient,
    pub decided: Date,
    /// The award's multiple as the decree writes it.
    pub multiple: Decimal,
    /// Collective 2, household 1,5, else 1.
    pub factor: Decimal,
    pub factor_citation: Option<String>,
    pub base: BaseSalary,
    /// multiple × factor × base, before rounding.
    pub exact: Decimal,
    /// Rounded up to the next 10.000 đ (0 when the law pays nothing).
    pub amount: Decimal,
    /// The multiple is a ceiling ("không quá").
    pub up_to: bool,
    pub citation: String,
    pub verified: bool,
    /// Why there is no money, when there is none.
    pub nothing: Option<String>,
}

impl Reward {
    /// Lines that explain the amount (Vietnamese), the amount last.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "«{}» — {}, quyết định ngày {}",
            self.award_name,
            self.recipient.label(),
            crate::date::format_vn(self.decided)
        )];
        if let Some(reason) = &self.nothing {
            out.push(format!(
                "Không có tiền thưởng: {reason} [{}]",
                self.citation
            ));
            out.push(format_vnd(Decimal::ZERO));
            return out;
        }
        out.push(format!(
            "Hệ số: {}{} lần mức lương cơ sở [{}]{}",
            if self.up_to { "không quá " } else { "" },
            crate::number::format_decimal(self.multiple, 2),
            self.citation,
            if self.verified {
                ""
            } else {
                " (chưa xác minh với văn bản gốc)"
            }
        ));
        if let Some(c) = &self.factor_citation {
            out.push(format!(
                "Đối tượng {}: × {} [{c}]",
                self.recipient.label(),
                crate::number::format_decimal(self.factor, 2)
            ));
        }
        out.push(format!(
            "Mức lương cơ sở ngày {}: {} ({}, từ {}{})",
            crate::date::format_vn(self.decided),
            format_vnd(self.base.amount),
            self.base.citation,
            crate::date::format_vn(self.base.from),
            if self.base.verified {
                String::new()
            } else {
                format!(
                    "; chưa xác minh với văn bản gốc — {}",
                    self.base.source.as_deref().unwrap_or("không rõ nguồn")
                )
            }
        ));
        out.push(format!(
            "Tính: {} = {}; làm tròn lên hàng chục nghìn đồng (khoản 2 Điều 49 NĐ 152/2025/NĐ-CP){}",
            [
                Some(crate::number::format_decimal(self.multiple, 2)),
                (self.factor != Decimal::ONE)
                    .then(|| crate::number::format_decimal(self.factor, 2)),
                Some(crate::number::format_decimal(self.base.amount, 0)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" × "),
            format_vnd(self.exact),
            if self.up_to { "; đây là mức tối đa" } else { "" }
        ));
        out.push(format_vnd(self.amount));
        out
    }
}

impl fmt::Display for Reward {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

/// Rounds up to the next 10.000 đ (Điều 49 khoản 2 NĐ 152/2025/NĐ-CP).
#[must_use]
pub fn round_up_10k(x: Decimal) -> Decimal {
    (x / ROUNDING_STEP).ceil() * ROUNDING_STEP
}

/// An amount of đồng as Vietnamese writes it: `8.190.000 đ`.
#[must_use]
pub fn format_vnd(x: Decimal) -> String {
    format!("{} đ", crate::number::format_decimal(x, 0))
}

/// The reward of `award` for `recipient` decided on `decided`: see the
/// module documentation for the reading of Điều 49–55.
///
/// # Errors
/// The award is not given to that recipient, no multiple is recorded for
/// the date, or no base salary was in force on it.
pub fn compute(
    award: &Award,
    recipient: Recipient,
    decided: Date,
    salaries: &BaseSalaries,
) -> Result<Reward, RewardError> {
    if !award.accepts(recipient) {
        return Err(RewardError::RecipientNotAccepted {
            award: award.name.clone(),
            recipient: recipient.label(),
            accepted: award
                .recipients
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let Some(rule) = award.reward_on(decided) else {
        let known = if award.rewards.is_empty() {
            "danh mục chưa ghi mức nào".to_owned()
        } else {
            format!(
                "danh mục ghi mức cho quyết định {}",
                award
                    .rewards
                    .iter()
                    .map(|r| match r.to {
                        Some(t) => format!(
                            "từ {} đến {}",
                            crate::date::format_vn(r.from),
                            crate::date::format_vn(t)
                        ),
                        None => format!("từ {}", crate::date::format_vn(r.from)),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        return Err(RewardError::NoMultiple {
            award: award.name.clone(),
            date: decided,
            known,
        });
    };
    let base = salaries.on(decided)?.clone();
    let mut out = Reward {
        award: award.code.clone(),
        award_name: award.name.clone(),
        recipient,
        decided,
        multiple: Decimal::ZERO,
        factor: Decimal::ONE,
        factor_citation: None,
        base,
        exact: Decimal::ZERO,
        amount: Decimal::ZERO,
        up_to: false,
        citation: rule.citation.clone(),
        verified: rule.verified,
        nothing: None,
    };
    match &rule.money {
        RewardMoney::Nothing { reason } => {
            out.nothing = Some(reason.clone());
        }
        RewardMoney::Multiple {
            multiple,
            up_to,
            per_award,
            collective,
            household,
        } => {
            let base_recipient = award.reward_base_recipient();
            let (factor, cited) = if *per_award || base_recipient == Some(recipient) {
                (Decimal::ONE, None)
            } else {
                match recipient {
                    Recipient::Collective => (COLLECTIVE_FACTOR, collective.clone()),
                    Recipient::Household => (HOUSEHOLD_FACTOR, household.clone()),
                    Recipient::Individual => (Decimal::ONE, None),
                }
            };
            out.multiple = *multiple;
            out.factor = factor;
            out.factor_citation = cited;
            out.up_to = *up_to;
            out.exact = *multiple * factor * out.base.amount;
            out.amount = round_up_10k(out.exact);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use time::macros::date;

    fn salaries() -> BaseSalaries {
        BaseSalaries::load(EMBEDDED).unwrap()
    }

    fn reward(code: &str, r: Recipient, d: Date) -> Result<Reward, RewardError> {
        let cat = Catalogue::embedded();
        compute(cat.get(code).unwrap(), r, d, &salaries())
    }

    #[test]
    fn rounding_goes_up_to_the_next_ten_thousand() {
        assert_eq!(round_up_10k(Decimal::from(702_000)), Decimal::from(710_000));
        assert_eq!(round_up_10k(Decimal::from(710_000)), Decimal::from(710_000));
        assert_eq!(round_up_10k(Decimal::from(1)), Decimal::from(10_000));
    }

    #[test]
    fn a_giay_khen_at_2_340_000_is_710_000_dong() {
        let r = reward("giay-khen", Recipient::Individual, date!(2026 - 06 - 30)).unwrap();
        assert_eq!(r.exact, Decimal::from(702_000));
        assert_eq!(format_vnd(r.amount), "710.000 đ");
    }

    #[test]
    fn the_base_salary_is_the_one_in_force_on_the_decision_date() {
        let before = reward(
            "bang-khen-thu-tuong",
            Recipient::Individual,
            date!(2026 - 06 - 30),
        )
        .unwrap();
        let after = reward(
            "bang-khen-thu-tuong",
            Recipient::Individual,
            date!(2026 - 07 - 01),
        )
        .unwrap();
        assert_eq!(format_vnd(before.amount), "8.190.000 đ");
        assert_eq!(format_vnd(after.amount), "8.860.000 đ"); // 3,5 × 2.530.000 = 8.855.000
        assert!(!after.base.verified);
    }

    #[test]
    fn a_collective_receives_twice_and_a_household_one_and_a_half_times_rounded_once() {
        let d = date!(2026 - 06 - 30);
        let c = reward("giay-khen", Recipient::Collective, d).unwrap();
        assert_eq!(c.exact, Decimal::from(1_404_000));
        assert_eq!(format_vnd(c.amount), "1.410.000 đ");
        let h = reward("giay-khen", Recipient::Household, d).unwrap();
        assert_eq!(h.exact, Decimal::from(1_053_000));
        assert_eq!(format_vnd(h.amount), "1.060.000 đ");
    }

    #[test]
    fn a_collective_title_carries_its_own_amount_without_doubling() {
        let r = reward(
            "tap-the-lao-dong-xuat-sac",
            Recipient::Collective,
            date!(2026 - 06 - 30),
        )
        .unwrap();
        assert_eq!(r.factor, Decimal::ONE);
        assert_eq!(format_vnd(r.amount), "3.510.000 đ");
    }

    #[test]
    fn a_huan_chuong_lao_dong_hang_ba_to_a_collective_is_doubled() {
        let d = date!(2026 - 06 - 30);
        let i = reward("huan-chuong-lao-dong-hang-ba", Recipient::Individual, d).unwrap();
        assert_eq!(format_vnd(i.amount), "10.530.000 đ");
        let c = reward("huan-chuong-lao-dong-hang-ba", Recipient::Collective, d).unwrap();
        assert_eq!(format_vnd(c.amount), "21.060.000 đ");
    }

    #[test]
    fn a_recipient_the_award_does_not_accept_is_refused() {
        let e = reward(
            "lao-dong-tien-tien",
            Recipient::Collective,
            date!(2026 - 06 - 30),
        )
        .unwrap_err();
        assert!(e.to_string().contains("không tặng cho tập thể"), "{e}");
    }

    #[test]
    fn a_decision_before_the_first_base_salary_is_refused() {
        let e = reward(
            "lao-dong-tien-tien",
            Recipient::Individual,
            date!(2019 - 06 - 30),
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                RewardError::NoMultiple { .. } | RewardError::NoBaseSalary { .. }
            ),
            "{e}"
        );
        let e = compute(
            Catalogue::embedded().get("lao-dong-tien-tien").unwrap(),
            Recipient::Individual,
            date!(2024 - 06 - 30),
            &BaseSalaries::load(&[(
                "salary/x.toml",
                "[[base_salary]]\nfrom = \"2024-07-01\"\namount = \"2340000\"\ndecree = \"NĐ 73/2024\"\ncitation = \"k2 Đ3\"\n",
            )])
            .unwrap(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Không có mức lương cơ sở cho ngày 30/6/2024"),
            "{e}"
        );
    }

    #[test]
    fn an_award_without_money_in_law_says_why() {
        let r = reward(
            "gia-dinh-van-hoa",
            Recipient::Household,
            date!(2026 - 06 - 30),
        )
        .unwrap();
        assert_eq!(r.amount, Decimal::ZERO);
        assert!(r.nothing.as_deref().unwrap().contains("không quy định"));
        assert_eq!(r.lines().last().unwrap(), "0 đ");
    }

    #[test]
    fn a_ceiling_is_said_to_be_a_ceiling() {
        let r = reward(
            "ky-niem-chuong",
            Recipient::Individual,
            date!(2026 - 06 - 30),
        )
        .unwrap();
        assert!(r.up_to);
        assert!(r.lines().iter().any(|l| l.contains("không quá 0,6")));
    }

    #[test]
    fn every_award_has_money_or_a_reason_on_a_date_of_2026() {
        let cat = Catalogue::embedded();
        for a in cat.awards() {
            assert!(
                a.reward_on(date!(2026 - 06 - 30)).is_some(),
                "{} has no reward entry in force on 30/6/2026",
                a.code
            );
        }
    }

    #[test]
    fn a_bad_amount_names_file_and_line() {
        let e = BaseSalaries::load(&[(
            "salary/x.toml",
            "# lương\n[[base_salary]]\nfrom = \"2024-07-01\"\namount = \"hai triệu\"\ndecree = \"NĐ\"\ncitation = \"Đ3\"\n",
        )])
        .unwrap_err();
        assert_eq!(e[0].file, "salary/x.toml");
        assert_eq!(e[0].line, 2);
    }
}
