//! Issue 12, data safety over HTTP: dates in JSON (item 16), writes into
//! dissolved units (item 9), length limits of free text (item 14). Both
//! backends (see `tdkt_store::testing`).

use axum::http::StatusCode;
use serde_json::Value;
use tdkt_web::testing::TestApp;

/// Every place in `v` that looks like `time`'s tuple form of a date
/// (`[1982, 102]`: a year and a day of the year), with its path.
fn date_tuples(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => {
            let ints: Vec<i64> = a.iter().filter_map(Value::as_i64).collect();
            if a.len() == 2
                && ints.len() == 2
                && (1800..=2200).contains(&ints[0])
                && (1..=366).contains(&ints[1])
            {
                out.push(format!("{path} = {v}"));
            }
            for (i, x) in a.iter().enumerate() {
                date_tuples(x, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                date_tuples(x, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// Strings of the form `YYYY-MM-DD` (alone or at the start of an RFC 3339
/// time) found in `v`.
fn iso_dates(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            let b = s.as_bytes();
            if b.len() >= 10
                && b[..10].iter().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        *c == b'-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
                && time::Date::parse(
                    &s[..10],
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .is_ok()
            {
                out.push(s.clone());
            }
        }
        Value::Array(a) => a.iter().for_each(|x| iso_dates(x, out)),
        Value::Object(o) => o.values().for_each(|x| iso_dates(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_json_endpoint_writes_dates_as_iso_8601_strings() {
    let app = TestApp::demo().await;
    let mut c = app.login("canbo.cantho").await;
    let people = c.get("/api/v1/people?q=ha").await;
    assert_eq!(people.status, StatusCode::OK, "{}", people.body);
    let person = people.json()["items"][0]["id"]
        .as_i64()
        .expect("the demo has people named Hà");
    let paths = [
        "/api/v1/units".to_owned(),
        "/api/v1/units?q=can-tho".to_owned(),
        "/api/v1/units/can-tho.so-xay-dung".to_owned(),
        "/api/v1/units/can-tho.so-xay-dung/lineage".to_owned(),
        "/api/v1/units/hau-giang/lineage".to_owned(),
        "/api/v1/people?q=ha".to_owned(),
        format!("/api/v1/people/{person}"),
        format!("/api/v1/people/{person}/eligibility"),
        "/api/v1/units/can-tho.so-xay-dung/eligibility".to_owned(),
        "/api/v1/search?q=ha".to_owned(),
        "/api/v1/ballots".to_owned(),
        "/api/v1/search?q=45%2FQĐ-SXD".to_owned(),
        "/api/v1/me".to_owned(),
    ];
    let mut found = Vec::new();
    for path in &paths {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        let v = r.json();
        let mut tuples = Vec::new();
        date_tuples(&v, path, &mut tuples);
        assert!(tuples.is_empty(), "dates as tuples: {tuples:?}");
        iso_dates(&v, &mut found);
    }
    // Not vacuous: the units' start dates and the awards' decision dates.
    assert!(found.iter().any(|d| d == "2025-07-01"), "{found:?}");
    assert!(found.len() > 20, "{found:?}");

    // What the API writes comes back the same way.
    let created = c
        .json(
            axum::http::Method::POST,
            "/api/v1/units",
            &serde_json::json!({
                "code": "can-tho.so-thu-nghiem",
                "name": "Sở Thử nghiệm",
                "kind": "so-nganh",
                "parent": "can-tho",
                "valid_from": "2026-01-01"
            }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["valid_from"], "2026-01-01");
}

/// Issue 12, item 9: Sở Xây dựng Hậu Giang ended on 30/6/2025 (merged into
/// Sở Xây dựng Cần Thơ): a person created there today, or moved there with
/// a 2026 date, is refused with the successor named; the past stays open.
#[tokio::test]
async fn writes_into_a_unit_ended_by_the_2025_merger_are_refused_naming_the_successor() {
    let app = TestApp::demo().await;
    let mut c = app.login("admin").await;
    let person = |unit: &str| {
        serde_json::json!({
            "full_name": "Lê Thị Thử",
            "gender": "female",
            "birth_date": "1990-05-05",
            "cccd": "093190000777",
            "unit": unit,
        })
    };
    let refused = c
        .json(
            axum::http::Method::POST,
            "/api/v1/people",
            &person("hau-giang.so-xay-dung"),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let detail = refused.json()["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("đã chấm dứt hoạt động từ ngày 01/7/2025"),
        "{detail}"
    );
    assert!(detail.contains("can-tho.so-xay-dung"), "{detail}");
    assert_eq!(refused.json()["field"], "unit");

    // Into the successor: accepted; then a move back into the old unit.
    let created = c
        .json(
            axum::http::Method::POST,
            "/api/v1/people",
            &person("can-tho.so-xay-dung"),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let moved = c
        .json(
            axum::http::Method::POST,
            &format!("/api/v1/people/{id}/move"),
            &serde_json::json!({"unit": "hau-giang.so-xay-dung", "from": "2026-02-01"}),
        )
        .await;
    assert_eq!(
        moved.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        moved.body
    );
    assert!(moved.body.contains("can-tho.so-xay-dung"), "{}", moved.body);
    // The form says the same in the page.
    let page = c
        .post_form(
            "/people",
            &[
                ("full_name", "Lê Văn Thử"),
                ("gender", "male"),
                ("birth_date", "1988-03-03"),
                ("cccd", "093088000778"),
                ("unit", "hau-giang.so-xay-dung"),
            ],
        )
        .await;
    assert!(
        page.body.contains("đã chấm dứt hoạt động") && page.body.contains("can-tho.so-xay-dung"),
        "{}",
        page.body
    );
}

/// Issue 12, item 14: a 100 kB title is refused at the door, in a form, in
/// the API and in a query string, with the field named; nothing is written.
#[tokio::test]
async fn free_text_longer_than_its_field_takes_is_refused_naming_the_field() {
    let app = TestApp::demo().await;
    let mut c = app.login("admin").await;
    let long = "Đ".repeat(100_000);
    let before = app.db.store.units().await.unwrap().len();

    let page = c
        .post_form(
            "/units",
            &[
                ("code", "can-tho.so-dai"),
                ("name", &long),
                ("kind", "so-nganh"),
                ("parent", "can-tho"),
                ("valid_from", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("«Tên» (name)"),
        "{}",
        &page.body[..page.body.len().min(2000)]
    );
    assert!(page.body.contains("100.000 ký tự"));
    assert!(
        !page.body.contains(&long[..3000]),
        "the text is not echoed back"
    );

    let api = c
        .json(
            axum::http::Method::POST,
            "/api/v1/units",
            &serde_json::json!({
                "code": "can-tho.so-dai",
                "name": "Sở Dài",
                "kind": "so-nganh",
                "parent": "can-tho",
                "valid_from": "2026-01-01",
                "note": long,
            }),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    assert_eq!(api.json()["field"], "note");

    let search = c
        .get(&format!("/api/v1/people?q={}", "a".repeat(5_000)))
        .await;
    assert_eq!(search.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(search.json()["field"], "q");

    assert_eq!(app.db.store.units().await.unwrap().len(), before);
    // A title of ordinary length still goes through.
    let ok = c
        .json(
            axum::http::Method::POST,
            "/api/v1/units",
            &serde_json::json!({
                "code": "can-tho.so-ngan",
                "name": "Sở Ngắn",
                "kind": "so-nganh",
                "parent": "can-tho",
                "valid_from": "2026-01-01",
            }),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
}
