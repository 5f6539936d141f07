//! The subject's unit scope the rule packs look at: the units it sits
//! under, nearest first, across lineage (a unit merged into another sits
//! under the successor). Filled in person and unit inputs and in the scan.

use tdkt_store::testing::TestDb;

#[tokio::test]
async fn a_bac_ninh_unit_and_one_merged_into_it_sit_under_bac_ninh_nearest_first() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let cat = tdkt_store::awards::catalogue();
    let lineage = s.lineage().await.unwrap();

    let bn = s.unit_by_code("bac-ninh.so-noi-vu").await.unwrap();
    let inputs = s.unit_inputs(cat, &lineage, bn.id).await.unwrap();
    assert_eq!(
        inputs.scope,
        vec!["bac-ninh.so-noi-vu", "bac-ninh", "trung-uong"]
    );
    assert_eq!(
        inputs.history().scope,
        vec!["bac-ninh.so-noi-vu", "bac-ninh", "trung-uong"]
    );

    let bg = s.unit_by_code("bac-giang.so-noi-vu").await.unwrap();
    let inputs = s.unit_inputs(cat, &lineage, bg.id).await.unwrap();
    assert_eq!(inputs.scope[0], "bac-giang.so-noi-vu");
    assert!(
        inputs.scope.contains(&"bac-ninh".to_owned()),
        "{:?}",
        inputs.scope
    );
    assert!(inputs.scope.contains(&"bac-ninh.so-noi-vu".to_owned()));
}

#[tokio::test]
async fn a_persons_scope_is_their_units_and_the_scan_carries_it() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let cat = tdkt_store::awards::catalogue();
    let ha = s.person_by_cccd("093182124906").await.unwrap().unwrap();
    let inputs = s.person_inputs(cat, ha.id).await.unwrap();
    assert_eq!(inputs.scope[0], "hau-giang.so-xay-dung");
    assert!(
        inputs.scope.contains(&"can-tho".to_owned()),
        "{:?}",
        inputs.scope
    );

    let mut seen = None;
    s.scan_histories(cat, 2025, None, |p, h| {
        if p.id == ha.id {
            seen = Some(h.scope.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>());
        }
    })
    .await
    .unwrap();
    assert_eq!(seen.unwrap(), inputs.scope);
}
