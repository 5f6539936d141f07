//! Tests of `rubric`, kept apart so the rules read without them.

use super::*;

pub(crate) fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn leaf(code: &str, max: &str, kind: ItemKind) -> Item {
    Item {
        code: code.into(),
        title: format!("Mục {code}"),
        max: d(max),
        kind,
    }
}

fn group(code: &str, max: &str, children: Vec<Item>) -> Item {
    leaf(code, max, ItemKind::Group { children })
}

fn formula(code: &str, max: &str, f: &str, ind: Option<&str>) -> Item {
    leaf(
        code,
        max,
        ItemKind::Formula {
            formula: f.into(),
            indicator: ind.map(String::from),
        },
    )
}

pub(crate) fn indicators() -> BTreeSet<String> {
    ["grdp", "thu_ngan_sach", "tai_nan"]
        .into_iter()
        .map(String::from)
        .collect()
}

/// A cluster rubric: 60 points of indicators, 40 of work, bonus ≤ 5,
/// penalty ≤ 10.
pub(crate) fn cluster_rubric() -> Rubric {
    Rubric {
        code: "cum-tay-nam-bo".into(),
        version: 1,
        title: "Bảng chấm điểm thi đua Cụm Tây Nam bộ".into(),
        items: vec![
            group(
                "1",
                "60",
                vec![
                    formula("1.1", "20", "20 * actual / target", Some("grdp")),
                    formula(
                        "1.2",
                        "20",
                        "min(20, 20 * actual / target)",
                        Some("thu_ngan_sach"),
                    ),
                    formula(
                        "1.3",
                        "20",
                        "if actual <= target { 20 } else { max(0, 20 - 2 * (actual - target)) }",
                        Some("tai_nan"),
                    ),
                ],
            ),
            group(
                "2",
                "40",
                vec![
                    leaf("2.1", "25", ItemKind::Manual),
                    leaf("2.2", "15", ItemKind::Manual),
                ],
            ),
            group(
                "T",
                "5",
                vec![
                    leaf("T1", "3", ItemKind::Bonus),
                    leaf("T2", "3", ItemKind::Bonus),
                ],
            ),
            leaf("K", "10", ItemKind::Penalty),
        ],
    }
}

#[test]
fn criteria_are_the_leaves_in_order_with_their_depth() {
    let mut r = cluster_rubric();
    r.items.push(group(
        "3",
        "0",
        vec![group(
            "3.1",
            "0",
            vec![leaf("3.1.1", "1", ItemKind::Manual)],
        )],
    ));
    let got: Vec<(usize, &str)> = r.criteria().map(|(d, i)| (d, i.code.as_str())).collect();
    assert_eq!(
        got,
        [
            (1, "1.1"),
            (1, "1.2"),
            (1, "1.3"),
            (1, "2.1"),
            (1, "2.2"),
            (1, "T1"),
            (1, "T2"),
            (0, "K"),
            (2, "3.1.1"),
        ]
    );
}

pub(crate) fn sheet(
    grdp: &str,
    ngan_sach: &str,
    tai_nan: &str,
    manual: &[(&str, &str)],
) -> ScoreSheet {
    let v = |a: &str, t: &str, dir| IndicatorValue {
        actual: d(a),
        target: d(t),
        direction: dir,
    };
    ScoreSheet {
        entries: manual
            .iter()
            .map(|(c, p)| {
                (
                    (*c).to_owned(),
                    ManualEntry {
                        points: d(p),
                        evidence: vec![format!("minh-chung-{c}.pdf")],
                    },
                )
            })
            .collect(),
        indicators: [
            ("grdp".to_owned(), v(grdp, "8", Direction::HigherIsBetter)),
            (
                "thu_ngan_sach".to_owned(),
                v(ngan_sach, "100", Direction::HigherIsBetter),
            ),
            (
                "tai_nan".to_owned(),
                v(tai_nan, "10", Direction::LowerIsBetter),
            ),
        ]
        .into_iter()
        .collect(),
    }
}

#[test]
fn formulas_and_caps_give_explained_points() {
    let r = cluster_rubric().check(&indicators()).unwrap();
    let e = r
        .evaluate(&sheet(
            "9",
            "75",
            "12",
            &[
                ("2.1", "25"),
                ("2.2", "12.5"),
                ("T1", "3"),
                ("T2", "3"),
                ("K", "1.5"),
            ],
        ))
        .unwrap();
    let points = |code: &str| e.items.iter().find(|i| i.code == code).unwrap().points;
    // GRDP above target: 22,5 clamped to the criterion's 20.
    assert_eq!(points("1.1"), d("20"));
    assert!(
        e.items[1].explanation.contains("tính 20"),
        "{}",
        e.items[1].explanation
    );
    assert_eq!(points("1.2"), d("15"));
    // 12 accidents against 10 allowed: 20 − 4.
    assert_eq!(points("1.3"), d("16"));
    assert_eq!(points("1"), d("51"));
    assert_eq!(points("2"), d("37.5"));
    // Two bonuses of 3 capped at the group's 5.
    assert_eq!(points("T"), d("5"));
    assert_eq!(
        (e.scored, e.bonus, e.penalty),
        (d("88.5"), d("5"), d("1.5"))
    );
    assert_eq!(e.total, d("92"));
    // 1.1 (formula) and 2.1 (manual) at their maxima.
    assert_eq!(e.criteria_at_max, 2);
    assert_eq!(r.max_total(), d("105"));
}

#[test]
fn total_never_goes_below_zero() {
    let r = cluster_rubric().check(&indicators()).unwrap();
    let e = r.evaluate(&sheet("0", "0", "30", &[("K", "10")])).unwrap();
    assert_eq!(e.total, Decimal::ZERO);
}

#[test]
fn points_exceeding_the_group_maximum_are_refused_naming_the_group() {
    let mut rubric = cluster_rubric();
    rubric.items[1] = group(
        "2",
        "40",
        vec![
            leaf("2.1", "25", ItemKind::Manual),
            leaf("2.2", "20", ItemKind::Manual),
        ],
    );
    let errors = rubric.check(&indicators()).unwrap_err();
    assert_eq!(
        errors,
        vec![RubricError::ChildrenExceedGroup {
            code: "2".into(),
            children: "45".into(),
            max: "40".into()
        }]
    );
    assert_eq!(
        errors[0].to_string(),
        "Nhóm “2”: tổng điểm tối đa của các mục con là 45, vượt điểm tối đa của nhóm là 40."
    );
}

#[test]
fn an_invalid_formula_is_refused_naming_the_criterion() {
    let mut rubric = cluster_rubric();
    rubric.items[0] = group(
        "1",
        "60",
        vec![
            formula(
                "1.1",
                "20",
                "min(20, 20 * ind.gdp.actual / target)",
                Some("grdp"),
            ),
            formula("1.2", "20", "min(20, 20 * actual / ", Some("thu_ngan_sach")),
            formula("1.3", "20", "actual", Some("so_vu_chay")),
        ],
    );
    let errors = rubric.check(&indicators()).unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].to_string().starts_with("Tiêu chí “1.1”:"),
        "{}",
        errors[0]
    );
    assert!(errors[0].to_string().contains("“gdp”"), "{}", errors[0]);
    assert!(
        errors[1]
            .to_string()
            .starts_with("Tiêu chí “1.2”: công thức sai cú pháp"),
        "{}",
        errors[1]
    );
    assert_eq!(
        errors[2],
        RubricError::UnknownIndicator {
            code: "1.3".into(),
            indicator: "so_vu_chay".into()
        }
    );
}

#[test]
fn entered_points_above_the_criterion_maximum_are_refused() {
    let r = cluster_rubric().check(&indicators()).unwrap();
    let err = r
        .evaluate(&sheet("8", "100", "10", &[("2.2", "16")]))
        .unwrap_err();
    assert_eq!(err.to_string(), "Mục “2.2”: điểm 16 vượt điểm tối đa 15.");
    let err = r
        .evaluate(&sheet("8", "100", "10", &[("1.1", "5")]))
        .unwrap_err();
    assert_eq!(err, RubricError::NotManual { code: "1.1".into() });
}

#[test]
fn structural_mistakes_are_all_reported() {
    let rubric = Rubric {
        code: "x".into(),
        version: 1,
        title: "x".into(),
        items: vec![
            group(
                "1",
                "10",
                vec![
                    leaf("1.1", "5", ItemKind::Manual),
                    leaf("1.1", "5", ItemKind::Bonus),
                ],
            ),
            group("2", "10", vec![]),
            leaf("3 ", "0", ItemKind::Manual),
        ],
    };
    let errors = rubric.check(&indicators()).unwrap_err();
    assert!(
        errors.contains(&RubricError::MixedGroup { code: "1".into() }),
        "{errors:?}"
    );
    assert!(errors.contains(&RubricError::DuplicateCode { code: "1.1".into() }));
    assert!(errors.contains(&RubricError::EmptyGroup { code: "2".into() }));
    assert!(errors.contains(&RubricError::BadCode { code: "3 ".into() }));
}

#[test]
fn a_rubric_round_trips_through_json() {
    let rubric = cluster_rubric();
    let json = serde_json::to_string(&rubric).unwrap();
    assert!(json.contains(r#""kind":"formula""#), "{json}");
    let back: Rubric = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rubric);
}
