//! The acceptance case of issue 3: the Tây Nam bộ cluster's H1 2019 data
//! (copied from `shared/data/` into `tests/data/` so the test runs wherever
//! the repository is cloned) must give a report that restates what seed 001
//! published, in its manner.

use std::str::FromStr;

use rust_decimal::Decimal;
use tdkt_core::period::Period;
use tdkt_core::pledge::{Indicator, Key, PledgeFields, PledgeRow, ValueFields, ValueRow};
use tdkt_core::review::{draft, MemberValue, Nouns, ReviewInput, ReviewReport};

const PLEDGE: &str = include_str!("../data/tay-nam-bo-2019-pledge.csv");
const VALUES: &str = include_str!("../data/tay-nam-bo-2019-h1.csv");

/// The files have no quoted fields; the CLI uses a real CSV reader.
fn rows(csv: &str) -> Vec<Vec<&str>> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').collect())
        .collect()
}

fn pledge() -> Vec<Indicator> {
    rows(PLEDGE)
        .iter()
        .map(|r| {
            let f = PledgeFields {
                cluster: r[0],
                year: r[1],
                indicator: r[2],
                name: r[3],
                unit: r[4],
                direction: r[5],
                aggregate: r[6],
                threshold: r[7],
            };
            PledgeRow::parse(&f).unwrap().indicator
        })
        .collect()
}

fn values(indicators: &[Indicator]) -> Vec<MemberValue> {
    rows(VALUES)
        .iter()
        .map(|r| {
            let f = ValueFields {
                cluster: r[0],
                period: r[1],
                member: r[2],
                indicator: r[3],
                value: r[4],
                unit: r[5],
            };
            let row = ValueRow::parse(&f).unwrap();
            let ind = indicators.iter().find(|i| i.key == row.indicator).unwrap();
            row.check_against(2019, ind).unwrap();
            MemberValue {
                member: row.member,
                indicator: row.indicator,
                value: row.value,
            }
        })
        .collect()
}

fn report() -> ReviewReport {
    let indicators = pledge();
    let values = values(&indicators);
    let nouns = Nouns::derive(
        "Cụm thi đua các tỉnh Tây Nam bộ",
        std::iter::repeat_n("Tỉnh", 12),
    );
    draft(&ReviewInput {
        cluster: "Cụm thi đua các tỉnh Tây Nam bộ",
        period: Period::parse("2019-H1").unwrap(),
        nouns: &nouns,
        members: &[],
        indicators: &indicators,
        values: &values,
    })
    .unwrap()
}

#[test]
fn the_h1_2019_report_restates_what_seed_001_published() {
    let text = report().document().to_text();
    println!("{text}");
    for expected in [
        "BÁO CÁO SƠ KẾT THỰC HIỆN GIAO ƯỚC THI ĐUA 6 THÁNG ĐẦU NĂM 2019 CỦA CỤM THI ĐUA CÁC TỈNH TÂY NAM BỘ",
        "Trên cơ sở số liệu do 12/12 tỉnh báo cáo",
        // GRDP
        "Tốc độ tăng trưởng kinh tế (GRDP) 6 tháng đầu năm 2019 của các tỉnh trong Cụm bình quân đạt 8,2%, \
         một số tỉnh đạt cao như: Trà Vinh 17%; Long An 9,89%; Bến Tre 8,37%; Bạc Liêu 8,25%.",
        // budget revenue
        "bình quân đạt 63,43%. 12/12 tỉnh trong Cụm đạt từ 55% trở lên, một số tỉnh đạt cao như: \
         Hậu Giang 83,41%; Long An 68,6%; Bến Tre 67,94%; Sóc Trăng 67,6%; An Giang 65,6%.",
        // exports: the total, then who reached half of the plan
        "Kim ngạch xuất khẩu của Cụm 6 tháng đầu năm 2019 đạt 8,493 tỷ USD",
        "Có 4/12 tỉnh đạt từ 50% trở lên, gồm: Vĩnh Long 57,2%; Đồng Tháp 53,8%; Hậu Giang 50,86%; Bến Tre 50,8%.",
        // graduation
        "bình quân đạt 96,62%, một số tỉnh đạt cao như: Bạc Liêu 97,95%; Đồng Tháp 97,59%; An Giang 97,36%; \
         Bến Tre 97,34%; Long An 97,16%; Vĩnh Long 97,15%.",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
    assert!(!text.contains("Chưa có số liệu"), "every province reported");
}

#[test]
fn the_computed_figures_are_exact_decimals() {
    let r = report();
    let by = |k: &str| {
        r.indicators
            .iter()
            .find(|s| s.indicator.key == Key::parse(k).unwrap())
            .unwrap()
    };
    let d = |s: &str| Decimal::from_str(s).unwrap();
    assert_eq!(by("grdp_growth").figure, Some(d("8.2")));
    assert_eq!(by("budget_revenue_plan_pct").figure, Some(d("63.43")));
    assert_eq!(
        by("budget_revenue_plan_pct")
            .threshold
            .as_ref()
            .unwrap()
            .reached
            .len(),
        12
    );
    assert_eq!(by("export_value").figure, Some(d("8493")));
    assert_eq!(by("hs_graduation_rate").figure, Some(d("96.62")));
    let json = serde_json::to_string(&r).unwrap();
    let back: ReviewReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn markdown_has_the_title_and_the_sentences() {
    let md = report().document().to_markdown();
    assert!(md.starts_with("# Báo cáo sơ kết thực hiện giao ước thi đua 6 tháng đầu năm 2019"));
    assert!(md.contains("\n## Kết quả thực hiện các chỉ tiêu giao ước thi đua\n"));
    assert!(md.contains("Trà Vinh 17%; Long An 9,89%"));
}
