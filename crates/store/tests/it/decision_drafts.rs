//! A decision while it is a draft, on both backends: edited (number, date,
//! signer, list) and deleted, each audited; an issued decision is never
//! edited nor deleted. And the positive path of the dossier flow: issuing a
//! decision that answers a dossier ready at its last level closes it.

use tdkt_core::catalogue::Recipient;
use tdkt_core::decision::{NewDecision, Symbol, DEFAULT_BASES};
use tdkt_store::decisions::AuthorityInput;
use tdkt_store::dossiers::{DossierAction, NewDossier, NewRecipient};
use tdkt_store::testing::{memory_files, officer, TestDb};
use tdkt_store::{Store, StoreError};
use time::macros::date;

async fn can_tho(s: &Store) -> i64 {
    let u = s.unit_by_code("can-tho").await.unwrap();
    s.set_decision_authority(
        "test",
        u.id,
        &AuthorityInput {
            abbreviation: "UBND".into(),
            body: "Ủy ban nhân dân thành phố Cần Thơ".into(),
            parent_body: String::new(),
            place: "Cần Thơ".into(),
            signer_title: "CHỦ TỊCH".into(),
        },
    )
    .await
    .unwrap();
    u.id
}

fn header(number: &str, on: &str, signer: &str) -> NewDecision {
    NewDecision::parse(
        &Symbol::parse("UBND").unwrap(),
        number,
        on,
        signer,
        "CHỦ TỊCH",
        "Về việc tặng Bằng khen",
        DEFAULT_BASES,
        None,
        tdkt_core::date::today_vn(),
    )
    .unwrap()
}

async fn lines(s: &Store, csv: &str) -> tdkt_store::decisions::file::Recipients {
    let (h, rows, _) =
        tdkt_store::awards::file::read_bytes("ds.csv", csv.as_bytes().to_vec()).unwrap();
    s.read_recipients(&h, rows).await.unwrap().unwrap()
}

const ONE: &str = "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích
cá nhân,092191938273,,Bùi Thị Hồng Nhung,bang-khen-cap-tinh,2025
";
const TWO: &str = "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích
cá nhân,092191938273,,Bùi Thị Hồng Nhung,bang-khen-cap-tinh,2025
tập thể,,can-tho.so-xay-dung,,bang-khen-cap-tinh,2025
";

async fn audited(s: &Store, id: i64, action: &str) -> usize {
    s.recent_audit(10_000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.entity == "decision" && e.entity_id == id.to_string() && e.action == action)
        .count()
}

#[tokio::test]
async fn a_draft_is_edited_and_deleted_with_an_audit_event_each() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let one = lines(s, ONE).await;
    let id = s
        .create_decision(
            "test",
            unit,
            &header("20", "2026-07-01", "Nguyễn Văn B"),
            &one.lines,
            &one.names,
        )
        .await
        .unwrap();
    let two = lines(s, TWO).await;

    s.update_decision_draft(
        "test",
        id,
        &header("21", "2026-07-02", "Trần Văn C"),
        &two.lines,
        &two.names,
    )
    .await
    .unwrap();

    let d = s.decision(id).await.unwrap();
    assert_eq!(d.number, "21/QĐ-UBND");
    assert_eq!(d.decided_on, date!(2026 - 07 - 02));
    assert_eq!(d.signer_name, "Trần Văn C");
    assert_eq!(s.decision_lines(id).await.unwrap().len(), 2);
    assert_eq!(audited(s, id, "update").await, 1);
    // the old number is free again, the new one taken
    let other = s
        .create_decision(
            "test",
            unit,
            &header("20", "2026-07-01", "Nguyễn Văn B"),
            &one.lines,
            &one.names,
        )
        .await
        .unwrap();
    let e = s
        .update_decision_draft(
            "test",
            other,
            &header("21", "2026-07-01", "Nguyễn Văn B"),
            &one.lines,
            &one.names,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict("number", _)), "{e:?}");
    assert_eq!(
        s.decision(other).await.unwrap().number,
        "20/QĐ-UBND",
        "nothing changed"
    );

    s.delete_decision_draft("test", id).await.unwrap();
    assert!(matches!(s.decision(id).await, Err(StoreError::NotFound(_))));
    assert_eq!(audited(s, id, "delete").await, 1);
    assert!(
        s.verify_audit().await.unwrap().is_ok(),
        "the chain still verifies"
    );
}

#[tokio::test]
async fn an_issued_decision_is_never_edited_nor_deleted() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let one = lines(s, ONE).await;
    let id = s
        .create_decision(
            "test",
            unit,
            &header("30", "2026-07-01", "Nguyễn Văn B"),
            &one.lines,
            &one.names,
        )
        .await
        .unwrap();
    s.issue_decision("test", id).await.unwrap();
    let head = s.audit_head().await.unwrap();

    let edit = s
        .update_decision_draft(
            "test",
            id,
            &header("31", "2026-07-01", "Trần Văn C"),
            &one.lines,
            &one.names,
        )
        .await
        .unwrap_err();
    let delete = s.delete_decision_draft("test", id).await.unwrap_err();

    for e in [&edit, &delete] {
        assert!(matches!(e, StoreError::Conflict("status", _)), "{e:?}");
        assert!(e.to_string().contains("đã ban hành"), "{e}");
    }
    let d = s.decision(id).await.unwrap();
    assert!(d.issued());
    assert_eq!(
        (d.number.as_str(), d.signer_name.as_str()),
        ("30/QĐ-UBND", "Nguyễn Văn B")
    );
    assert_eq!(s.decision_lines(id).await.unwrap().len(), 1);
    assert_eq!(s.audit_head().await.unwrap(), head, "nothing audited");
}

#[tokio::test]
async fn issuing_a_decision_closes_the_dossier_ready_at_its_last_level() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let unit = can_tho(s).await;
    let tc = s.unit_by_code("can-tho.so-tai-chinh").await.unwrap().id;
    let dossier = s
        .create_dossier(
            "test",
            &NewDossier {
                unit_id: tc,
                award_code: "bang-khen-cap-tinh".into(),
                kind: Recipient::Collective,
                year: 2025,
                title: String::new(),
                received_on: date!(2026 - 06 - 01),
                recipients: vec![NewRecipient::Unit(tc)],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap();
    db.attach_checklist(&memory_files(), "test", dossier, &[])
        .await;
    s.act_on_dossier(
        &officer(tc, "so"),
        dossier,
        &DossierAction::Forward,
        date!(2026 - 06 - 02),
    )
    .await
    .unwrap();
    s.act_on_dossier(
        &officer(unit, "city"),
        dossier,
        &DossierAction::Forward,
        date!(2026 - 06 - 03),
    )
    .await
    .unwrap();
    assert_eq!(s.dossier(dossier).await.unwrap().status, "ready");
    let list = lines(
        s,
        "Loại đối tượng,Mã đơn vị,Danh hiệu,Năm thành tích\ntập thể,can-tho.so-tai-chinh,bang-khen-cap-tinh,2025\n",
    )
    .await;
    let mut head = header("40", "2026-07-01", "Nguyễn Văn B");
    head.dossier_id = Some(dossier);
    let id = s
        .create_decision("test", unit, &head, &list.lines, &list.names)
        .await
        .unwrap();

    let issued = s.issue_decision("test", id).await.unwrap();

    let d = s.dossier(dossier).await.unwrap();
    assert_eq!(d.status, "decided");
    assert_eq!(d.decision_id, Some(id));
    assert_eq!(issued.records.len(), 1);
    let view = s.dossier_view(dossier).await.unwrap();
    assert_eq!(view.events.last().unwrap().action, "decide");
    assert!(s
        .dossiers_ready_for_decision(unit)
        .await
        .unwrap()
        .iter()
        .all(|r| r.id != dossier));
}
