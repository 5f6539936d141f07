//! `rating_count`: a year's rating (*xếp loại*) of at least a level, in N of
//! M years: *hoàn thành tốt nhiệm vụ trở lên* for *Lao động tiên tiến*
//! (điểm a khoản 1 Điều 24 Luật TĐKT 2022, `rules/luat-2022-danh-hieu.toml`),
//! or *hoàn thành xuất sắc nhiệm vụ* 05 years in a row (`count = within = 5`).
//! A year out of service expects no rating: it is not unknown.

use super::{join_years, window, Row, Spec};
use crate::eligibility::eval::Status;
use crate::eligibility::history::{History, Rating};

/// At least `count` ratings ≥ `rating` within `within` years ending `Y + offset`.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingCount {
    pub rating: Rating,
    pub count: u32,
    pub within: u16,
    pub offset: i16,
}

impl RatingCount {
    pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Self> {
        let rating = s.need_field("rating", s.rc.rating)?;
        let count = s.rc.count.unwrap_or(1);
        let within = u32::from(s.rc.within.unwrap_or(1));
        if !s.years_ok("within", within) {
            return None;
        }
        if count > within {
            let id = s.id;
            s.err(format!(
                "điều kiện «{id}»: {count} năm xếp loại trong {within} năm: không bao giờ thỏa."
            ));
            return None;
        }
        Some(Self {
            rating,
            count,
            within: u16::try_from(within).ok()?,
            offset: s.rc.offset.unwrap_or(0),
        })
    }

    pub(super) fn status(&self, h: &History<'_>, y: i32, now: i32) -> Status {
        let (a, b) = window(y, self.within, self.offset);
        let mut good = 0u32;
        let mut missing = 0u32;
        for yr in a..=b {
            if yr > now {
                good += 1;
                continue;
            }
            match h.rating(yr) {
                Some(r) if r.rating >= self.rating => good += 1,
                Some(_) => {}
                // Not serving that year: no rating is expected, so it is not unknown.
                None if h.served_in(yr) == Some(false) => {}
                None => missing += 1,
            }
        }
        if good >= self.count {
            Status::Pass
        } else if good + missing >= self.count {
            Status::Unknown
        } else {
            Status::Fail
        }
    }

    pub(super) fn describe(&self, r: &mut Row<'_, '_>) -> String {
        let (h, count, within, rating) = (r.h, self.count, self.within, self.rating);
        let (a, b) = window(r.y, within, self.offset);
        let mut unknown = Vec::new();
        let mut low = Vec::new();
        for yr in a..=b {
            match h.rating(yr) {
                Some(x) => {
                    let mut e = format!("năm {yr}: {}", x.rating.label());
                    if let Some(v) = x.via {
                        e.push_str(&format!(" (kế thừa từ {v})"));
                        r.inherited.push((yr, v.to_owned()));
                    }
                    r.evidence.push(e);
                    if x.rating < rating {
                        low.push(yr);
                    }
                }
                None if h.served_in(yr) == Some(false) => {
                    r.evidence.push(format!("năm {yr}: không công tác"));
                    low.push(yr);
                }
                None => unknown.push(yr),
            }
        }
        r.missing = match r.status {
            Status::Unknown => Some(format!(
                "chưa có kết quả xếp loại năm {}",
                join_years(&unknown)
            )),
            Status::Fail => Some(format!(
                "năm {} không đạt mức «{}»",
                join_years(&low),
                rating.label()
            )),
            _ => None,
        };
        if count == u32::from(within) && count > 1 {
            format!(
                "{count:02} năm liên tục ({a}–{b}) xếp loại từ «{}» trở lên",
                rating.label()
            )
        } else if within == 1 {
            format!("Năm {b} xếp loại từ «{}» trở lên", rating.label())
        } else {
            format!(
                "Ít nhất {count:02} năm xếp loại từ «{}» trở lên trong {within} năm ({a}–{b})",
                rating.label()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{refused, row};
    use crate::eligibility::history::YearRating;
    use crate::eligibility::{EvalContext, History, Rating, Status};

    const CLAUSE: &str =
        "kind = \"rating_count\"\nrating = \"hoan-thanh-xuat-sac\"\ncount = 2\nwithin = 2";

    fn rated(year: i32, rating: Rating) -> YearRating<'static> {
        YearRating {
            year,
            rating,
            via: None,
        }
    }

    #[test]
    fn a_missing_year_is_unknown_and_a_low_one_fails() {
        let ctx = EvalContext::year_end(2025);
        let mut h = History {
            ratings: vec![rated(2024, Rating::HoanThanhXuatSac)],
            ..History::default()
        };
        let r = row("chien-si-thi-dua-cap-tinh", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Unknown);
        assert_eq!(
            r.missing.as_deref(),
            Some("chưa có kết quả xếp loại năm 2025")
        );
        assert!(
            r.description.starts_with("02 năm liên tục (2024–2025)"),
            "{}",
            r.description
        );
        h.ratings.push(rated(2025, Rating::HoanThanhTot));
        let r = row("chien-si-thi-dua-cap-tinh", CLAUSE, &h, &ctx);
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.missing
                .as_deref()
                .is_some_and(|m| m.starts_with("năm 2025 không đạt")),
            "{r:?}"
        );
        h.ratings[1].rating = Rating::HoanThanhXuatSac;
        assert_eq!(
            row("chien-si-thi-dua-cap-tinh", CLAUSE, &h, &ctx).status,
            Status::Pass
        );
    }

    #[test]
    fn a_missing_rating_field_and_too_many_years_are_refused() {
        let e = refused("chien-si-thi-dua-cap-tinh", "kind = \"rating_count\"");
        assert!(e.contains("(rating_count) cần trường rating"), "{e}");
        let e = refused(
            "chien-si-thi-dua-cap-tinh",
            "kind = \"rating_count\"\nrating = \"hoan-thanh\"\ncount = 3\nwithin = 2",
        );
        assert!(e.contains("3 năm xếp loại trong 2 năm"), "{e}");
    }
}
