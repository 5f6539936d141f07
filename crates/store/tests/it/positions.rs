//! Dated positions (issue 13, migration 0047) on both backends: a new
//! current position closes the one held until then, an overlap or a
//! reversed period is refused naming the field and writes nothing, the
//! person's column follows the open period, the position held on a day is
//! read from the history, and each change is audited with its Vietnamese
//! action name.

use tdkt_core::person::NewPosition;
use tdkt_store::testing::TestDb;
use tdkt_store::StoreError;
use time::macros::date;

fn pos(title: &str, leader: bool, from: &str, to: &str) -> NewPosition {
    NewPosition::parse(title, leader, from, to, date!(2026 - 12 - 06)).unwrap()
}

fn refused_field(r: Result<(), StoreError>) -> String {
    match r {
        Err(StoreError::Invalid(e)) => e.field().to_owned(),
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

#[tokio::test]
async fn a_promotion_closes_the_position_held_and_an_overlap_is_refused() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let id = s
        .search_people(&tdkt_store::people::PeopleScope::All, "", None, 1)
        .await
        .unwrap()[0]
        .id;
    let before = s.positions(id).await.unwrap();
    // every demo person with a position has it as an open period
    let person = s.person(id).await.unwrap();
    if person.position.is_empty() {
        assert!(before.is_empty());
    } else {
        assert_eq!(before.last().unwrap().title, person.position);
        assert!(before.last().unwrap().end_date.is_none());
    }
    // start from a clean history: a past position, then a current one
    for p in &before {
        s.delete_position("t", id, p.id).await.unwrap();
    }
    s.add_position(
        "t",
        id,
        &pos("Chuyên viên", false, "2015-03-01", "2019-12-31"),
    )
    .await
    .unwrap();
    s.add_position("t", id, &pos("Phó Trưởng phòng", true, "2020-01-01", ""))
        .await
        .unwrap();
    // promoted: the deputy's post ends the day before
    s.add_position("t", id, &pos("Trưởng phòng", true, "2024-07-01", ""))
        .await
        .unwrap();
    let history = s.positions(id).await.unwrap();
    let titles: Vec<_> = history.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng"]);
    assert_eq!(history[1].end_date, Some(date!(2024 - 06 - 30)));
    let now = s.person(id).await.unwrap();
    assert_eq!(
        (now.position.as_str(), now.is_leader),
        ("Trưởng phòng", true)
    );
    // what was held on a judged day comes from the history
    let held = s
        .position_on(id, date!(2019 - 12 - 31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (held.title.as_str(), held.is_leader),
        ("Chuyên viên", false)
    );
    assert_eq!(
        s.position_on(id, date!(2022 - 12 - 31))
            .await
            .unwrap()
            .unwrap()
            .title,
        "Phó Trưởng phòng"
    );
    assert!(s
        .position_on(id, date!(2010 - 01 - 01))
        .await
        .unwrap()
        .is_none());

    // an overlapping period: refused, naming the field, nothing written
    let field = refused_field(
        s.add_position("t", id, &pos("Thư ký", false, "2019-06-01", "2019-08-31"))
            .await,
    );
    assert_eq!(field, "position_from");
    // a correction that would overlap the next period: refused too
    let field = refused_field(
        s.edit_position(
            "t",
            id,
            history[0].id,
            &pos("Chuyên viên", false, "2015-03-01", "2020-01-01"),
        )
        .await,
    );
    assert_eq!(field, "position_from");
    // a new open period starting on the current one's first day: refused
    assert!(s
        .add_position("t", id, &pos("Giám đốc", true, "2024-07-01", ""))
        .await
        .is_err());
    assert_eq!(s.positions(id).await.unwrap(), history);

    // a correction within its own days is kept
    s.edit_position(
        "t",
        id,
        history[0].id,
        &pos("Chuyên viên chính", false, "2015-03-01", "2019-12-31"),
    )
    .await
    .unwrap();
    assert_eq!(s.positions(id).await.unwrap()[0].title, "Chuyên viên chính");
    // another person's period is not this person's
    assert!(matches!(
        s.delete_position("t", id + 1, history[2].id).await,
        Err(StoreError::NotFound(_))
    ));
    // removing the open period clears the column
    s.delete_position("t", id, history[2].id).await.unwrap();
    let now = s.person(id).await.unwrap();
    assert_eq!((now.position.as_str(), now.is_leader), ("", false));

    // each change audited on the person with the history before and after
    let events = s.recent_audit(20).await.unwrap();
    let e = events
        .iter()
        .find(|e| e.entity == "person" && e.action == "position")
        .expect("a position change is audited");
    assert_eq!(e.entity_id, id.to_string());
    assert!(e.before.as_deref().unwrap().contains("Trưởng phòng"));
    assert_eq!(
        tdkt_core::audit::names::action("position"),
        Some("Cập nhật quá trình giữ chức vụ")
    );
    assert!(s.verify_audit().await.unwrap().is_ok());
}
