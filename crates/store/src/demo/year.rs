//! The demo's year in the life of a TĐKT office (issue 15), after the
//! dossiers: the regular movement of Cần Thơ for the current year with its
//! departments' registrations (one not yet registered), and the Mekong
//! cluster of today's provinces and cities with its pledge, the first
//! half's deadline passed and the reports of four members of five (Cà Mau
//! late). Everything goes through the store's own calls, as an officer and
//! the members would enter it; then the rest of the cluster's year
//! (review, scoring, ballot, proposals: [`results`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use tdkt_core::movement::NewMovement;
use tdkt_core::period::Period;
use tdkt_core::pledge::{PledgeFields, PledgeRow};
use tdkt_core::{date, DomainError};

use crate::clusters::NewCluster;
use crate::movements::NewRegistration;
use crate::{Result, Store};

mod results;

const ACTOR: &str = super::ACTOR;

/// The members of the demo cluster and their first-half values (GRDP
/// growth %, budget revenue % of plan); `None`: not reported yet.
const MEMBERS: &[(&str, Option<(i64, i64)>)] = &[
    ("can-tho", Some((82, 1034))),
    ("an-giang", Some((76, 987))),
    ("dong-thap", Some((71, 1012))),
    ("vinh-long", Some((69, 958))),
    ("ca-mau", None),
];

/// Loads the movement and the cluster; call after [`super::load`].
///
/// # Errors
/// Any refusal by the store.
pub async fn load_year(store: &Store) -> Result<()> {
    let today = date::today_vn();
    let year = today.year();
    movement(store, year).await?;
    // the first half's reports are due on 10/7: the current year once
    // that day has passed, else the year before
    let cluster_year = if today
        >= time::Date::from_calendar_date(year, time::Month::July, 11)
            .map_err(|e| DomainError::invalid("date", e.to_string()))?
    {
        year
    } else {
        year - 1
    };
    let c = cluster(store, cluster_year).await?;
    results::load_results(store, &c, cluster_year).await
}

async fn movement(store: &Store, year: i32) -> Result<()> {
    let city = store.unit_by_code("can-tho").await?;
    let mut scope = Vec::new();
    for code in [
        "can-tho.so-xay-dung",
        "can-tho.so-noi-vu",
        "can-tho.so-tai-chinh",
    ] {
        scope.push(store.unit_by_code(code).await?.id);
    }
    let m = NewMovement::parse(
        &format!("thi-dua-yeu-nuoc-{year}"),
        &format!("Phong trào thi đua yêu nước năm {year} của thành phố Cần Thơ"),
        "regular",
        &format!("{year}-01-01"),
        "",
        "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị, phát triển kinh tế - xã hội của thành phố.",
    )?;
    let m = store.create_movement(ACTOR, city.id, &m, &scope).await?;
    // two departments registered; Sở Tài chính not yet
    for (unit, targets) in [
        (
            scope[0],
            "Hoàn thành 100% kế hoạch thẩm định dự án đầu tư xây dựng đúng hạn.",
        ),
        (
            scope[1],
            "Hoàn thành sắp xếp tổ chức bộ máy; 100% hồ sơ khen thưởng giải quyết đúng hạn.",
        ),
    ] {
        store
            .register(
                ACTOR,
                m.id,
                &NewRegistration {
                    unit_id: unit,
                    person_id: None,
                    titles: vec!["tap-the-lao-dong-xuat-sac".to_owned()],
                    targets: targets.to_owned(),
                },
            )
            .await?;
    }
    Ok(())
}

async fn cluster(store: &Store, year: i32) -> Result<crate::clusters::Cluster> {
    let c = store
        .create_cluster(
            ACTOR,
            &NewCluster::parse(
                "tay-nam-bo-moi",
                &year.to_string(),
                "Cụm thi đua các tỉnh, thành phố Tây Nam bộ",
                "cluster",
            )?,
        )
        .await?;
    for (code, _) in MEMBERS {
        store.add_cluster_member(ACTOR, c.id, code).await?;
    }
    let key = c.key.clone();
    let y = year.to_string();
    let rows: Vec<(u64, PledgeRow)> = [
        ("grdp_growth", "Tốc độ tăng trưởng kinh tế (GRDP)"),
        (
            "budget_revenue_plan_pct",
            "Thu ngân sách so với kế hoạch năm",
        ),
    ]
    .iter()
    .zip(2u64..)
    .map(|((indicator, name), line)| {
        let f = PledgeFields {
            cluster: &key,
            year: &y,
            indicator,
            name,
            unit: "percent",
            direction: "higher",
            aggregate: "mean",
            threshold: "",
        };
        PledgeRow::parse(&f).map(|r| (line, r))
    })
    .collect::<std::result::Result<_, _>>()
    .map_err(|e| DomainError::invalid("pledge", format!("{e:?}")))?;
    if let Err(errors) = store
        .import_pledge(ACTOR, &rows, &BTreeMap::new(), false)
        .await?
    {
        return Err(DomainError::invalid("pledge", errors[0].to_string()).into());
    }
    let period = Period::parse(&format!("{year}-H1"))
        .map_err(|e| DomainError::invalid("period", e.to_string()))?;
    let due = time::Date::from_calendar_date(year, time::Month::July, 10)
        .map_err(|e| DomainError::invalid("date", e.to_string()))?;
    store.set_deadline(ACTOR, c.id, period, due).await?;
    let pledge = store.pledge(c.id).await?;
    for (code, values) in MEMBERS {
        let Some((grdp, revenue)) = values else {
            continue;
        };
        let unit = store.unit_by_code(code).await?;
        store
            .submit_values(
                ACTOR,
                c.id,
                period,
                unit.id,
                &[
                    (pledge[0].0, Decimal::new(*grdp, 1)),
                    (pledge[1].0, Decimal::new(*revenue, 1)),
                ],
            )
            .await?;
    }
    Ok(c)
}
