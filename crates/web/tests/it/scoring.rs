//! Scoring pages: rubrics (JSON and XLSX), a round run by its members
//! (self-score, cross-score never of itself, leader adjustment), closing
//! with the stored ranking, proposals stored as nominations, and the role
//! and subtree gates of every route. SQLite by default, PostgreSQL with
//! `TDKT_TEST_DATABASE_URL=postgres://…`.

use axum::http::{Method, StatusCode};
use tdkt_web::testing::{Client, TestApp};

const RUBRIC: &str = r#"[
 {"code":"1","title":"Thực hiện chỉ tiêu kinh tế - xã hội","max":"60","kind":"group","children":[
   {"code":"1.1","title":"Tăng trưởng GRDP","max":"30","kind":"manual"},
   {"code":"1.2","title":"Thu ngân sách nhà nước","max":"30","kind":"manual"}]},
 {"code":"2","title":"Công tác thi đua, khen thưởng","max":"40","kind":"manual"},
 {"code":"T","title":"Điểm thưởng","max":"5","kind":"group","children":[
   {"code":"T1","title":"Sáng kiến được công nhận","max":"3","kind":"bonus"},
   {"code":"T2","title":"Dẫn đầu phong trào chuyên đề","max":"3","kind":"bonus"}]},
 {"code":"P1","title":"Chậm gửi báo cáo","max":"5","kind":"penalty"}
]"#;

const MEMBERS: [&str; 3] = ["hau-giang", "soc-trang", "bac-lieu"];

async fn save_rubric(officer: &mut Client<'_>) {
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[
                ("code", "cum-tay-nam-bo"),
                ("title", "Bảng tiêu chí Cụm thi đua Tây Nam bộ"),
                ("json", RUBRIC),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/scoring/rubrics/cum-tay-nam-bo?version=1&luu=bang-tieu-chi")
    );
}

/// Opens a round of hau-giang, soc-trang, bac-lieu run by Cần Thơ; returns its id.
async fn open_round(officer: &mut Client<'_>) -> i64 {
    open_round_of(officer, &MEMBERS).await
}

async fn open_round_of(officer: &mut Client<'_>, members: &[&str]) -> i64 {
    let r = officer
        .post_form(
            "/scoring/rounds",
            &[
                ("unit", "can-tho"),
                ("title", "Chấm điểm Cụm Tây Nam bộ năm 2019"),
                ("context", "Cụm thi đua Tây Nam bộ 2019"),
                ("rubric", "cum-tay-nam-bo@1"),
                ("members", &members.join(", ")),
                ("leader", members[0]),
                ("aggregation", "mean"),
                ("trim", "0"),
                ("basis", "cross"),
                ("tie", "more-criteria-at-max"),
                ("tie", "fewer-penalty-points"),
                ("bands", "Xuất sắc | 90\nTốt | 80\nKhá | 70"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.landing()
        .and_then(|l| l.strip_prefix("/scoring/rounds/"))
        .and_then(|id| id.parse().ok())
        .expect("round id")
}

async fn self_score(app: &TestApp, member: &str, id: i64, p: [&str; 4]) {
    let mut c = app.login(&format!("cum.{member}")).await;
    let r = c
        .post_form(
            &format!("/scoring/rounds/{id}/self"),
            &[
                ("p-1.1", p[0]),
                ("e-1.1", "Báo cáo số 12/BC-UBND ngày 15/11/2019"),
                ("p-1.2", p[1]),
                ("p-2", p[2]),
                ("p-T1", p[3]),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{member}: {}", r.body);
}

#[tokio::test]
async fn an_invalid_formula_is_refused_naming_the_criterion_and_nothing_is_saved() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    let bad = r#"[{"code":"1","title":"Kinh tế","max":"60","kind":"group","children":[
        {"code":"1.1","title":"Tăng trưởng GRDP","max":"30","kind":"formula","formula":"min(30, 30 * actual /"}]}]"#;
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[("code", "sai"), ("title", "Bảng sai"), ("json", bad)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tiêu chí “1.1”"), "{}", r.body);
    // children above the group maximum: named too
    let over = r#"[{"code":"1","title":"Kinh tế","max":"20","kind":"group","children":[
        {"code":"1.1","title":"GRDP","max":"30","kind":"manual"}]}]"#;
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[("code", "sai"), ("title", "Bảng sai"), ("json", over)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nhóm “1”"), "{}", r.body);
    assert_eq!(
        officer.get("/scoring/rubrics/sai").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_rubric_shows_as_a_tree_and_round_trips_through_xlsx() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    save_rubric(&mut officer).await;
    let page = officer.get("/scoring/rubrics/cum-tay-nam-bo").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Thu ngân sách nhà nước"));
    assert!(page.body.contains("mức trần"), "bonus cap shown");
    // 60 + 40 scored + 5 of bonus cap
    assert!(
        page.body.contains(r#"<strong id="max-total">105</strong>"#),
        "{}",
        page.body
    );

    let x = officer.get("/scoring/rubrics/cum-tay-nam-bo/1/xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.bytes.starts_with(b"PK"), "an xlsx (zip) file");
    let rubric: tdkt_core::rubric::Rubric =
        serde_json::from_value(officer.get("/api/v1/rubrics/cum-tay-nam-bo").await.json())
            .expect("rubric json");
    // the exported file imports back to the same items
    let bytes = x.bytes.clone();
    let b64 = base64_of(&bytes);
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[
                ("code", "cum-tay-nam-bo"),
                ("title", "Bảng tiêu chí Cụm thi đua Tây Nam bộ"),
                ("xlsx_b64", &b64),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/scoring/rubrics/cum-tay-nam-bo?version=2&luu=bang-tieu-chi")
    );
    let v2: tdkt_core::rubric::Rubric = serde_json::from_value(
        officer
            .get("/api/v1/rubrics/cum-tay-nam-bo?version=2")
            .await
            .json(),
    )
    .expect("v2");
    assert_eq!(v2.items, rubric.items);

    // a bad column and a bad row are named
    let mut rows = tdkt_core::rubric::rows::to_rows(&rubric);
    rows[1].max = "ba mươi".into();
    let mut header = tdkt_core::rubric::rows::HEADER;
    header[6] = "chi-tieu";
    let bad = xlsx_of(&rows, &header);
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[
                ("code", "x"),
                ("title", "X"),
                ("xlsx_b64", &base64_of(&bad)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cột G “chi-tieu”"), "{}", r.body);
    let bad = xlsx_of(&rows, &tdkt_core::rubric::rows::HEADER);
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[
                ("code", "x"),
                ("title", "X"),
                ("xlsx_b64", &base64_of(&bad)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Dòng 3"), "{}", r.body);
}

fn xlsx_of(rows: &[tdkt_core::rubric::rows::RubricRow], header: &[&str; 7]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in (0u16..).zip(header) {
        ws.write_string(0, c, *h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap();
        for (c, v) in (0u16..).zip([
            &r.code,
            &r.parent,
            &r.title,
            &r.kind,
            &r.max,
            &r.formula,
            &r.indicator,
        ]) {
            ws.write_string(row, c, v.as_str()).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn members_self_score_cross_score_others_never_themselves_and_the_leader_adjusts_with_a_reason(
) {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    save_rubric(&mut officer).await;
    let id = open_round(&mut officer).await;

    let mut hg = app.login("cum.hau-giang").await;
    let page = hg.get(&format!("/scoring/rounds/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"name="c-soc-trang""#));
    assert!(page.body.contains(r#"name="c-bac-lieu""#));
    assert!(
        !page.body.contains(r#"name="c-hau-giang""#),
        "own unit never offered"
    );
    assert!(
        page.body.contains(r#"id="adjust""#),
        "leader sees adjustments"
    );

    // a forged self cross-score is refused and nothing of the post is kept
    let r = hg
        .post_form(
            &format!("/scoring/rounds/{id}/cross"),
            &[("c-soc-trang", "80"), ("c-hau-giang", "100")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("không được tự chấm chéo"), "{}", r.body);
    let api = officer
        .get(&format!("/api/v1/scoring/rounds/{id}"))
        .await
        .json();
    assert!(api["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["cross"].is_null()));

    // points above an item's maximum are refused naming the item
    let r = hg
        .post_form(&format!("/scoring/rounds/{id}/self"), &[("p-1.1", "31")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Mục “1.1”"), "{}", r.body);

    self_score(&app, "hau-giang", id, ["28", "27,5", "38", "2"]).await;
    let page = hg.get(&format!("/scoring/rounds/{id}")).await;
    assert!(
        page.body
            .contains(r#"value="Báo cáo số 12/BC-UBND ngày 15/11/2019""#),
        "the evidence note is kept with the self-score"
    );
    assert!(
        page.body.contains("Đã tự chấm: <strong>95,5</strong>"),
        "{}",
        page.body
    );

    let r = hg
        .post_form(
            &format!("/scoring/rounds/{id}/cross"),
            &[("c-soc-trang", "85"), ("c-bac-lieu", "80,5")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // a non-leader member may not adjust
    let mut st = app.login("cum.soc-trang").await;
    let page = st.get(&format!("/scoring/rounds/{id}")).await;
    assert!(!page.body.contains(r#"id="adjust""#));
    let r = st
        .post_form(
            &format!("/scoring/rounds/{id}/adjust"),
            &[
                ("member", "bac-lieu"),
                ("delta", "-2"),
                ("reason", "Chậm gửi báo cáo quý III"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // the leader must write a reason
    let r = hg
        .post_form(
            &format!("/scoring/rounds/{id}/adjust"),
            &[("member", "bac-lieu"), ("delta", "-2"), ("reason", "chậm")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("lý do"), "{}", r.body);
    let r = hg
        .post_form(
            &format!("/scoring/rounds/{id}/adjust"),
            &[
                ("member", "bac-lieu"),
                ("delta", "-2"),
                ("reason", "Chậm gửi báo cáo quý III năm 2019"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // every change is in the audit log with the actor
    let events = app.db.store.recent_audit(50).await.unwrap();
    for action in ["self-score", "cross-score", "adjust"] {
        assert!(
            events.iter().any(|e| e.entity == "scoring_round"
                && e.action == action
                && e.actor == "cum.hau-giang"),
            "{action} audited"
        );
    }
    // members do not see the others' scores while the round is open
    let page = st.get(&format!("/scoring/rounds/{id}")).await;
    assert!(!page.body.contains("Điểm tạm tính"));
    let api = st.get(&format!("/api/v1/scoring/rounds/{id}")).await.json();
    assert!(api["results"].is_null());
}

#[tokio::test]
async fn closing_locks_the_round_stores_the_ranking_and_proposals_become_nominations_within_the_limits(
) {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    save_rubric(&mut officer).await;
    let id = open_round(&mut officer).await;
    self_score(&app, "hau-giang", id, ["30", "30", "38", "3"]).await;
    self_score(&app, "soc-trang", id, ["25", "25", "35", "0"]).await;
    self_score(&app, "bac-lieu", id, ["25", "25", "35", "0"]).await;
    // cross-scores: hau-giang 95, soc-trang 85 and bac-lieu 85 (tied, broken
    // by criteria at max: equal, then penalties: equal → shared rank)
    for (who, scores) in [
        ("hau-giang", [("soc-trang", "85"), ("bac-lieu", "85")]),
        ("soc-trang", [("hau-giang", "95"), ("bac-lieu", "85")]),
        ("bac-lieu", [("hau-giang", "95"), ("soc-trang", "85")]),
    ] {
        let mut c = app.login(&format!("cum.{who}")).await;
        let fields: Vec<(String, String)> = scores
            .iter()
            .map(|(m, p)| (format!("c-{m}"), (*p).to_owned()))
            .collect();
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = c
            .post_form(&format!("/scoring/rounds/{id}/cross"), &fields)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    // proposals need a closed round
    let r = officer
        .post_form(
            &format!("/scoring/rounds/{id}/proposals"),
            &[("year", "2019"), ("rules", "co-thi-dua-chinh-phu: 1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = officer
        .post_form(&format!("/scoring/rounds/{id}/close"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (_, ranking) = app.db.store.round_ranking(id).await.unwrap();
    let ranking = ranking.expect("ranking stored at close");
    assert_eq!(ranking[0].member.0, "hau-giang");
    assert_eq!(ranking[0].rank, 1);
    assert_eq!(ranking[0].band.as_deref(), Some("Xuất sắc"));
    assert_eq!(ranking[1].rank, 2);
    assert_eq!(
        ranking[2].rank, 2,
        "equal after every tie-break: shared rank"
    );
    assert_eq!(ranking[1].band.as_deref(), Some("Tốt"));

    // locked: a member's change is refused
    let mut hg = app.login("cum.hau-giang").await;
    let r = hg
        .post_form(&format!("/scoring/rounds/{id}/self"), &[("p-1.1", "10")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("đã khóa"), "{}", r.body);
    let page = hg.get(&format!("/scoring/rounds/{id}")).await;
    assert!(
        page.body.contains(r#"id="ranking""#),
        "members see the ranking after close"
    );

    // the ballot for the Government flag: 3 voters (members of the round,
    // so on the organiser's list of accounts), both top members on it
    let voters = app
        .voter_fields(&["cum.hau-giang", "cum.soc-trang", "cum.bac-lieu"])
        .await;
    let r = officer
        .post_form(
            "/ballots",
            &[
                ("unit", "can-tho"),
                ("title", "Bình xét Cờ thi đua của Chính phủ năm 2019"),
                ("question", "yes-no"),
                ("candidates", "hau-giang\nsoc-trang"),
                ("quorum_num", "2"),
                ("quorum_den", "3"),
                ("percent", "50"),
                ("base", "eligible"),
            ]
            .into_iter()
            .chain(voters.iter().map(|(k, v)| (*k, v.as_str())))
            .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ballot: i64 = r
        .landing()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    for who in ["hau-giang", "soc-trang", "bac-lieu"] {
        let mut c = app.login(&format!("cum.{who}")).await;
        let r = c
            .post_form(
                &format!("/ballots/{ballot}/vote"),
                &[("yn-0", "yes"), ("yn-1", "yes")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let rules = "co-thi-dua-chinh-phu: 1 | | bỏ phiếu\nbang-khen-thu-tuong: 1 | 3";
    let ballots = format!("co-thi-dua-chinh-phu: {ballot}");
    // an open ballot has no result to propose from
    let r = officer
        .post_form(
            &format!("/scoring/rounds/{id}/proposals"),
            &[
                ("year", "2019"),
                ("rules", rules),
                ("ballots", &ballots),
                ("one_award", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("chưa kết thúc"), "{}", r.body);
    assert_eq!(
        officer
            .post_form(&format!("/ballots/{ballot}/close"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let r = officer
        .post_form(
            &format!("/scoring/rounds/{id}/proposals"),
            &[
                ("year", "2019"),
                ("rules", rules),
                ("ballots", &ballots),
                ("one_award", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = officer
        .get(&format!("/api/v1/scoring/rounds/{id}/nominations"))
        .await
        .json();
    let list = list.as_array().unwrap();
    // at most one member for the Government flag, even though two passed
    let flag: Vec<_> = list
        .iter()
        .filter(|n| n["award_code"] == "co-thi-dua-chinh-phu")
        .collect();
    assert_eq!(flag.len(), 1);
    assert_eq!(flag[0]["status"], "proposed");
    assert_eq!(flag[0]["year"], 2019);
    assert_eq!(flag[0]["source_ballot_id"], ballot);
    let hg_unit = app.db.store.unit_by_code("hau-giang").await.unwrap().id;
    assert_eq!(flag[0]["unit_id"], hg_unit);
    // the tie at rank 2 for a single place is left to the council
    assert!(list
        .iter()
        .all(|n| n["award_code"] != "bang-khen-thu-tuong"));
    assert!(r.body.contains("Hội đồng cần quyết định"), "{}", r.body);
    // proposing again from the same round is refused, nothing duplicated
    let r = officer
        .post_form(
            &format!("/scoring/rounds/{id}/proposals"),
            &[
                ("year", "2019"),
                ("rules", rules),
                ("ballots", &ballots),
                ("one_award", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let all = officer.get("/api/v1/nominations").await.json();
    assert_eq!(all.as_array().unwrap().len(), 1);
    let events = app.db.store.recent_audit(100).await.unwrap();
    assert!(events
        .iter()
        .any(|e| e.entity == "nomination" && e.action == "propose"));
    assert!(events
        .iter()
        .any(|e| e.entity == "round_ranking" && e.action == "rank"));
}

#[tokio::test]
async fn every_scoring_route_checks_role_and_subtree() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    save_rubric(&mut officer).await;
    // members outside Sóc Trăng, so its officer is an outsider
    let id = open_round_of(&mut officer, &["long-an", "ben-tre", "tra-vinh"]).await;
    let round = format!("/scoring/rounds/{id}");

    // signed out: pages redirect to login, the API says 401
    let mut anon = app.client();
    assert_eq!(anon.get("/scoring").await.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.get(&round).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anon.get(&format!("/api/v1/scoring/rounds/{id}"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // a viewer and a council member may not write rubrics or open rounds
    for user in ["xem.cantho", "hoidong.cantho", "cum.soc-trang"] {
        let mut c = app.login(user).await;
        let r = c
            .post_form(
                "/scoring/rubrics",
                &[("code", "x"), ("title", "X"), ("json", RUBRIC)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user} rubric");
        let r = c
            .post_form(
                "/scoring/rounds",
                &[
                    ("unit", "can-tho"),
                    ("title", "X"),
                    ("rubric", "cum-tay-nam-bo@1"),
                    ("members", "long-an, ben-tre"),
                    ("leader", "long-an"),
                    ("aggregation", "mean"),
                    ("trim", "0"),
                    ("basis", "cross"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user} round");
        assert_eq!(
            c.get("/api/v1/nominations").await.status,
            StatusCode::FORBIDDEN,
            "{user} nominations"
        );
    }

    // an officer of another subtree: the round does not exist for them
    let mut st = app.login("canbo.soctrang").await;
    for path in [
        round.clone(),
        format!("{round}/proposals"),
        format!("/api/v1/scoring/rounds/{id}"),
        format!("/api/v1/scoring/rounds/{id}/nominations"),
    ] {
        assert_eq!(st.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in ["self", "cross", "adjust", "close", "proposals"] {
        let r = st
            .post_form(
                &format!("{round}/{path}"),
                &[
                    ("member", "soc-trang"),
                    ("delta", "1"),
                    ("reason", "xxxxxxxxxxxxxxx"),
                    ("year", "2019"),
                    ("rules", "a | b | 1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    // nor may they open a round for a unit outside their subtree
    let r = st
        .post_form(
            "/scoring/rounds",
            &[
                ("unit", "can-tho"),
                ("title", "X"),
                ("rubric", "cum-tay-nam-bo@1"),
                ("members", "long-an, ben-tre"),
                ("leader", "long-an"),
                ("aggregation", "mean"),
                ("trim", "0"),
                ("basis", "cross"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // a member's account sees the round but may not close it or propose
    let mut member = app.login("cum.ben-tre").await;
    assert_eq!(member.get(&round).await.status, StatusCode::OK);
    assert_eq!(
        member
            .post_form(&format!("{round}/close"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member
            .post_form(
                &format!("{round}/proposals"),
                &[("year", "2019"), ("rules", "a | b | 1")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // a unit not in the round: 404 everywhere
    let mut outsider = app.login("cum.soc-trang").await;
    assert_eq!(outsider.get(&round).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        outsider
            .post_form(&format!("{round}/self"), &[("p-1.1", "1")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // the organiser and the admin manage it; CSRF is required
    let mut admin = app.login("admin").await;
    assert_eq!(admin.get(&round).await.status, StatusCode::OK);
    let r = officer
        .post_form_without_csrf(&format!("{round}/close"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let open = officer
        .json(
            Method::GET,
            &format!("/api/v1/scoring/rounds/{id}"),
            &serde_json::json!({}),
        )
        .await
        .json();
    assert_eq!(open["closed"], false);
}

/// Poppler's `pdftotext`, when installed: the PDF's text, whitespace folded.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("m.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[tokio::test]
async fn ballot_minutes_download_as_docx_and_pdf_with_the_vietnamese_sentences_after_close() {
    use std::io::Read as _;
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    // voters in Cần Thơ's subtree (no round: Bạc Liêu's account is not one)
    let voters = app
        .voter_fields(&["cum.hau-giang", "cum.soc-trang", "hoidong.cantho"])
        .await;
    let r = officer
        .post_form(
            "/ballots",
            &[
                ("unit", "can-tho"),
                ("context", "Cụm thi đua Tây Nam bộ 2019"),
                ("title", "Bình xét Cờ thi đua của Chính phủ năm 2019"),
                ("question", "yes-no"),
                ("candidates", "hau-giang\nsoc-trang"),
                ("quorum_num", "2"),
                ("quorum_den", "3"),
                ("percent", "70"),
                ("base", "eligible"),
            ]
            .into_iter()
            .chain(voters.iter().map(|(k, v)| (*k, v.as_str())))
            .collect::<Vec<_>>(),
        )
        .await;
    let id: i64 = r
        .landing()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    for (who, second) in [
        ("cum.hau-giang", "no"),
        ("cum.soc-trang", "yes"),
        ("hoidong.cantho", "no"),
    ] {
        let mut c = app.login(who).await;
        let r = c
            .post_form(
                &format!("/ballots/{id}/vote"),
                &[("yn-0", "yes"), ("yn-1", second)],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    // nothing to download before the count
    let docx = format!("/ballots/{id}/minutes/docx");
    let pdf = format!("/ballots/{id}/minutes/pdf");
    assert_eq!(officer.get(&docx).await.status, StatusCode::NOT_FOUND);
    officer
        .post_form(&format!("/ballots/{id}/close"), &[])
        .await;
    // outside the organiser's subtree and off the voter list: 404
    let mut st = app.login("canbo.soctrang").await;
    assert_eq!(st.get(&docx).await.status, StatusCode::NOT_FOUND);

    let r = officer.get(&docx).await;
    assert_eq!(r.status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.bytes)).expect("docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let sentences = [
        "Tổng số cử tri: 3; số cử tri tham gia bỏ phiếu: 3; số phiếu thu về: 3; số phiếu hợp lệ: 3; số phiếu không hợp lệ: 0.",
        "Hậu Giang: 3 phiếu đồng ý trên 3 (100%), 0 phiếu không đồng ý, 0 phiếu để trống — đạt.",
        "Sóc Trăng: 1 phiếu đồng ý trên 3 (33,33%), 2 phiếu không đồng ý, 0 phiếu để trống — không đạt.",
    ];
    // in the frame of NĐ 30/2020: organising unit, number, national
    // header, title, the ballot's title as abstract, signature blocks
    let frame = [
        "CẦN THƠ",
        "Số: ……/BB-……",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN KIỂM PHIẾU",
        "Bình xét Cờ thi đua của Chính phủ năm 2019",
        "THƯ KÝ",
        "TRƯỞNG BAN KIỂM PHIẾU",
        "Nơi nhận:",
    ];
    for s in sentences.iter().chain(&frame) {
        assert!(xml.contains(s), "docx lacks «{s}»: {xml}");
    }
    assert!(
        !xml.contains("Z (UTC)") && !xml.contains(":00Z"),
        "an ISO instant: {xml}"
    );
    // the voter may download it too
    let mut voter = app.login("hoidong.cantho").await;
    let r = voter.get(&pdf).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.bytes.starts_with(b"%PDF"));
    match pdf_text(&r.bytes) {
        Some(text) => {
            for s in sentences.iter().chain(&frame) {
                assert!(text.contains(s), "pdf lacks «{s}»: {text}");
            }
        }
        None => eprintln!("pdftotext not installed: PDF text not checked"),
    }
}

/// Cluster tay-nam-bo/2019 of hau-giang, soc-trang, bac-lieu with one
/// pledge indicator (budget revenue, % of plan, pledged ≥ 100; Sóc Trăng
/// registered its own 110) and the 2019 figures of two members.
async fn cluster_with_figures(app: &TestApp) {
    use tdkt_core::pledge::{PledgeFields, PledgeRow};
    let s = &app.db.store;
    let c = s
        .create_cluster(
            "test",
            &tdkt_store::clusters::NewCluster::parse(
                "tay-nam-bo",
                "2019",
                "Cụm thi đua các tỉnh Tây Nam bộ",
                "",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    for code in MEMBERS {
        s.add_cluster_member("test", c.id, code).await.unwrap();
    }
    let row = PledgeRow::parse(&PledgeFields {
        cluster: "tay-nam-bo",
        year: "2019",
        indicator: "thu_ngan_sach",
        name: "Thu ngân sách so với dự toán",
        unit: "percent",
        direction: "higher",
        aggregate: "mean",
        threshold: "100",
    })
    .unwrap();
    s.import_pledge(
        "test",
        &[(2, row)],
        &std::collections::BTreeMap::new(),
        false,
    )
    .await
    .unwrap()
    .unwrap();
    let (indicator, _) = s.pledge(c.id).await.unwrap().remove(0);
    let d = |v: &str| v.parse::<rust_decimal::Decimal>().unwrap();
    let st = s.unit_by_code("soc-trang").await.unwrap();
    s.set_target("test", indicator, st.id, Some(d("110")))
        .await
        .unwrap();
    let year = tdkt_core::period::Period::parse("2019").unwrap();
    for (code, value) in [("hau-giang", "90"), ("soc-trang", "121")] {
        let u = s.unit_by_code(code).await.unwrap();
        s.submit_values("test", c.id, year, u.id, &[(indicator, d(value))])
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_formula_criterion_scores_each_member_from_its_own_reported_figures() {
    let app = TestApp::demo().await;
    cluster_with_figures(&app).await;
    let mut officer = app.login("canbo.cantho").await;
    let rubric = r#"[
     {"code":"1","title":"Chỉ tiêu kinh tế","max":"30","kind":"group","children":[
       {"code":"1.1","title":"Thu ngân sách","max":"30","kind":"formula",
        "formula":"min(30, 30 * actual / target)","indicator":"thu_ngan_sach"}]},
     {"code":"2","title":"Công tác thi đua, khen thưởng","max":"40","kind":"manual"}]"#;
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[
                ("code", "cum-tnb-chi-tieu"),
                ("title", "Bảng tiêu chí có chỉ tiêu"),
                ("json", rubric),
                ("cluster", "tay-nam-bo/2019"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let open = |figures: &'static str, period: &'static str, members: &'static str| {
        vec![
            ("unit", "can-tho"),
            ("title", "Chấm điểm có chỉ tiêu 2019"),
            ("rubric", "cum-tnb-chi-tieu@1"),
            ("members", members),
            ("figures_cluster", figures),
            ("figures_period", period),
            ("leader", "hau-giang"),
            ("aggregation", "mean"),
            ("trim", "0"),
            ("basis", "self"),
        ]
    };
    let all = "hau-giang, soc-trang, bac-lieu";
    // Without a cluster and period the formula criterion could never score.
    let r = officer
        .post_form("/scoring/rounds", &open("", "", all))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("công thức (1.1)"), "{}", r.body);
    // A period of another year, a member outside the cluster: refused.
    let r = officer
        .post_form("/scoring/rounds", &open("tay-nam-bo/2019", "2020", all))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("không thuộc năm 2019"), "{}", r.body);
    let r = officer
        .post_form(
            "/scoring/rounds",
            &open("tay-nam-bo/2019", "2019", "hau-giang, ca-mau"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("«ca-mau» không phải thành viên"),
        "{}",
        r.body
    );
    let r = officer
        .post_form("/scoring/rounds", &open("tay-nam-bo/2019", "2019", all))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r
        .landing()
        .and_then(|l| l.strip_prefix("/scoring/rounds/"))
        .and_then(|id| id.parse().ok())
        .unwrap();

    // Hậu Giang: 90 % against the pledged 100 → 27; Sóc Trăng: 121 % against
    // its own 110 → 33, capped at 30. The page shows the computation first.
    for (member, formula, total) in [("hau-giang", "27/30", "62"), ("soc-trang", "30/30", "65")] {
        let mut c = app.login(&format!("cum.{member}")).await;
        let page = c.get(&format!("/scoring/rounds/{id}")).await;
        assert!(page.body.contains(formula), "{member}: {}", page.body);
        assert!(page.body.contains("số liệu năm 2019"), "{}", page.body);
        let r = c
            .post_form(&format!("/scoring/rounds/{id}/self"), &[("p-2", "35")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{member}: {}", r.body);
        let page = c.get(&format!("/scoring/rounds/{id}")).await;
        assert!(
            page.body
                .contains(&format!("Đã tự chấm: <strong>{total}</strong>")),
            "{member}: {}",
            page.body
        );
    }
    // A typed value for a computed criterion is refused, naming it.
    let mut hg = app.login("cum.hau-giang").await;
    let r = hg
        .post_form(&format!("/scoring/rounds/{id}/self"), &[("p-1.1", "30")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Tiêu chí “1.1” được tính theo công thức"),
        "{}",
        r.body
    );

    // Bạc Liêu has not reported: refused naming the criterion and the period,
    // and nothing is stored.
    let mut bl = app.login("cum.bac-lieu").await;
    let r = bl
        .post_form(&format!("/scoring/rounds/{id}/self"), &[("p-2", "35")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tiêu chí “1.1”"), "{}", r.body);
    assert!(r.body.contains("năm 2019"), "{}", r.body);
    let api = officer.get(&format!("/api/v1/scoring/rounds/{id}")).await;
    let api: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(api["self_scored"], 2, "{api}");
    assert_eq!(api["figures"]["period"], "2019", "{api}");
}
