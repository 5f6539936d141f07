//! Store tests of the foundation, on SQLite by default and on PostgreSQL
//! with `TDKT_TEST_DATABASE_URL=postgres://…`: lineage across the 2025
//! merger, refusals that leave nothing half-written, audit tampering.

use tdkt_core::lineage::LineageKind;
use tdkt_core::org::NewUnit;
use tdkt_core::person::NewPerson;
use tdkt_store::testing::TestDb;
use tdkt_store::units::NewLineageEvent;
use tdkt_store::StoreError;
use time::macros::date;

async fn id(db: &TestDb, code: &str) -> i64 {
    db.store.unit_by_code(code).await.unwrap().id
}

async fn names(db: &TestDb, ids: &[i64]) -> Vec<String> {
    let mut v = Vec::new();
    for i in ids {
        v.push(db.store.unit(*i).await.unwrap().name);
    }
    v
}

/// Audit length and unit count: what a refused write must leave unchanged.
async fn footprint(db: &TestDb) -> (usize, usize) {
    (
        db.store.recent_audit(100_000).await.unwrap().len(),
        db.store.units().await.unwrap().len(),
    )
}

fn refused_field(r: Result<impl std::fmt::Debug, StoreError>) -> (&'static str, String) {
    match r {
        Err(StoreError::Invalid(e)) => (e.field(), e.message().to_owned()),
        Err(StoreError::Conflict(f, m)) => (f, m),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn hau_giang_of_2019_belongs_to_can_tho_today() {
    let db = TestDb::with_demo().await;
    let l = db.store.lineage().await.unwrap();
    let hg = id(&db, "hau-giang").await;
    assert_eq!(
        names(&db, &l.successors_at(hg, date!(2019 - 06 - 30))).await,
        ["Hậu Giang"]
    );
    let today = l.successors_at(hg, date!(2026 - 11 - 27));
    assert_eq!(today, vec![id(&db, "can-tho").await]);
    // Its department follows too.
    let sxd = id(&db, "hau-giang.so-xay-dung").await;
    assert_eq!(
        l.successors_at(sxd, date!(2026 - 01 - 01)),
        vec![id(&db, "can-tho.so-xay-dung").await]
    );
}

#[tokio::test]
async fn vinh_long_today_has_three_predecessors() {
    let db = TestDb::with_demo().await;
    let l = db.store.lineage().await.unwrap();
    let vl = id(&db, "vinh-long").await;
    let preds: Vec<i64> = l.predecessors(vl).into_iter().map(|p| p.unit).collect();
    assert_eq!(
        names(&db, &preds).await,
        ["Bến Tre", "Vĩnh Long", "Trà Vinh"]
    );
    // Cần Thơ reaches back through the 2004 split of the old province.
    let ct = id(&db, "can-tho").await;
    let deep: Vec<(String, u32)> = {
        let mut v = Vec::new();
        for p in l.predecessors(ct) {
            v.push((db.store.unit(p.unit).await.unwrap().code, p.depth));
        }
        v
    };
    assert!(deep.contains(&("can-tho-tinh".to_owned(), 2)), "{deep:?}");
}

#[tokio::test]
async fn a_cycle_in_the_tree_is_refused_and_nothing_changes() {
    let db = TestDb::with_demo().await;
    let before = footprint(&db).await;
    let (field, msg) = refused_field(
        db.store
            .set_parent("t", "hau-giang", "hau-giang.so-xay-dung")
            .await,
    );
    assert_eq!(field, "parent");
    assert!(msg.contains("vòng lặp"), "{msg}");
    assert_eq!(footprint(&db).await, before);
    assert_eq!(
        db.store.unit_by_code("hau-giang").await.unwrap().parent_id,
        Some(id(&db, "trung-uong").await)
    );
}

#[tokio::test]
async fn a_lineage_event_dated_before_a_unit_exists_is_refused() {
    let db = TestDb::with_demo().await;
    let before = footprint(&db).await;
    let ev = NewLineageEvent {
        kind: LineageKind::Dissolve,
        effective: date!(1990 - 01 - 01),
        from: vec!["hau-giang".into()],
        to: vec![],
        new_value: None,
        note: String::new(),
    };
    let (field, msg) = refused_field(db.store.record_lineage("t", &ev).await);
    assert_eq!(field, "effective_date");
    assert!(msg.contains("chỉ tồn tại từ 01/01/2004"), "{msg}");
    assert_eq!(footprint(&db).await, before);
}

#[tokio::test]
async fn a_merge_into_a_dissolved_unit_is_refused() {
    let db = TestDb::with_demo().await;
    let ev = NewLineageEvent {
        kind: LineageKind::Dissolve,
        effective: date!(2026 - 01 - 01),
        from: vec!["can-tho.so-tai-chinh".into()],
        to: vec![],
        new_value: None,
        note: "thử".into(),
    };
    db.store.record_lineage("t", &ev).await.unwrap();
    let before = footprint(&db).await;
    let merge = NewLineageEvent {
        kind: LineageKind::Merge,
        effective: date!(2026 - 06 - 01),
        from: vec!["can-tho.so-xay-dung".into(), "can-tho.so-noi-vu".into()],
        to: vec!["can-tho.so-tai-chinh".into()],
        new_value: None,
        note: String::new(),
    };
    let (field, msg) = refused_field(db.store.record_lineage("t", &merge).await);
    assert_eq!(field, "to");
    assert!(msg.contains("giải thể"), "{msg}");
    assert_eq!(footprint(&db).await, before);
    assert!(db
        .store
        .unit_by_code("can-tho.so-xay-dung")
        .await
        .unwrap()
        .valid_to
        .is_none());
}

#[tokio::test]
async fn an_invalid_cccd_and_a_duplicate_unit_code_are_refused() {
    let db = TestDb::with_demo().await;
    let today = date!(2026 - 11 - 27);
    // Woman born 1990 must have digit 1 in fourth place.
    let e = NewPerson::parse(
        "Lý Thị Mai",
        "nữ",
        "1990-05-05",
        "093090123456",
        "hau-giang",
        "",
        false,
        today,
    )
    .unwrap_err();
    assert_eq!(e.field(), "cccd");
    let before = footprint(&db).await;
    let dup = NewUnit::parse(
        "hau-giang",
        "Hậu Giang 2",
        "tinh",
        Some("trung-uong"),
        date!(2020 - 01 - 01),
        None,
    )
    .unwrap();
    let (field, msg) = refused_field(db.store.create_unit("t", &dup).await);
    assert_eq!(field, "code");
    assert!(msg.contains("đã tồn tại"), "{msg}");
    // A second person with the same CCCD is refused too.
    let existing = db
        .store
        .search_people(
            &tdkt_store::people::PeopleScope::All,
            "tran thi ha",
            None,
            1,
        )
        .await
        .unwrap();
    let cccd = db.store.reveal_cccd(existing[0].id).await.unwrap();
    let twin = NewPerson::parse(
        "Trần Thị Hà",
        "nữ",
        "1982-04-12",
        &cccd,
        // today: Hậu Giang's successor (a write into Hậu Giang is refused)
        "can-tho",
        "",
        false,
        today,
    )
    .unwrap();
    let (field, _) = refused_field(db.store.create_person("t", &twin, today).await);
    assert_eq!(field, "cccd");
    assert_eq!(footprint(&db).await, before);
}

#[tokio::test]
async fn the_audit_log_never_holds_a_full_cccd() {
    let db = TestDb::with_demo().await;
    let people = db
        .store
        .search_people(&tdkt_store::people::PeopleScope::All, "", None, 100)
        .await
        .unwrap();
    let events = db.store.recent_audit(100_000).await.unwrap();
    for p in people {
        let full = db.store.reveal_cccd(p.id).await.unwrap();
        assert!(
            events
                .iter()
                .all(|e| !e.after.as_deref().unwrap_or_default().contains(&full)),
            "{} leaked",
            p.cccd_masked
        );
    }
}

#[tokio::test]
async fn tampering_with_an_audit_row_is_detected() {
    let db = TestDb::with_demo().await;
    let n = db
        .store
        .verify_audit()
        .await
        .unwrap()
        .expect("intact after demo load");
    assert!(n > 50);
    // Append-only: a plain update is refused by the database itself.
    assert!(db
        .store
        .execute_admin("update audit_events set actor = 'x' where seq = 3")
        .await
        .is_err());
    // A determined attacker with full access drops the guard first.
    let drop_guard = match db.store.backend() {
        tdkt_store::Backend::Sqlite => {
            "drop trigger audit_events_no_update; drop trigger audit_events_no_delete;"
        }
        tdkt_store::Backend::Postgres => "drop trigger audit_events_no_change on audit_events;",
    };
    db.store.execute_admin(drop_guard).await.unwrap();
    db.store
        .execute_admin(
            "update audit_events set after_json = '{\"name\":\"Sửa lén\"}' where seq = 7",
        )
        .await
        .unwrap();
    let broken = db.store.verify_audit().await.unwrap().unwrap_err();
    assert_eq!(broken.first_broken(), 7);
}

#[tokio::test]
async fn deleting_the_newest_audit_rows_is_detected() {
    let db = TestDb::with_demo().await;
    let n = db.store.verify_audit().await.unwrap().unwrap();
    let drop_guard = match db.store.backend() {
        tdkt_store::Backend::Sqlite => "drop trigger audit_events_no_delete;",
        tdkt_store::Backend::Postgres => "drop trigger audit_events_no_change on audit_events;",
    };
    db.store.execute_admin(drop_guard).await.unwrap();
    db.store
        .execute_admin(&format!("delete from audit_events where seq = {n}"))
        .await
        .unwrap();
    let broken = db.store.verify_audit().await.unwrap().unwrap_err();
    assert_eq!(broken.first_broken(), n);
}

#[tokio::test]
async fn units_named_by_code_in_one_call_leave_out_the_codes_no_unit_has() {
    let db = TestDb::with_demo().await;
    let found = db
        .store
        .units_by_codes(["can-tho", "hau-giang", "khong-co", "can-tho", ""])
        .await
        .unwrap();
    let mut codes: Vec<&str> = found.keys().map(String::as_str).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["can-tho", "hau-giang"]);
    assert_eq!(found["hau-giang"].name, "Hậu Giang");
    assert_eq!(found["can-tho"].id, id(&db, "can-tho").await);
    assert!(db.store.units_by_codes([]).await.unwrap().is_empty());

    // More codes than one statement takes: still one answer.
    let many: Vec<String> = (0..2500).map(|i| format!("khong-co-{i}")).collect();
    let found = db
        .store
        .units_by_codes(
            many.iter()
                .map(String::as_str)
                .chain(["vinh-long", "ben-tre"]),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
}

/// A person is found by the words of their unit's name too, and after the
/// unit is renamed by the new words, not the old: the unit's part of each
/// person's search entry follows the rename (SQLite: the FTS row, migration
/// 0006; PostgreSQL: the search document, whose unit part is a column of
/// the unit since migration 0054).
#[tokio::test]
async fn people_are_found_by_their_units_name_as_it_is_renamed() {
    let db = TestDb::with_demo().await;
    let found = |q: &'static str| {
        let store = db.store.clone();
        async move {
            store
                .search_people(&tdkt_store::people::PeopleScope::All, q, None, 10)
                .await
                .unwrap()
                .into_iter()
                .map(|p| p.full_name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("do hoang nam noi vu").await, ["Đỗ Hoàng Nam"]);
    assert!(found("do hoang nam ton giao").await.is_empty());
    let rename = NewLineageEvent {
        kind: LineageKind::Rename,
        effective: date!(2026 - 01 - 01),
        from: vec!["can-tho.so-noi-vu".into()],
        to: vec![],
        new_value: Some("Sở Dân tộc và Tôn giáo thành phố Cần Thơ".into()),
        note: String::new(),
    };
    db.store.record_lineage("t", &rename).await.unwrap();
    assert_eq!(found("do hoang nam ton giao").await, ["Đỗ Hoàng Nam"]);
    assert!(found("do hoang nam noi vu").await.is_empty());
    // a person added to the renamed unit is found by its new name
    let new = NewPerson::parse(
        "Đỗ Thị Lan",
        "nữ",
        "1990-03-04",
        "092190001234",
        "can-tho.so-noi-vu",
        "",
        false,
        date!(2026 - 02 - 01),
    )
    .unwrap();
    db.store
        .create_person("t", &new, date!(2026 - 02 - 01))
        .await
        .unwrap();
    assert_eq!(found("do lan ton giao").await, ["Đỗ Thị Lan"]);
    assert!(found("do lan noi vu").await.is_empty());
}
