//! Authorization holes of issue 12, each closed and proved: read-only roles
//! of a member unit never score (item 1), a full CCCD is no search oracle
//! and the mask hides the birth year (item 2), out-of-scope ids answer as
//! missing ones (item 7), ballot voters are chosen, not typed (item 12),
//! rubrics belong to a unit and its subtree (item 13). SQLite by default,
//! PostgreSQL with `TDKT_TEST_DATABASE_URL=postgres://…`.

use axum::http::{Method, StatusCode};
use serde_json::json;
use tdkt_web::testing::{Client, TestApp};

const RUBRIC: &str = r#"[
 {"code":"1","title":"Thực hiện nhiệm vụ","max":"60","kind":"manual"},
 {"code":"2","title":"Công tác thi đua, khen thưởng","max":"40","kind":"manual"}
]"#;

async fn save_rubric(c: &mut Client<'_>, code: &str, unit: &str) -> (StatusCode, String) {
    let r = c
        .post_form(
            "/scoring/rubrics",
            &[
                ("code", code),
                ("title", "Bảng tiêu chí thử"),
                ("json", RUBRIC),
                ("unit", unit),
            ],
        )
        .await;
    (r.status, r.landing().unwrap_or_default().to_owned())
}

/// A round of Cần Thơ whose members are Cần Thơ (the scope unit of
/// `xem.cantho` and `hoidong.cantho`), Hậu Giang and Sóc Trăng, led by Cần Thơ.
async fn can_tho_round(app: &TestApp) -> i64 {
    let mut officer = app.login("canbo.cantho").await;
    let (status, _) = save_rubric(&mut officer, "ct-2025", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let r = officer
        .post_form(
            "/scoring/rounds",
            &[
                ("unit", "can-tho"),
                ("title", "Chấm điểm năm 2025"),
                ("rubric", "ct-2025@1"),
                ("members", "can-tho, hau-giang, soc-trang"),
                ("leader", "can-tho"),
                ("aggregation", "mean"),
                ("trim", "0"),
                ("basis", "cross"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.landing()
        .and_then(|l| l.strip_prefix("/scoring/rounds/"))
        .and_then(|id| id.parse().ok())
        .expect("round id")
}

#[tokio::test]
async fn a_viewer_or_council_member_of_a_member_unit_cannot_self_score_cross_score_or_adjust() {
    let app = TestApp::demo().await;
    let id = can_tho_round(&app).await;
    let round = format!("/scoring/rounds/{id}");
    for user in ["xem.cantho", "hoidong.cantho"] {
        let mut c = app.login(user).await;
        // they may read the round of their unit, without any scoring form
        let page = c.get(&round).await;
        assert_eq!(page.status, StatusCode::OK, "{user}");
        assert!(!page.body.contains(r#"id="self-score""#), "{user}");
        for (path, fields) in [
            ("self", vec![("p-1", "50"), ("p-2", "30")]),
            ("cross", vec![("c-hau-giang", "80"), ("c-soc-trang", "70")]),
            (
                "adjust",
                vec![
                    ("member", "hau-giang"),
                    ("delta", "5"),
                    ("reason", "Điều chỉnh theo biên bản họp cụm"),
                ],
            ),
        ] {
            let r = c.post_form(&format!("{round}/{path}"), &fields).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{user} {path}: {}", r.body);
        }
    }
    // nothing was recorded
    let info = app.db.store.scoring_round(id).await.unwrap();
    assert!(info.round.self_scores.is_empty());
    assert!(info.round.adjustments.is_empty());
    // a submitting account of a member unit still scores for it
    let mut st = app.login("cum.soc-trang").await;
    let r = st
        .post_form(&format!("{round}/self"), &[("p-1", "50"), ("p-2", "30")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_full_cccd_search_finds_someone_only_for_roles_that_may_see_the_number() {
    let app = TestApp::demo().await;
    // Trần Thị Hà, Sở Xây dựng Hậu Giang (in Cần Thơ's subtree since 2025)
    let cccd = "093182124906";
    let found = |v: &serde_json::Value| v["items"].as_array().map_or(0, Vec::len);
    let mut officer = app.login("canbo.cantho").await;
    let r = officer.get(&format!("/api/v1/people?q={cccd}")).await;
    assert_eq!(found(&r.json()), 1, "{}", r.body);
    let r = officer.get(&format!("/api/v1/search?q={cccd}")).await;
    assert!(
        r.json()["awards"].as_array().is_some_and(|a| !a.is_empty()),
        "{}",
        r.body
    );

    // reading roles of the same subtree, an officer of another subtree:
    // answered exactly as a number nobody holds
    let nobody = "093182000000";
    for user in [
        "xem.cantho",
        "hoidong.cantho",
        "nop.xaydung.hg",
        "canbo.soctrang",
    ] {
        let mut c = app.login(user).await;
        for path in [
            "/api/v1/people?q=",
            "/api/v1/search?q=",
            "/people?q=",
            "/search?q=",
        ] {
            let held = c.get(&format!("{path}{cccd}")).await;
            let free = c.get(&format!("{path}{nobody}")).await;
            assert_eq!(held.status, free.status, "{user} {path}");
            assert_eq!(
                held.body.replace(cccd, "N"),
                free.body.replace(nobody, "N"),
                "{user} {path}"
            );
            assert!(!held.body.contains("Trần Thị Hà"), "{user} {path}");
        }
        // a name search still finds her for readers of the subtree
        if user != "canbo.soctrang" {
            let r = c.get("/api/v1/people?q=tran%20thi%20ha").await;
            assert!(found(&r.json()) >= 1, "{user}: {}", r.body);
        }
    }
}

#[tokio::test]
async fn the_masked_cccd_shows_only_its_last_three_digits_not_the_birth_year() {
    let app = TestApp::demo().await;
    let ha = app
        .db
        .store
        .person_by_cccd("093182124906")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ha.cccd_masked, "*********906");
    let mut viewer = app.login("xem.cantho").await;
    let page = viewer.get(&format!("/people/{}", ha.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("*********906"), "{}", page.body);
    assert!(!page.body.contains("0931"), "{}", page.body);
    let api = viewer
        .get(&format!("/api/v1/people/{}", ha.id))
        .await
        .json();
    assert_eq!(api["cccd_masked"], json!("*********906"));
    assert!(api.get("cccd").is_none(), "{api}");
}

#[tokio::test]
async fn an_out_of_scope_nominee_is_answered_exactly_as_a_missing_one() {
    let app = TestApp::demo().await;
    let unit = "soc-trang.so-xay-dung";
    let mut st = app.login("canbo.soctrang").await;
    let r = st
        .post_form(
            &format!("/units/{unit}/proposals"),
            &[
                ("year", "2024"),
                ("award", "lao-dong-tien-tien"),
                ("kind", "person"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = r.landing().unwrap().to_owned();
    // Hà Thị Thảo works in Hà Nội: this officer gets 404 for her
    let thao = app
        .db
        .store
        .person_by_cccd("001192600381")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        st.get(&format!("/people/{}", thao.id)).await.status,
        StatusCode::NOT_FOUND
    );
    let missing = 987_654_i64;
    let out = st
        .post_form(
            &format!("{list}/entries"),
            &[("nominee", &thao.id.to_string())],
        )
        .await;
    let none = st
        .post_form(
            &format!("{list}/entries"),
            &[("nominee", &missing.to_string())],
        )
        .await;
    assert_eq!(out.status, none.status);
    assert!(!out.body.contains(&thao.full_name), "{}", out.body);
    assert_eq!(
        out.body.replace(&format!("#{}", thao.id), "#N"),
        none.body.replace(&format!("#{missing}"), "#N")
    );
}

async fn post_pairs(
    c: &mut Client<'_>,
    f: Vec<(&'static str, String)>,
) -> tdkt_web::testing::TestResponse {
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_form("/ballots", &fields).await
}

#[tokio::test]
async fn ballot_voters_are_chosen_among_accounts_in_scope_and_others_get_one_message() {
    let app = TestApp::demo().await;
    // Cần Thơ's officer (Sóc Trăng is in Cần Thơ since 2025, and a ballot is
    // opened today for a unit in being): the form offers the accounts of
    // Cần Thơ's subtree, Sóc Trăng's included, not Long An's nor the admin
    let mut st = app.login("canbo.cantho").await;
    let page = st.get("/ballots").await;
    assert!(
        page.body.contains(r#"data-username="cum.soc-trang""#),
        "{}",
        page.body
    );
    assert!(!page.body.contains("cum.long-an"), "{}", page.body);
    assert!(!page.body.contains(r#"data-username="admin""#));
    assert!(
        !page.body.contains(r#"name="voters""#),
        "no free-text voter list"
    );
    let form = |voter: String| {
        vec![
            ("unit", "can-tho".to_owned()),
            ("title", "Bình xét Cờ thi đua".to_owned()),
            ("question", "yes-no".to_owned()),
            ("candidates", "can-tho.so-xay-dung".to_owned()),
            ("quorum_num", "2".to_owned()),
            ("quorum_den", "3".to_owned()),
            ("percent", "70".to_owned()),
            ("base", "eligible".to_owned()),
            ("voter", voter),
        ]
    };
    let long_an = app.account_id("cum.long-an").await;
    let out = post_pairs(&mut st, form(long_an.to_string())).await;
    let unknown = post_pairs(&mut st, form("987654".into())).await;
    assert_eq!(out.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", out.body);
    assert_eq!(unknown.status, out.status);
    assert!(
        !out.body.contains("Không tìm thấy tài khoản"),
        "{}",
        out.body
    );
    assert!(out.body.contains("Cử tri phải được chọn"), "{}", out.body);
    // the API: an unknown and an out-of-scope user name, one answer
    let body = |voter: &str| {
        json!({
            "unit": "can-tho", "title": "Bình xét", "question": {"kind": "yes-no"},
            "candidates": [{"id": "a", "name": "A"}],
            "voters": [voter], "quorum": {"num": 1, "den": 2},
            "threshold": {"percent": 50, "base": "eligible"},
        })
    };
    let a = st
        .json(Method::POST, "/api/v1/ballots", &body("cum.long-an"))
        .await;
    let b = st
        .json(Method::POST, "/api/v1/ballots", &body("khong-ai-ca"))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert_eq!((a.status, a.body.clone()), (b.status, b.body.clone()));
    // an account in scope is accepted
    let ok = post_pairs(
        &mut st,
        form(app.account_id("cum.soc-trang").await.to_string()),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}

#[tokio::test]
async fn rubrics_belong_to_a_unit_and_only_its_subtree_publishes_versions() {
    let app = TestApp::demo().await;
    let mut ct = app.login("canbo.cantho").await;
    let (status, to) = save_rubric(&mut ct, "cum-ct", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/scoring/rubrics/cum-ct?version=1");
    // Sóc Trăng lies inside Cần Thơ since 2025, not the other way round
    let mut st = app.login("canbo.soctrang").await;
    let (status, _) = save_rubric(&mut st, "cum-ct", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // naming another owner does not help: an existing code keeps its own
    let (status, _) = save_rubric(&mut st, "cum-ct", "soc-trang").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.db.store.rubric("cum-ct", None).await.unwrap().version,
        1
    );
    // nor may it create a rubric owned outside its subtree
    let (status, _) = save_rubric(&mut st, "cum-moi", "can-tho").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // its own rubric, yes; and Cần Thơ's officer may version it (subtree)
    let (status, _) = save_rubric(&mut st, "cum-st", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, to) = save_rubric(&mut ct, "cum-st", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/scoring/rubrics/cum-st?version=2");
    let (_, to) = save_rubric(&mut ct, "cum-ct", "").await;
    assert_eq!(to, "/scoring/rubrics/cum-ct?version=2");
    // a national rubric (the admin's, no unit): officers may not version it
    let mut admin = app.login("admin").await;
    let (status, _) = save_rubric(&mut admin, "quoc-gia", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = save_rubric(&mut ct, "quoc-gia", "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.db.store.rubric_owner("quoc-gia").await.unwrap(),
        Some(None)
    );
    let (status, _) = save_rubric(&mut admin, "cum-ct", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
