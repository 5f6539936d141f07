//! «Tải mẫu» beside every file import (issue 15): each upload page links
//! its template, the template downloads as XLSX, and the importer itself
//! reads its header (and, where the example needs nothing of the
//! database, its example rows) back.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use tdkt_store::awards::file;
use tdkt_store::awards::import::Header;
use tdkt_web::testing::{Client, TestApp};

/// Downloads a template linked from `page`, checks it is an XLSX, and
/// returns the header and rows of its first sheet, as the importers read.
async fn template(
    c: &mut Client<'_>,
    page: &str,
    link: &str,
) -> (Vec<String>, Vec<Vec<String>>, Vec<u8>) {
    let p = c.get(page).await;
    assert_eq!(p.status, StatusCode::OK, "{page}");
    assert!(
        p.body.contains(&format!(r#"href="{link}""#)),
        "{page} links {link}: {}",
        p.body
    );
    let t = c.get(link).await;
    assert_eq!(t.status, StatusCode::OK, "{link}");
    assert!(t.bytes.starts_with(b"PK"), "{link} is an xlsx");
    let (header, rows, _) = file::read_bytes("mau.xlsx", t.bytes.clone()).expect("readable");
    let rows: Vec<Vec<String>> = rows.map(|r| r.expect("row")).collect();
    assert!(!rows.is_empty(), "{link} has an example row");
    for r in &rows {
        assert!(
            r.len() <= header.len(),
            "{link}: no cell outside the header"
        );
    }
    (header, rows, t.bytes)
}

#[tokio::test]
async fn the_award_import_template_has_the_columns_the_importer_requires() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    let (header, rows, _) = template(
        &mut officer,
        "/awards/import",
        "/awards/import/template.xlsx",
    )
    .await;
    Header::parse(&header).expect("the importer reads the template's header");
    assert_eq!(rows.len(), 1);
    // a header without a required column is refused: the check can fail
    assert!(Header::parse(&header[1..]).is_err());
}

#[tokio::test]
async fn the_decision_list_template_reads_back_through_the_list_reader() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    let (header, rows, _) =
        template(&mut officer, "/decisions/new", "/decisions/template.xlsx").await;
    let read = app
        .db
        .store
        .read_recipients(&header, rows.clone().into_iter().map(Ok))
        .await
        .expect("store");
    // the demo holds the example person: the row is read as it stands
    match read {
        Ok(r) => assert_eq!(r.lines.len(), 1),
        Err(errors) => panic!("{errors:?}"),
    }
    assert_eq!(
        header.join(","),
        tdkt_store::decisions::file::TEMPLATE_HEADER
    );
}

#[tokio::test]
async fn the_rubric_template_imports_as_a_valid_rubric() {
    let app = TestApp::demo().await;
    let mut officer = app.login("canbo.cantho").await;
    let (header, _, bytes) = template(
        &mut officer,
        "/scoring/rubrics",
        "/scoring/rubric-template.xlsx",
    )
    .await;
    assert_eq!(header, tdkt_core::rubric::rows::HEADER);
    let rubric = tdkt_web::routes::scoring::xlsx::import("mau", "Mẫu", &bytes)
        .expect("the rubric import reads its template");
    let known: BTreeSet<String> = ["grdp".to_owned()].into();
    let checked = rubric.check(&known).expect("the example is a valid rubric");
    // 60 in the group + bonus 3
    assert_eq!(checked.max_total(), 63.into());
}

#[tokio::test]
async fn only_who_may_import_gets_a_template() {
    let app = TestApp::demo().await;
    let mut viewer = app.login("xem.cantho").await;
    for path in [
        "/awards/import/template.xlsx",
        "/decisions/template.xlsx",
        "/scoring/rubric-template.xlsx",
    ] {
        assert_eq!(
            viewer.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
}
