//! Invented data for another kind of group, so nothing in the wording
//! leans on the Tây Nam bộ file: the block of the five centrally-run
//! cities, a lower-is-better indicator, a sum in VND, a member that did not
//! report, per-member targets.

use std::collections::BTreeMap;
use std::str::FromStr;

use super::*;
use crate::number::Measure;
use crate::pledge::{Aggregate, Direction};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn ind(
    key: &str,
    name: &str,
    unit: Measure,
    direction: Direction,
    aggregate: Aggregate,
    threshold: Option<&str>,
) -> Indicator {
    Indicator {
        key: Key::parse(key).unwrap(),
        name: name.to_owned(),
        unit,
        direction,
        aggregate,
        threshold: threshold.map(d),
        targets: BTreeMap::new(),
    }
}

const CITIES: [&str; 5] = [
    "Hà Nội",
    "Thành phố Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
];

fn cities_report() -> ReviewReport {
    let mut poverty = ind(
        "poor_household_rate",
        "Tỷ lệ hộ nghèo",
        Measure::Percent,
        Direction::Lower,
        Aggregate::Mean,
        Some("1"),
    );
    poverty.targets = [("Hải Phòng", "0.5"), ("Cần Thơ", "0.6")]
        .iter()
        .map(|(m, t)| ((*m).to_owned(), d(t)))
        .collect();
    let indicators = vec![
        poverty,
        ind(
            "budget_revenue",
            "Tổng thu ngân sách nhà nước",
            Measure::BillionVnd,
            Direction::Higher,
            Aggregate::Sum,
            None,
        ),
        ind(
            "traffic_deaths",
            "Số người chết vì tai nạn giao thông",
            Measure::Persons,
            Direction::Lower,
            Aggregate::Sum,
            None,
        ),
    ];
    let v = |m: &str, k: &str, x: &str| MemberValue {
        member: m.to_owned(),
        indicator: Key::parse(k).unwrap(),
        value: d(x),
    };
    let values = vec![
        v("Hà Nội", "poor_household_rate", "0.9"),
        v("Thành phố Hồ Chí Minh", "poor_household_rate", "0.3"),
        v("Hải Phòng", "poor_household_rate", "0.45"),
        v("Đà Nẵng", "poor_household_rate", "1.2"),
        v("Cần Thơ", "poor_household_rate", "1.6"),
        v("Hà Nội", "budget_revenue", "193310"),
        v("Thành phố Hồ Chí Minh", "budget_revenue", "221000"),
        v("Hải Phòng", "budget_revenue", "52800"),
        v("Đà Nẵng", "budget_revenue", "13500"),
        v("Hà Nội", "traffic_deaths", "270"),
        v("Thành phố Hồ Chí Minh", "traffic_deaths", "310"),
        v("Hải Phòng", "traffic_deaths", "95"),
        v("Đà Nẵng", "traffic_deaths", "60"),
        v("Cần Thơ", "traffic_deaths", "55"),
    ];
    let members: Vec<String> = CITIES.iter().map(|c| (*c).to_owned()).collect();
    let nouns = Nouns::derive(
        "Khối thi đua các thành phố trực thuộc Trung ương",
        ["Thành phố trực thuộc trung ương"; 5],
    );
    draft(&ReviewInput {
        cluster: "Khối thi đua các thành phố trực thuộc Trung ương",
        period: Period::parse("2024").unwrap(),
        nouns: &nouns,
        members: &members,
        indicators: &indicators,
        values: &values,
    })
    .unwrap()
}

#[test]
fn another_block_with_lower_is_better_reads_well() {
    let text = cities_report().document().to_text();
    println!("{text}");
    for expected in [
        "BÁO CÁO TỔNG KẾT THỰC HIỆN GIAO ƯỚC THI ĐUA NĂM 2024 CỦA KHỐI THI ĐUA CÁC THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
        "Trên cơ sở số liệu do 5/5 thành phố báo cáo",
        // mean 0,89%; lower is better, so the lowest come first
        "Tỷ lệ hộ nghèo năm 2024 của các thành phố trong Khối bình quân ở mức 0,89%. \
         Có 3/5 thành phố ở mức 1% trở xuống, gồm: Thành phố Hồ Chí Minh 0,3%; Hải Phòng 0,45%; Hà Nội 0,9%.",
        "1/2 thành phố đạt chỉ tiêu đã đăng ký; chưa đạt: Cần Thơ 1,6% (chỉ tiêu 0,6%).",
        // a sum: total, the ones above an equal share, one member missing
        "Tổng thu ngân sách nhà nước của Khối năm 2024 đạt 480.610 tỷ đồng, \
         một số thành phố đạt cao như: Thành phố Hồ Chí Minh 221.000 tỷ đồng; Hà Nội 193.310 tỷ đồng. \
         Chưa có số liệu của: Cần Thơ.",
        // lower is better and summed: members below the equal share (158)
        "Số người chết vì tai nạn giao thông của Khối năm 2024 là 790 người, \
         một số thành phố ở mức thấp như: Cần Thơ 55 người; Đà Nẵng 60 người; Hải Phòng 95 người.",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
    assert!(!text.contains("tỉnh"), "no province wording for cities");
}

#[test]
fn the_ranking_respects_direction_and_keeps_ties_in_member_order() {
    let r = cities_report();
    let poverty = &r.indicators[0];
    let order: Vec<_> = poverty.ranked.iter().map(|f| f.member.as_str()).collect();
    assert_eq!(
        order,
        [
            "Thành phố Hồ Chí Minh",
            "Hải Phòng",
            "Hà Nội",
            "Đà Nẵng",
            "Cần Thơ"
        ]
    );
    assert_eq!(poverty.mean, Some(d("0.89")));
    assert_eq!(r.indicators[1].missing, ["Cần Thơ"]);
    assert_eq!(r.indicators[1].threshold, None);
}

#[test]
fn none_reaching_the_threshold_still_names_the_best() {
    let i = ind(
        "x_rate",
        "Tỷ lệ xã đạt chuẩn nông thôn mới",
        Measure::Percent,
        Direction::Higher,
        Aggregate::Mean,
        Some("90"),
    );
    let v = |m: &str, x: &str| MemberValue {
        member: m.to_owned(),
        indicator: i.key.clone(),
        value: d(x),
    };
    let values = [v("A", "40"), v("B", "60"), v("C", "60")];
    let nouns = Nouns::derive("Cụm thi đua số 1", ["Huyện"; 3]);
    let r = draft(&ReviewInput {
        cluster: "Cụm thi đua số 1",
        period: Period::parse("2019-Q2").unwrap(),
        nouns: &nouns,
        members: &[],
        indicators: std::slice::from_ref(&i),
        values: &values,
    })
    .unwrap();
    let text = r.document().to_text();
    assert!(
        text.contains("bình quân đạt 53,33%. Chưa có huyện nào đạt từ 90% trở lên, một số huyện đạt cao như: B 60%; C 60%."),
        "{text}"
    );
    assert!(text.contains("quý II/2019"));
}

#[test]
fn bad_inputs_are_refused_in_vietnamese() {
    let i = ind(
        "a",
        "A",
        Measure::Count,
        Direction::Higher,
        Aggregate::Sum,
        None,
    );
    let nouns = Nouns::derive("Cụm", ["Tỉnh"]);
    let v = |m: &str, k: &str| MemberValue {
        member: m.to_owned(),
        indicator: Key::parse(k).unwrap(),
        value: Decimal::ONE,
    };
    let run = |values: &[MemberValue], members: &[String]| {
        draft(&ReviewInput {
            cluster: "Cụm",
            period: Period::Year(2020),
            nouns: &nouns,
            members,
            indicators: std::slice::from_ref(&i),
            values,
        })
    };
    assert_eq!(
        run(&[v("X", "b")], &[]).unwrap_err().to_string(),
        "chỉ tiêu «b» không có trong giao ước"
    );
    assert!(matches!(
        run(&[v("X", "a"), v("X", "a")], &[]),
        Err(ReviewError::Duplicate { .. })
    ));
    assert_eq!(
        run(&[v("Y", "a")], &["X".to_owned()]).unwrap_err(),
        ReviewError::UnknownMember("Y".to_owned())
    );
    let empty = draft(&ReviewInput {
        cluster: "Cụm",
        period: Period::Year(2020),
        nouns: &nouns,
        members: &[],
        indicators: &[],
        values: &[],
    });
    assert_eq!(empty.unwrap_err(), ReviewError::NoIndicators);
}

#[test]
fn an_indicator_nobody_reported_says_so() {
    let i = ind(
        "a",
        "Số sáng kiến được công nhận",
        Measure::Count,
        Direction::Higher,
        Aggregate::Sum,
        None,
    );
    let nouns = Nouns::derive("Khối các sở", ["Sở"]);
    let r = draft(&ReviewInput {
        cluster: "Khối các sở",
        period: Period::parse("2024-03").unwrap(),
        nouns: &nouns,
        members: &["Sở Tài chính".to_owned()],
        indicators: std::slice::from_ref(&i),
        values: &[],
    })
    .unwrap();
    let text = r.document().to_text();
    assert!(
        text.contains("Số sáng kiến được công nhận tháng 3/2024: chưa có sở nào báo cáo số liệu."),
        "{text}"
    );
    assert!(text.contains("Trên cơ sở số liệu do 0/1 sở báo cáo"));
}

#[test]
fn nouns_follow_the_members_kinds() {
    assert_eq!(
        Nouns::derive("Cụm thi đua Tây Nam bộ", ["Tỉnh", "Tỉnh"]).member,
        "tỉnh"
    );
    assert_eq!(
        Nouns::derive("Cụm", ["Tỉnh", "Thành phố trực thuộc trung ương"]).member,
        "tỉnh, thành phố"
    );
    assert_eq!(Nouns::derive("Cụm", ["Tỉnh", "Bộ"]).member, "đơn vị");
    assert_eq!(Nouns::derive("Cụm", ["Sở, ban, ngành"]).member, "sở");
    assert_eq!(Nouns::derive("Khối kinh tế", ["Sở"]).group, "Khối");
    assert_eq!(Nouns::derive("Cụm", Vec::<&str>::new()).member, "đơn vị");
}

#[test]
fn markdown_escapes_what_would_become_markup() {
    assert_eq!(md_escape("a*b_c [x]"), "a\\*b\\_c \\[x\\]");
    assert_eq!(md_escape("1. Kết quả"), "1\\. Kết quả");
    assert_eq!(md_escape("- gạch"), "\\- gạch");
}

#[test]
fn acronyms_keep_their_capitals() {
    assert_eq!(lower_first("Tốc độ tăng trưởng"), "tốc độ tăng trưởng");
    assert_eq!(lower_first("GRDP bình quân"), "GRDP bình quân");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn mean_lies_between_min_and_max_and_sum_adds_up(xs in proptest::collection::vec(0i64..10_000_000, 1..40)) {
            let vals: Vec<Decimal> = xs.iter().map(|x| Decimal::new(*x, 2)).collect();
            let m = mean(&vals).unwrap();
            let (lo, hi) = (vals.iter().min().unwrap(), vals.iter().max().unwrap());
            // rounding to two places can move it by at most half a unit
            let half = Decimal::new(5, 3);
            prop_assert!(*lo - half <= m && m <= *hi + half);

            let i = ind("s", "S", Measure::Count, Direction::Higher, Aggregate::Sum, None);
            let members: Vec<String> = (0..vals.len()).map(|n| format!("M{n}")).collect();
            let values: Vec<MemberValue> = members.iter().zip(&vals)
                .map(|(m, v)| MemberValue { member: m.clone(), indicator: i.key.clone(), value: *v })
                .collect();
            let nouns = Nouns::derive("Cụm", ["Xã"]);
            let r = draft(&ReviewInput {
                cluster: "Cụm", period: Period::Year(2020), nouns: &nouns, members: &members,
                indicators: std::slice::from_ref(&i), values: &values,
            }).unwrap();
            let s = &r.indicators[0];
            prop_assert_eq!(s.figure, Some(vals.iter().sum::<Decimal>()));
            prop_assert!(s.standouts.iter().all(|f| f.value > m));
            prop_assert!(s.ranked.windows(2).all(|w| w[0].value >= w[1].value));
        }
    }
}
