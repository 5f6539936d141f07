//! Reports of achievements and reminders on both backends: the draft covers
//! the years the award's rule reads, with the recipient's own ratings; a
//! report older than 6 months stops a forward and changes nothing, a fresh
//! one lets it go; an upload without a date, dated in the future or already
//! too old is refused; the reminders name the overdue dossier at the level
//! holding it and an indicator report not sent; a digest is recorded once
//! a day.

use tdkt_core::access::{Principal, Role};
use tdkt_core::eligibility::EvalContext;
use tdkt_core::period::Period;
use tdkt_core::reminder::ReminderKind;
use tdkt_store::achievements::document_date;
use tdkt_store::attachments::{Attachments, Owner};
use tdkt_store::dossiers::DossierAction;
use tdkt_store::testing::{memory_files, TestDb, SO_XAY_DUNG};
use tdkt_store::StoreError;
use time::macros::date;
use time::Duration;

const REPORT: &str = "bao-cao-thanh-tich";

fn principal(unit: Option<i64>, name: &str, role: Role) -> Principal {
    Principal {
        user_id: 1,
        username: name.to_owned(),
        full_name: name.to_owned(),
        role,
        scope_unit: unit,
    }
}

/// A Bằng khen của Thủ tướng for the Sở Xây dựng Cần Thơ's specialist, with
/// every document but the report attached.
async fn dossier(db: &TestDb, f: &Attachments) -> (i64, i64) {
    let id = db
        .specialist_dossier("bang-khen-thu-tuong", "Bằng khen Thủ tướng 2025")
        .await;
    db.attach_checklist(f, "canbo", id, &[REPORT]).await;
    let so = db.unit_id(SO_XAY_DUNG).await;
    (id, so)
}

async fn report(db: &TestDb, f: &Attachments, id: i64, name: &str, dated: time::Date) {
    f.put_dated(
        &db.store,
        "canbo",
        Owner {
            kind: "dossier",
            id,
            document: REPORT,
        },
        name,
        format!("%PDF-1.7\n{name}\n%%EOF\n").into_bytes(),
        Some(dated),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_draft_covers_the_years_the_rule_reads_with_the_recipients_ratings() {
    let db = TestDb::with_demo().await;
    let f = memory_files();
    let (id, _) = dossier(&db, &f).await;
    let r = db.store.dossier_view(id).await.unwrap().recipients[0].clone();
    let a = db
        .store
        .achievement_draft(id, r.id, date!(2026 - 01 - 10))
        .await
        .unwrap();
    // the window is the rule's, not a number of this module
    let rules = tdkt_store::rules::current();
    let award = rules.catalogue().id("bang-khen-thu-tuong").unwrap();
    let inputs = db
        .store
        .person_inputs(rules.catalogue(), r.person_id.unwrap())
        .await
        .unwrap();
    let scope: Vec<&str> = inputs.scope.iter().map(String::as_str).collect();
    let rule = rules
        .eligibility()
        .rule_in(award, EvalContext::year_end(2025).at, &scope)
        .unwrap();
    assert_eq!((a.facts.from, a.facts.to), rule.years_examined(2025));
    assert!(
        a.facts.from < a.facts.to,
        "{:?}",
        (a.facts.from, a.facts.to)
    );
    assert_eq!(a.facts.name, "Bùi Thị Hồng Nhung");
    let text = &a.draft.text;
    for year in a.facts.from..=a.facts.to {
        assert!(text.contains(&format!("Năm {year}: ")), "{year}: {text}");
    }
    for (year, rating, _) in &inputs.ratings {
        if (a.facts.from..=a.facts.to).contains(year) {
            assert!(
                text.contains(&format!("Năm {year}: {}", rating.label())),
                "{year}: {text}"
            );
        }
    }
    assert!(a
        .draft
        .subject
        .contains("Bằng khen của Thủ tướng Chính phủ"));
    assert_eq!(a.place, "Cần Thơ");
    // an unknown recipient is not found
    assert!(matches!(
        db.store
            .achievement_draft(id, r.id + 999, date!(2026 - 01 - 10))
            .await,
        Err(StoreError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_report_older_than_six_months_stops_the_forward_and_a_fresh_one_lets_it_go() {
    let db = TestDb::with_demo().await;
    let f = memory_files();
    let (id, so) = dossier(&db, &f).await;
    let officer = principal(Some(so), "canbo.so", Role::Officer);
    let today = date!(2026 - 01 - 10);
    report(&db, &f, id, "bc-cu.pdf", date!(2025 - 07 - 09)).await;
    let audits = db.store.recent_audit(10_000).await.unwrap().len();
    let e = db
        .store
        .act_on_dossier(&officer, id, &DossierAction::Forward, today)
        .await
        .unwrap_err();
    let StoreError::Invalid(e) = e else {
        panic!("{e:?}")
    };
    assert_eq!(e.field(), "report_date");
    assert!(
        e.message().contains("«bc-cu.pdf» lập ngày 09/7/2025"),
        "{e}"
    );
    assert!(
        e.message().contains("khoản 9 Điều 33 NĐ 152/2025/NĐ-CP"),
        "{e}"
    );
    assert_eq!(db.store.dossier(id).await.unwrap().status, "draft");
    assert_eq!(db.store.recent_audit(10_000).await.unwrap().len(), audits);

    // six months to the day is still in time
    report(&db, &f, id, "bc-moi.pdf", date!(2025 - 07 - 10)).await;
    let d = db
        .store
        .act_on_dossier(&officer, id, &DossierAction::Forward, today)
        .await
        .unwrap();
    assert_eq!((d.status.as_str(), d.step), ("pending", 1));
}

#[tokio::test]
async fn an_upload_of_a_report_needs_a_past_date_no_older_than_six_months() {
    let today = date!(2026 - 12 - 06);
    let e = document_date(REPORT, "bc.pdf", None, today).unwrap_err();
    assert!(e.to_string().contains("cần ghi ngày lập báo cáo"), "{e}");
    let e = document_date(REPORT, "bc.pdf", Some(date!(2026 - 12 - 07)), today).unwrap_err();
    assert!(e.to_string().contains("sau ngày hôm nay"), "{e}");
    let e = document_date(REPORT, "bc.pdf", Some(date!(2026 - 06 - 05)), today).unwrap_err();
    assert!(e.to_string().contains("quá 6 tháng"), "{e}");
    assert_eq!(
        document_date(REPORT, "bc.pdf", Some(date!(2026 - 06 - 06)), today).unwrap(),
        Some(date!(2026 - 06 - 06))
    );
    // other documents keep no date
    assert_eq!(
        document_date("to-trinh", "tt.pdf", Some(today), today).unwrap(),
        None
    );
}

#[tokio::test]
async fn reminders_name_the_overdue_dossier_at_its_level_and_an_unsent_indicator_report() {
    let db = TestDb::with_demo().await;
    let f = memory_files();
    let (id, so) = dossier(&db, &f).await;
    report(&db, &f, id, "bc.pdf", date!(2026 - 01 - 02)).await;
    let officer = principal(Some(so), "canbo.so", Role::Officer);
    db.store
        .act_on_dossier(&officer, id, &DossierAction::Forward, date!(2026 - 01 - 10))
        .await
        .unwrap();
    let v = db.store.dossier_view(id).await.unwrap();
    let due = v
        .due
        .as_ref()
        .expect("a state-level dossier has a due date at the city")
        .due;
    let city = principal(
        Some(v.holder().unwrap().unit_id),
        "canbo.cantho",
        Role::Officer,
    );
    let late = due + Duration::days(1);
    let list = db.store.reminders_for(&city, late).await.unwrap();
    let r = list
        .iter()
        .find(|r| r.link == format!("/dossiers/{id}"))
        .unwrap_or_else(|| panic!("{list:?}"));
    assert_eq!(r.kind, ReminderKind::Dossier);
    assert!(r.overdue);
    assert_eq!(r.due, due);
    // on the due day itself it is due, not overdue
    let on_day = db.store.reminders_for(&city, due).await.unwrap();
    assert!(on_day
        .iter()
        .any(|r| r.link == format!("/dossiers/{id}") && !r.overdue));
    // the Sở no longer holds it: no reminder there
    let so_list = db.store.reminders_for(&officer, late).await.unwrap();
    assert!(!so_list.iter().any(|r| r.link == format!("/dossiers/{id}")));

    // an indicator deadline a member has not reported
    let cluster = db
        .store
        .create_cluster(
            "test",
            &tdkt_store::clusters::NewCluster::parse(
                "khoi-kinh-te",
                "2026",
                "Khối thi đua các sở kinh tế",
                "block",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    db.store
        .add_cluster_member("test", cluster.id, "can-tho.so-xay-dung")
        .await
        .unwrap();
    let period = Period::parse(&format!("{}-Q4", cluster.year)).unwrap();
    // a member with nothing reported for the period
    let member = db
        .store
        .reporting_status(cluster.id, period)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.reported == 0)
        .expect("a member has not reported")
        .unit;
    let deadline = date!(2026 - 12 - 10);
    db.store
        .set_deadline("test", cluster.id, period, deadline)
        .await
        .unwrap();
    let admin = principal(None, "admin", Role::Admin);
    let list = db
        .store
        .reminders_for(&admin, date!(2026 - 12 - 12))
        .await
        .unwrap();
    let r = list
        .iter()
        .find(|r| r.kind == ReminderKind::IndicatorReport && r.title.contains(&member.name))
        .unwrap_or_else(|| panic!("{list:?}"));
    assert!(r.overdue);
    assert_eq!(
        r.link,
        format!("/clusters/{}/{}", cluster.key, cluster.year)
    );
    // overdue ones come first
    let first_due = list.iter().position(|r| !r.overdue).unwrap_or(list.len());
    assert!(list[..first_due].iter().all(|r| r.overdue));
}

#[tokio::test]
async fn a_digest_is_recorded_once_a_day_and_an_address_is_checked() {
    let db = TestDb::with_demo().await;
    let acc = db.store.accounts().await.unwrap()[0].clone();
    let e = db
        .store
        .set_account_email("test", acc.id, "không phải địa chỉ")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(d) if d.field() == "email"),
        "{e:?}"
    );
    db.store
        .set_account_email("test", acc.id, "canbo@cantho.gov.vn")
        .await
        .unwrap();
    let with: Vec<_> = db.store.accounts_with_email().await.unwrap();
    assert!(with
        .iter()
        .any(|a| a.id == acc.id && a.email == "canbo@cantho.gov.vn"));

    let day = date!(2026 - 12 - 06);
    assert!(!db.store.reminder_sent(acc.id, day).await.unwrap());
    db.store
        .record_reminder(
            "test",
            acc.id,
            day,
            "canbo@cantho.gov.vn",
            "[tdkt] Nhắc việc",
            2,
        )
        .await
        .unwrap();
    assert!(db.store.reminder_sent(acc.id, day).await.unwrap());
    assert!(!db
        .store
        .reminder_sent(acc.id, day + Duration::days(1))
        .await
        .unwrap());
    let again = db
        .store
        .record_reminder(
            "test",
            acc.id,
            day,
            "canbo@cantho.gov.vn",
            "[tdkt] Nhắc việc",
            2,
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict("reminder", _))),
        "{again:?}"
    );
}
