//! The rubric editor (issue 15 item 2): a rubric built row by row in the
//! form, refusals naming the row and field with every row kept, a new
//! version started from the saved items, JSON export read back by the
//! import, no English parser message reaching a user. SQLite by default,
//! PostgreSQL with `TDKT_TEST_DATABASE_URL=postgres://…`.

use axum::http::StatusCode;
use tdkt_core::rubric::Rubric;
use tdkt_web::testing::{Client, TestApp};

/// The same rubric as the JSON of the scoring tests, as the editor's rows
/// (code, parent, title, kind, max, formula, indicator), with a blank row
/// in the middle as a page without script posts it.
const ROWS: [[&str; 7]; 9] = [
    [
        "1",
        "",
        "Thực hiện chỉ tiêu kinh tế - xã hội",
        "group",
        "60",
        "",
        "",
    ],
    ["1.1", "1", "Tăng trưởng GRDP", "manual", "30", "", ""],
    ["1.2", "1", "Thu ngân sách nhà nước", "manual", "30", "", ""],
    ["", "", "", "", "", "", ""],
    [
        "2",
        "",
        "Công tác thi đua, khen thưởng",
        "manual",
        "40",
        "",
        "",
    ],
    ["T", "", "Điểm thưởng", "group", "5", "", ""],
    ["T1", "T", "Sáng kiến được công nhận", "bonus", "3", "", ""],
    [
        "T2",
        "T",
        "Dẫn đầu phong trào chuyên đề",
        "bonus",
        "2,5",
        "",
        "",
    ],
    ["P1", "", "Chậm gửi báo cáo", "penalty", "5", "", ""],
];

const JSON: &str = r#"[
 {"code":"1","title":"Thực hiện chỉ tiêu kinh tế - xã hội","max":"60","kind":"group","children":[
   {"code":"1.1","title":"Tăng trưởng GRDP","max":"30","kind":"manual"},
   {"code":"1.2","title":"Thu ngân sách nhà nước","max":"30","kind":"manual"}]},
 {"code":"2","title":"Công tác thi đua, khen thưởng","max":"40","kind":"manual"},
 {"code":"T","title":"Điểm thưởng","max":"5","kind":"group","children":[
   {"code":"T1","title":"Sáng kiến được công nhận","max":"3","kind":"bonus"},
   {"code":"T2","title":"Dẫn đầu phong trào chuyên đề","max":"2.5","kind":"bonus"}]},
 {"code":"P1","title":"Chậm gửi báo cáo","max":"5","kind":"penalty"}
]"#;

const FIELDS: [&str; 7] = [
    "item_code",
    "item_parent",
    "item_title",
    "item_kind",
    "item_max",
    "item_formula",
    "item_indicator",
];

/// The form's fields: code, title, then each row's seven fields in order.
fn form<'a>(code: &'a str, rows: &'a [[&'a str; 7]]) -> Vec<(&'a str, &'a str)> {
    let mut out = vec![("code", code), ("title", "Bảng tiêu chí soạn trên web")];
    for r in rows {
        out.extend(FIELDS.iter().copied().zip(r.iter().copied()));
    }
    out
}

async fn saved(officer: &mut Client<'_>, code: &str, version: u32) -> Rubric {
    let r = officer
        .get(&format!("/api/v1/rubrics/{code}?version={version}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_value(r.json()).expect("rubric json")
}

#[tokio::test]
async fn a_rubric_built_row_by_row_is_the_tree_its_json_makes() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    let r = officer
        .post_form("/scoring/rubrics", &form("soan-tren-web", &ROWS))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.landing(),
        Some("/scoring/rubrics/soan-tren-web?version=1")
    );
    let from_form = saved(&mut officer, "soan-tren-web", 1).await;
    let items = tdkt_core::rubric::json::items_from_json(JSON).unwrap();
    assert_eq!(from_form.items, items);
    // the page shows the tree with the total: 60 + 40 + bonus cap 5
    let page = officer.get("/scoring/rubrics/soan-tren-web").await;
    assert!(
        page.body.contains(r#"<strong id="max-total">105</strong>"#),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_bad_row_is_named_by_code_and_field_and_every_typed_row_comes_back() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    let mut rows = ROWS;
    rows[2][4] = "x";
    rows[6][3] = "";
    let r = officer
        .post_form("/scoring/rubrics", &form("sai-dong", &rows))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("Mục «1.2» (dòng 3 của bảng), ô «Điểm tối đa»: «x» không phải là số"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("Mục «T1» (dòng 7 của bảng), ô «Loại»: chưa chọn loại mục."),
        "{}",
        r.body
    );
    // every typed row is back, the bad cells marked
    for row in &rows {
        for cell in row.iter().filter(|c| !c.is_empty()) {
            assert!(
                r.body.contains(&format!(r#"value="{cell}""#)),
                "{cell} kept"
            );
        }
    }
    assert!(
        r.body
            .contains(r#"name="item_max" value="x" inputmode="decimal" aria-label="Điểm tối đa" aria-invalid="true""#),
        "{}",
        r.body
    );
    assert_eq!(
        officer.get("/scoring/rubrics/sai-dong").await.status,
        StatusCode::NOT_FOUND
    );

    // a rule of the rubric (children above the group's maximum): the
    // group named, its maximum marked, the rows kept
    let mut rows = ROWS;
    rows[0][4] = "50";
    let r = officer
        .post_form("/scoring/rubrics", &form("sai-dong", &rows))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Nhóm “1”: tổng điểm tối đa"), "{}", r.body);
    assert!(
        r.body.contains(
            r#"name="item_max" value="50" inputmode="decimal" aria-label="Điểm tối đa" aria-invalid="true""#
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"value="Chậm gửi báo cáo""#));
}

#[tokio::test]
async fn json_with_a_bad_decimal_is_refused_in_vietnamese_only() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    let bad = JSON.replace(r#""max":"40""#, r#""max":"x""#);
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[("code", "json-sai"), ("title", "Bảng sai"), ("json", &bad)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Mục «2», trường «max»: «x» không phải là số"),
        "{}",
        r.body
    );
    for english in ["invalid value", "expected", "Decimal", "at line"] {
        assert!(!r.body.contains(english), "{english}: {}", r.body);
    }
    // the typed JSON is kept
    assert!(r.body.contains("Công tác thi đua, khen thưởng"));
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[("code", "json-sai"), ("title", "Bảng sai"), ("json", "[{")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("JSON chưa kết thúc"), "{}", r.body);
}

#[tokio::test]
async fn a_new_version_starts_from_the_saved_items() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    let r = officer
        .post_form("/scoring/rubrics", &form("phien-ban", &ROWS))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = officer.get("/scoring/rubrics/phien-ban?version=1").await;
    assert!(
        page.body
            .contains(r#"href="/scoring/rubrics?from=phien-ban&amp;version=1""#),
        "{}",
        page.body
    );
    let form_page = officer
        .get("/scoring/rubrics?from=phien-ban&version=1")
        .await;
    assert_eq!(form_page.status, StatusCode::OK);
    let b = &form_page.body;
    assert!(
        b.contains(r#"name="code" required value="phien-ban""#),
        "{b}"
    );
    assert!(b.contains(r#"value="Thu ngân sách nhà nước""#), "{b}");
    // kinds selected, maxima in Vietnamese form, depth shown
    assert!(b.contains(r#"<option value="bonus" selected>"#), "{b}");
    assert!(b.contains(r#"value="2,5""#), "{b}");
    assert!(b.contains(r#"data-depth="1""#), "{b}");
    // 9 rows saved minus the blank one, plus 5 blank rows to add
    assert_eq!(b.matches(r#"name="item_code""#).count(), 8 + 5, "{b}");

    // saved as it is, it is version 2 with the same items
    let mut fields = vec![
        ("code", "phien-ban"),
        ("title", "Bảng tiêu chí soạn trên web"),
    ];
    let kept: Vec<[&str; 7]> = ROWS.iter().copied().filter(|r| !r[0].is_empty()).collect();
    for r in &kept {
        fields.extend(FIELDS.iter().copied().zip(r.iter().copied()));
    }
    let r = officer.post_form("/scoring/rubrics", &fields).await;
    assert_eq!(r.landing(), Some("/scoring/rubrics/phien-ban?version=2"));
    assert_eq!(
        saved(&mut officer, "phien-ban", 2).await.items,
        saved(&mut officer, "phien-ban", 1).await.items
    );
}

#[tokio::test]
async fn the_json_export_imports_back_to_the_same_items() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    let r = officer
        .post_form("/scoring/rubrics", &form("xuat-json", &ROWS))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let x = officer.get("/scoring/rubrics/xuat-json/1/json").await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(x.headers["content-type"], "application/json");
    assert!(x.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("xuat-json-v1.json"));
    let r = officer
        .post_form(
            "/scoring/rubrics",
            &[
                ("code", "xuat-json"),
                ("title", "Bảng tiêu chí soạn trên web"),
                ("json", &x.body),
            ],
        )
        .await;
    assert_eq!(
        r.landing(),
        Some("/scoring/rubrics/xuat-json?version=2"),
        "{}",
        r.body
    );
    assert_eq!(
        saved(&mut officer, "xuat-json", 2).await.items,
        saved(&mut officer, "xuat-json", 1).await.items
    );
}

#[tokio::test]
async fn the_editor_page_offers_blank_rows_and_the_clusters_indicators() {
    // the demo's year holds a cluster with its pledge
    let app = TestApp::from_db(tdkt_store::testing::TestDb::with_demo_dossiers().await);
    // and an older cluster whose pledge names one of the same keys otherwise
    older_cluster_pledge(&app).await;
    let mut officer = app.login("canbo.cantho").await;
    let page = officer.get("/scoring/rubrics").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches(r#"name="item_code""#).count(), 5);
    // the demo cluster's pledge keys, with their names
    assert!(
        page.body
            .contains(r#"<option value="grdp_growth">grdp_growth — Tốc độ tăng trưởng kinh tế (GRDP)</option>"#),
        "{}",
        page.body
    );
    // every cluster's keys once in each row's select, a shared key under
    // the newest year's name
    assert_eq!(
        page.body.matches(r#"<option value="grdp_growth">"#).count(),
        5
    );
    assert!(!page.body.contains("GRDP theo cách tính cũ"));
    assert!(page.body.contains(
        r#"<option value="thu_ngan_sach">thu_ngan_sach — Thu ngân sách so với dự toán</option>"#
    ));
    assert!(page
        .body
        .contains(r#"href="/scoring/rubric-template.xlsx""#));
    // a viewer may not write rubrics
    let mut viewer = app.login("xem.cantho").await;
    assert_eq!(
        viewer.get("/scoring/rubrics").await.status,
        StatusCode::FORBIDDEN
    );
}

/// Cluster tay-nam-bo/2019 with two pledge indicators: one of its own, and
/// `grdp_growth` under another name than the demo year's cluster gives it.
async fn older_cluster_pledge(app: &TestApp) {
    use tdkt_core::pledge::{PledgeFields, PledgeRow};
    let s = &app.db.store;
    s.create_cluster(
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
    let row = |indicator, name| {
        PledgeRow::parse(&PledgeFields {
            cluster: "tay-nam-bo",
            year: "2019",
            indicator,
            name,
            unit: "percent",
            direction: "higher",
            aggregate: "mean",
            threshold: "100",
        })
        .unwrap()
    };
    let rows = [
        (2, row("thu_ngan_sach", "Thu ngân sách so với dự toán")),
        (3, row("grdp_growth", "GRDP theo cách tính cũ")),
    ];
    s.import_pledge("test", &rows, &std::collections::BTreeMap::new(), false)
        .await
        .unwrap()
        .unwrap();
}
