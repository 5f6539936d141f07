//! HTTP tests of clusters: members submit values for their own unit only,
//! the leader's officer sees the late and missing lists, edits the drafted
//! review and downloads it; everyone else gets 403/404.

use std::collections::BTreeMap;
use std::io::Read;

use axum::http::StatusCode;
use tdkt_core::period::Period;
use tdkt_core::pledge::{PledgeFields, PledgeRow};
use tdkt_store::clusters::NewCluster;
use tdkt_web::testing::TestApp;

async fn cluster_app() -> TestApp {
    let app = TestApp::demo().await;
    let s = &app.db.store;
    let c = s
        .create_cluster(
            "test",
            &NewCluster::parse("tay-nam-bo", "2019", "Cụm thi đua các tỉnh Tây Nam bộ", "")
                .unwrap(),
        )
        .await
        .unwrap();
    for code in ["hau-giang", "soc-trang", "bac-lieu"] {
        s.add_cluster_member("test", c.id, code).await.unwrap();
    }
    let rows: Vec<(u64, PledgeRow)> = [
        (
            "grdp_growth",
            "Tốc độ tăng trưởng kinh tế (GRDP)",
            "percent",
            "mean",
            "",
        ),
        (
            "budget_revenue_plan_pct",
            "Thu ngân sách so với kế hoạch năm",
            "percent",
            "mean",
            "55",
        ),
    ]
    .iter()
    .enumerate()
    .map(|(i, (key, name, unit, agg, thr))| {
        let f = PledgeFields {
            cluster: "tay-nam-bo",
            year: "2019",
            indicator: key,
            name,
            unit,
            direction: "higher",
            aggregate: agg,
            threshold: thr,
        };
        (i as u64 + 2, PledgeRow::parse(&f).unwrap())
    })
    .collect();
    s.import_pledge("test", &rows, &BTreeMap::new(), false)
        .await
        .unwrap()
        .unwrap();
    let hg = s.unit_by_code("hau-giang").await.unwrap();
    s.update_cluster(
        "test",
        c.id,
        &c.name,
        "Quy chế số 01/QC-CTĐ",
        Some(hg.id),
        None,
    )
    .await
    .unwrap();
    s.set_deadline(
        "test",
        c.id,
        Period::parse("2019-H1").unwrap(),
        time::macros::date!(2019 - 07 - 10),
    )
    .await
    .unwrap();
    app
}

fn ids(body: &str) -> Vec<String> {
    // Input names of the submit form: v<indicator id>.
    body.match_indices("name=\"v")
        .map(|(i, _)| body[i + 6..].split('"').next().unwrap().to_owned())
        .filter(|n| n[1..].bytes().all(|b| b.is_ascii_digit()))
        .collect()
}

#[tokio::test]
async fn a_member_submits_its_own_values_and_the_leader_drafts_and_exports_the_review() {
    let app = cluster_app().await;

    // The officer of Hậu Giang (the leader) reports for Hậu Giang.
    let mut hg = app.login("canbo.haugiang").await;
    let list = hg.get("/clusters").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Cụm thi đua các tỉnh Tây Nam bộ"));
    let form = hg
        .get("/clusters/tay-nam-bo/2019/submit/hau-giang?period=2019-H1")
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let names = ids(&form.body);
    assert_eq!(names.len(), 2, "{}", form.body);
    let r = hg
        .post_form(
            "/clusters/tay-nam-bo/2019/submit/hau-giang",
            &[
                ("period", "2019-H1"),
                (&names[0], "7,5"),
                (&names[1], "83.41"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // A bad number is refused with the indicator named.
    let bad = hg
        .post_form(
            "/clusters/tay-nam-bo/2019/submit/hau-giang",
            &[("period", "2019-H1"), (&names[0], "bảy")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("Tốc độ tăng trưởng kinh tế (GRDP): «bảy» không phải là số"),
        "{}",
        bad.body
    );

    // Sóc Trăng's officer reports for Sóc Trăng (after the deadline).
    let mut st = app.login("canbo.soctrang").await;
    let r = st
        .post_form(
            "/clusters/tay-nam-bo/2019/submit/soc-trang",
            &[
                ("period", "2019-H1"),
                (&names[0], "6.1"),
                (&names[1], "67.6"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The leader's officer sees who is late and who is missing.
    let page = hg.get("/clusters/tay-nam-bo/2019?period=2019-H1").await;
    assert_eq!(page.status, StatusCode::OK);
    let missing = page
        .body
        .split("class=\"missing\"")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    assert!(
        missing.contains("Bạc Liêu") && !missing.contains("Sóc Trăng"),
        "{missing}"
    );
    let late = page
        .body
        .split("class=\"late\"")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    assert!(late.contains("Sóc Trăng"), "{late}");

    // Review: preview with charts, edit a sentence, export DOCX and PDF.
    let review = hg
        .get("/clusters/tay-nam-bo/2019/review?period=2019-H1")
        .await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(
        review.body.contains("bình quân đạt 6,8%"),
        "{}",
        review.body
    );
    assert!(review.body.contains("<svg"));
    let r = hg
        .post_form(
            "/clusters/tay-nam-bo/2019/review",
            &[
                ("period", "2019-H1"),
                (
                    "p_1_0",
                    "Tăng trưởng kinh tế của Cụm khá cao, dẫn đầu là Hậu Giang.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let docx = hg
        .get("/clusters/tay-nam-bo/2019/export/docx?period=2019-H1")
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.headers[axum::http::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("wordprocessingml"));
    // The test client keeps bodies as lossy text; fetch the bytes directly.
    let c = app.db.store.cluster("tay-nam-bo", 2019).await.unwrap();
    let doc = app
        .db
        .store
        .review_draft(c.id, Period::parse("2019-H1").unwrap())
        .await
        .unwrap()
        .unwrap();
    let bytes = tdkt_docs::render(
        tdkt_docs::Format::Docx,
        &doc,
        &app.db
            .store
            .review_of(&c, Period::parse("2019-H1").unwrap())
            .await
            .unwrap(),
    )
    .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("Tăng trưởng kinh tế của Cụm khá cao, dẫn đầu là Hậu Giang."));
    let pdf = hg
        .get("/clusters/tay-nam-bo/2019/export/pdf?period=2019-H1")
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF"));
    // The edit is audited.
    assert!(app
        .db
        .store
        .recent_audit(5)
        .await
        .unwrap()
        .iter()
        .any(|e| e.entity == "review_draft"));
}

#[tokio::test]
async fn nobody_reports_for_or_runs_a_cluster_outside_their_scope() {
    let app = cluster_app().await;
    let mut hg = app.login("canbo.haugiang").await;
    let form = hg
        .get("/clusters/tay-nam-bo/2019/submit/hau-giang?period=2019-H1")
        .await;
    let names = ids(&form.body);
    let field = names[0].as_str();

    // Hậu Giang's officer cannot report for Sóc Trăng.
    let r = hg
        .post_form(
            "/clusters/tay-nam-bo/2019/submit/soc-trang",
            &[("period", "2019-H1"), (field, "6")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        hg.get("/clusters/tay-nam-bo/2019/submit/soc-trang")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Sóc Trăng's officer is a member but not the leader: no review, no status.
    let mut st = app.login("canbo.soctrang").await;
    assert_eq!(
        st.get("/clusters/tay-nam-bo/2019/review?period=2019-H1")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        st.get("/clusters/tay-nam-bo/2019/export/pdf?period=2019-H1")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = st
        .post_form(
            "/clusters/tay-nam-bo/2019/review",
            &[("period", "2019-H1"), ("p_1_0", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let page = st.get("/clusters/tay-nam-bo/2019").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("class=\"late\""),
        "status is for the leader only"
    );

    // A department's submitter cannot report for its province; a viewer never.
    let mut sub = app.login("nop.xaydung.hg").await;
    let r = sub
        .post_form(
            "/clusters/tay-nam-bo/2019/submit/hau-giang",
            &[("period", "2019-H1"), (field, "6")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut viewer = app.login("xem.cantho").await;
    let r = viewer
        .post_form(
            "/clusters/tay-nam-bo/2019/submit/hau-giang",
            &[("period", "2019-H1"), (field, "6")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Anonymous: asked to sign in; nothing was written.
    let mut anon = app.client();
    let r = anon
        .post_form(
            "/clusters/tay-nam-bo/2019/submit/hau-giang",
            &[("period", "2019-H1"), (field, "6")],
        )
        .await;
    assert!(
        matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER),
        "{}",
        r.status
    );
    let c = app.db.store.cluster("tay-nam-bo", 2019).await.unwrap();
    assert!(app
        .db
        .store
        .current_values(c.id, Period::parse("2019-H1").unwrap())
        .await
        .unwrap()
        .is_empty());
}
