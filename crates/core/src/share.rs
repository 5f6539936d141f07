//! Shares and thresholds: "`yes` of `base` reaches `percent`", the one
//! comparison behind a ballot's pass threshold, the vote clause of a rule
//! pack, a quota on a proposal list and a share of a collective's members.
//!
//! # What the base is, said once
//! A share is only meaningful with its base, and the law names it: the
//! council votes for the Anh hùng titles, Chiến sĩ thi đua toàn quốc and Cờ
//! thi đua của Chính phủ are counted "tính trên tổng số thành viên của Hội
//! đồng" (Điều 33 k5 Nghị định 152/2025/NĐ-CP), i.e. on the whole membership,
//! present or not; a province's regulation may count others on those present
//! or on the valid ballots (Điều 6 k2 Nghị định 152/2025/NĐ-CP). So a
//! [`Share`] carries its [`Base`] and a [`Threshold`] names the base it wants:
//! [`Threshold::judge`] refuses to compare a share counted on another base.
//!
//! # Exact arithmetic
//! `yes / base ≥ percent / 100` is decided as `yes × 100 ≥ percent × base`
//! on exact decimals: nothing is divided or rounded before the comparison,
//! so 2 of 3 does not reach 66,67 % and does reach 66,66 %. A base of 0
//! never reaches anything. The percentage shown ([`Share::percent`]) is for
//! display only.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What a share is counted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Base {
    /// Everyone counted, present or not: all the council's members (all
    /// eligible voters of a ballot), all members of a collective, the whole
    /// base of a quota (*tổng số thành viên*).
    Eligible,
    /// Those present and taking part (*số thành viên có mặt*).
    Present,
    /// Valid ballots cast (*tổng số phiếu hợp lệ*); a blank on a yes/no
    /// question is in the base and is not a yes.
    ValidBallots,
}

impl Base {
    /// Vietnamese, as a phrase after "tính trên".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Eligible => "tổng số thành viên",
            Self::Present => "số thành viên có mặt",
            Self::ValidBallots => "số phiếu hợp lệ",
        }
    }

    /// The code used in forms and rule packs.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Eligible => "eligible",
            Self::Present => "present",
            Self::ValidBallots => "valid-ballots",
        }
    }

    /// Reads [`Base::code`]; `members` is read as [`Base::Eligible`].
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            "eligible" | "members" => Some(Self::Eligible),
            "present" => Some(Self::Present),
            "valid-ballots" | "valid" => Some(Self::ValidBallots),
            _ => None,
        }
    }
}

/// `yes` of `base`, counted on `on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub yes: u32,
    pub base: u32,
    pub on: Base,
}

impl Share {
    #[must_use]
    pub fn new(yes: u32, base: u32, on: Base) -> Self {
        Self { yes, base, on }
    }

    /// `yes × 100 ≥ percent × base`, exact; a base of 0 never reaches.
    #[must_use]
    pub fn reaches(self, percent: Decimal) -> bool {
        self.base > 0 && self.cmp_percent(percent).is_ge()
    }

    /// `yes × den ≥ num × base`: reaches the fraction `num/den` (a quorum
    /// of 2/3), exact integers. Unlike [`Share::reaches`], an empty base
    /// reaches it (nobody is needed out of nobody).
    #[must_use]
    pub fn reaches_fraction(self, num: u32, den: u32) -> bool {
        u64::from(self.yes) * u64::from(den) >= u64::from(num) * u64::from(self.base)
    }

    /// `yes × 100 > percent × base` (a "more than" rule); a base of 0 never
    /// exceeds.
    #[must_use]
    pub fn exceeds(self, percent: Decimal) -> bool {
        self.base > 0 && self.cmp_percent(percent).is_gt()
    }

    /// `yes × 100 ≤ percent × base`: within a cap (a quota). Nothing out of
    /// nothing is within any cap.
    #[must_use]
    pub fn within(self, percent: Decimal) -> bool {
        self.cmp_percent(percent).is_le()
    }

    /// The largest `yes` within `percent` of the base: ⌊percent × base / 100⌋.
    #[must_use]
    pub fn cap(percent: Decimal, base: u32) -> u32 {
        let max = (percent * Decimal::from(base) / Decimal::ONE_HUNDRED).floor();
        u32::try_from(max).unwrap_or(u32::MAX)
    }

    /// The fewest `yes` that reach `percent` of the base:
    /// ⌈percent × base / 100⌉.
    #[must_use]
    pub fn needed(percent: Decimal, base: u32) -> u32 {
        let need = (percent * Decimal::from(base) / Decimal::ONE_HUNDRED).ceil();
        u32::try_from(need).unwrap_or(u32::MAX)
    }

    /// The share in percent for display (`None` for an empty base); never
    /// compare it, use [`Share::reaches`].
    #[must_use]
    pub fn percent(self) -> Option<Decimal> {
        (self.base > 0)
            .then(|| Decimal::from(self.yes) * Decimal::ONE_HUNDRED / Decimal::from(self.base))
    }

    fn cmp_percent(self, percent: Decimal) -> std::cmp::Ordering {
        // Both sides are exact: yes × 100 fits in 39 bits and a percent
        // written in a pack or a form has a handful of decimals, far from
        // the 96 bits of a Decimal.
        let lhs = Decimal::from(u64::from(self.yes) * 100);
        let rhs = percent.checked_mul(Decimal::from(self.base));
        rhs.map_or(std::cmp::Ordering::Less, |rhs| lhs.cmp(&rhs))
    }
}

impl fmt::Display for Share {
    /// `7/10 (70%) tổng số thành viên`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.yes, self.base)?;
        if let Some(p) = self.percent() {
            write!(
                f,
                " ({}%)",
                crate::number::format_vi(crate::points::round_points(p))
            )?;
        }
        write!(f, " {}", self.on.label())
    }
}

/// `percent` of `base`, e.g. 80 % of all the council's members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    #[serde(with = "percent_serde")]
    pub percent: Decimal,
    pub base: Base,
}

/// A share counted on another base than the threshold's: no verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Tỷ lệ phiếu được tính trên {}, nhưng quy định tính trên {}: không so sánh được.", .share.label(), .wanted.label())]
pub struct OtherBase {
    pub share: Base,
    pub wanted: Base,
}

impl Threshold {
    #[must_use]
    pub fn new(percent: Decimal, base: Base) -> Self {
        Self { percent, base }
    }

    /// Whether `share` reaches the threshold.
    ///
    /// # Errors
    /// The share is counted on another base ([`OtherBase`]).
    pub fn judge(self, share: Share) -> Result<bool, OtherBase> {
        if share.on != self.base {
            return Err(OtherBase {
                share: share.on,
                wanted: self.base,
            });
        }
        Ok(share.reaches(self.percent))
    }

    /// `yes` of `base` counted on the threshold's own base.
    #[must_use]
    pub fn met(self, yes: u32, base: u32) -> bool {
        Share::new(yes, base, self.base).reaches(self.percent)
    }

    /// The percent as written in Vietnamese, without the sign: `70`, `66,67`.
    #[must_use]
    pub fn percent_text(self) -> String {
        crate::number::format_vi(self.percent)
    }

    /// A usable pass threshold: more than 0 and at most 100 percent.
    #[must_use]
    pub fn is_valid(self) -> bool {
        self.percent > Decimal::ZERO && self.percent <= Decimal::ONE_HUNDRED
    }
}

/// A percent stored as a JSON number when whole (as ballots always stored
/// it) and as a string otherwise; both read back.
mod percent_serde {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let n = d.normalize();
        match u64::try_from(n) {
            Ok(u) if n.fract().is_zero() => s.serialize_u64(u),
            _ => s.serialize_str(&n.to_string()),
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(u64),
        Text(String),
        Float(f64),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        use serde::de::Error;
        match Raw::deserialize(d)? {
            Raw::Int(u) => Ok(Decimal::from(u)),
            Raw::Text(t) => t.parse().map_err(D::Error::custom),
            Raw::Float(f) => Decimal::try_from(f).map_err(D::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn seven_of_ten_reaches_seventy_percent_and_six_does_not() {
        assert!(Share::new(7, 10, Base::Eligible).reaches(d("70")));
        assert!(!Share::new(6, 10, Base::Eligible).reaches(d("70")));
        assert!(!Share::new(0, 0, Base::Eligible).reaches(d("0")));
    }

    #[test]
    fn two_of_three_is_compared_without_rounding() {
        let s = Share::new(2, 3, Base::Present);
        assert!(!s.reaches(d("66.67")));
        assert!(s.reaches(d("66.66")));
        assert!(s.reaches(d("66.666666")));
        assert!(!s.reaches(d("66.6666666666666666666666667")));
    }

    #[test]
    fn a_threshold_refuses_a_share_counted_on_another_base() {
        // Điều 33 k5 NĐ 152/2025: Cờ thi đua của Chính phủ, 80 % of all members.
        let t = Threshold::new(d("80"), Base::Eligible);
        assert_eq!(t.judge(Share::new(8, 10, Base::Eligible)), Ok(true));
        assert_eq!(
            t.judge(Share::new(8, 8, Base::Present)),
            Err(OtherBase {
                share: Base::Present,
                wanted: Base::Eligible
            })
        );
    }

    #[test]
    fn a_quota_cap_is_inclusive_and_nothing_is_within_any_cap() {
        assert!(Share::new(2, 10, Base::Eligible).within(d("20")));
        assert!(!Share::new(3, 10, Base::Eligible).within(d("20")));
        assert!(Share::new(0, 0, Base::Eligible).within(d("20")));
        assert!(!Share::new(1, 0, Base::Eligible).within(d("20")));
        assert_eq!(Share::cap(d("20"), 14), 2);
        assert_eq!(Share::needed(d("70"), 13), 10);
    }

    #[test]
    fn a_whole_percent_is_stored_as_a_number_and_a_fraction_as_text() {
        let t = Threshold::new(d("70"), Base::Eligible);
        let j = serde_json::to_string(&t).unwrap();
        assert_eq!(j, r#"{"percent":70,"base":"eligible"}"#);
        let t2 = Threshold::new(d("66.67"), Base::ValidBallots);
        let j2 = serde_json::to_string(&t2).unwrap();
        assert_eq!(j2, r#"{"percent":"66.67","base":"valid-ballots"}"#);
        assert_eq!(serde_json::from_str::<Threshold>(&j).unwrap(), t);
        assert_eq!(serde_json::from_str::<Threshold>(&j2).unwrap(), t2);
    }

    proptest! {
        /// Reaching equals "at least ⌈percent × base / 100⌉ yes".
        #[test]
        fn reaching_is_the_ceiling_of_the_share(yes in 0u32..5000, base in 1u32..5000, hundredths in 1u32..=10_000) {
            let p = Decimal::new(i64::from(hundredths), 2);
            let s = Share::new(yes, base, Base::Eligible);
            prop_assert_eq!(s.reaches(p), yes >= Share::needed(p, base));
        }

        /// Within a cap equals "at most ⌊percent × base / 100⌋".
        #[test]
        fn within_is_the_floor_of_the_cap(yes in 0u32..5000, base in 0u32..5000, hundredths in 0u32..=10_000) {
            let p = Decimal::new(i64::from(hundredths), 2);
            let s = Share::new(yes, base, Base::Eligible);
            prop_assert_eq!(s.within(p), yes <= Share::cap(p, base));
        }

        /// Exceeding is reaching without equality.
        #[test]
        fn exceeding_is_strict(yes in 0u32..500, base in 1u32..500, percent in 0u32..=100) {
            let p = Decimal::from(percent);
            let s = Share::new(yes, base, Base::Eligible);
            prop_assert_eq!(s.exceeds(p), s.reaches(p) && u64::from(yes) * 100 != u64::from(percent) * u64::from(base));
        }

        /// The stored form reads back the same threshold.
        #[test]
        fn thresholds_round_trip_through_json(hundredths in 1u32..=10_000) {
            let t = Threshold::new(Decimal::new(i64::from(hundredths), 2), Base::Present);
            let back: Threshold = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
            prop_assert_eq!(back.percent.normalize(), t.percent.normalize());
        }
    }
}
