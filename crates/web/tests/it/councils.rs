//! The council over HTTP: the officer of Cần Thơ sees its council, creates a
//! session with a dossier held at the city, is refused the vote below
//! quorum with the numbers, marks attendance, opens the vote; the members
//! (among them `hoidong.cantho`) vote on the ballot page; the close records
//! the result on the whole membership, and the minutes render as a page and
//! as DOCX; the dossier's checklist links to them.

use axum::http::StatusCode;
use tdkt_core::catalogue::Recipient;
use tdkt_store::dossiers::{NewDossier, NewRecipient};
use tdkt_web::testing::TestApp;

#[tokio::test]
async fn a_council_session_is_held_voted_by_its_members_and_minuted_over_http() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let city = tdkt_store::demo::load_council(store).await.unwrap();
    let person = store
        .person_by_cccd("092191938273")
        .await
        .unwrap()
        .unwrap()
        .id;
    let dossier = store
        .create_dossier(
            "test",
            &NewDossier {
                unit_id: city,
                award_code: "chien-si-thi-dua-toan-quoc".into(),
                kind: Recipient::Individual,
                year: 2025,
                title: String::new(),
                received_on: tdkt_core::date::today_vn(),
                recipients: vec![NewRecipient::Person(person)],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap();

    // published for comment from 02/11/2026: 10 working days are over by
    // the session of 01/12/2026 (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP)
    let start = time::macros::date!(2026 - 11 - 02);
    store
        .publish_disclosure(
            &tdkt_core::access::Principal {
                user_id: 1,
                username: "canbo.cantho".into(),
                full_name: "canbo.cantho".into(),
                role: tdkt_core::access::Role::Officer,
                scope_unit: Some(city),
            },
            &tdkt_store::disclosures::NewDisclosure {
                title: "Công khai danh sách đề nghị".into(),
                starts_on: start,
                ends_on: None,
                dossiers: vec![(dossier, String::new())],
            },
            start,
        )
        .await
        .unwrap();

    let mut officer = app.login("canbo.cantho").await;
    let r = officer.get("/councils/can-tho").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("Thành viên Hội đồng TĐKT Cần Thơ"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Chủ tịch Hội đồng"));
    let r = officer.get("/councils/can-tho/sessions/new").await;
    assert!(r.body.contains(&format!("Hồ sơ #{dossier}")), "{}", r.body);
    let d = dossier.to_string();
    let r = officer
        .post_form(
            "/councils/can-tho/sessions",
            &[
                ("held_on", "01/12/2026"),
                ("place", "Trụ sở UBND thành phố"),
                ("dossier", &d),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.landing().unwrap().to_owned();

    // nobody marked present: refused with the numbers
    let r = officer.post_form(&format!("{url}/open"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("0/3"), "{}", r.body);
    assert!(r.body.contains("2/3"), "{}", r.body);

    let ids: Vec<String> = store
        .council_members(city, time::macros::date!(2026 - 12 - 01))
        .await
        .unwrap()
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    let present: Vec<(&str, &str)> = ids.iter().map(|i| ("present", i.as_str())).collect();
    let r = officer
        .post_form(&format!("{url}/attendance"), &present)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = officer.post_form(&format!("{url}/open"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let session_id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
    let ballot = store
        .council_session(session_id)
        .await
        .unwrap()
        .ballot_id
        .unwrap();
    let page = officer.get(&url).await;
    assert!(
        page.body.contains(&format!("/ballots/{ballot}")),
        "{}",
        page.body
    );

    // each member votes on the ballot page
    for member in ["hoidong.cantho", "xem.cantho", "canbo.cantho"] {
        let mut c = app.login(member).await;
        let r = c.get(&format!("/ballots/{ballot}")).await;
        assert_eq!(r.status, StatusCode::OK, "{member}: {}", r.body);
        let r = c
            .post_form(&format!("/ballots/{ballot}/vote"), &[("yn-0", "yes")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{member}: {}", r.body);
        assert!(r.body.contains("Mã biên nhận"), "{}", r.body);
    }
    // a council member cannot close the session
    let mut member = app.login("hoidong.cantho").await;
    let r = member.post_form(&format!("{url}/close"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    let r = officer.post_form(&format!("{url}/close"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = officer.get(&url).await;
    assert!(page.body.contains("Đạt"), "{}", page.body);
    let minutes = member.get(&format!("{url}/minutes")).await;
    assert_eq!(minutes.status, StatusCode::OK, "{}", minutes.body);
    assert!(
        minutes
            .body
            .contains("3/3 (100%) tính trên tổng số thành viên Hội đồng"),
        "{}",
        minutes.body
    );
    // the frame of NĐ 30/2020: the council issues it, signers side by side
    for part in [
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "Số: ……/BB-HĐTĐKT",
        "Độc lập - Tự do - Hạnh phúc",
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỌA PHIÊN HỌP",
    ] {
        assert!(minutes.body.contains(part), "«{part}»: {}", minutes.body);
    }
    let docx = officer.get(&format!("{url}/minutes.docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.bytes.starts_with(b"PK"));
    let page = officer.get(&format!("/dossiers/{dossier}")).await;
    assert!(
        page.body
            .contains(&format!("/council-sessions/{session_id}/minutes")),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn an_officer_ends_a_membership_from_the_web_and_the_council_counts_one_fewer() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let city = tdkt_store::demo::load_council(store).await.unwrap();
    let today = tdkt_core::date::today_vn();
    let member = store
        .council_members(city, today)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.username == "hoidong.cantho")
        .unwrap();
    let mut officer = app.login("canbo.cantho").await;
    let page = officer.get("/councils/can-tho").await;
    let action = format!("/councils/can-tho/members/{}/end", member.id);
    assert!(page.body.contains(&action), "{}", page.body);

    // a day before the membership began is refused, in Vietnamese
    let r = officer.post_form(&action, &[("to", "30/06/2025")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("sau ngày bắt đầu"), "{}", r.body);
    let r = officer.post_form(&action, &[("to", "31/02/2026")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // the member's last day is yesterday: today's council has one fewer
    let before = store.council_members(city, today).await.unwrap().len();
    let yesterday = tdkt_core::date::format_vn(today.previous_day().unwrap());
    let r = officer
        .post_form(&action, &[("to", yesterday.as_str())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = store.council_members(city, today).await.unwrap();
    assert_eq!(now.len(), before - 1);
    assert!(now.iter().all(|m| m.username != "hoidong.cantho"));
    let page = officer.get("/councils/can-tho").await;
    assert!(page.body.contains("đã thôi"), "{}", page.body);
    assert!(
        !page.body.contains(&action),
        "an ended membership offers no end"
    );

    // a member of another council (Sở Xây dựng's, in the city's subtree)
    // is not found through the city's; a viewer may not end a membership
    let so = store.unit_by_code("can-tho.so-xay-dung").await.unwrap().id;
    let other = store
        .add_council_member(
            "test",
            so,
            &tdkt_store::councils::NewMember::parse("xem.cantho", "uy-vien", "01/07/2025", "")
                .unwrap(),
        )
        .await
        .unwrap();
    let r = officer
        .post_form(
            &format!("/councils/can-tho/members/{other}/end"),
            &[("to", yesterday.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(store.council_member(other).await.unwrap().to_date.is_none());
    let mut viewer = app.login("xem.cantho").await;
    let r = viewer
        .post_form(&action, &[("to", yesterday.as_str())])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
