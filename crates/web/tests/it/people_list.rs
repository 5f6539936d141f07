//! The people list (issue 15): count, whitelisted sort, numbered pages that
//! keep sort and filters, XLSX/CSV export scoped as the page. Both backends.

use axum::http::{header, StatusCode};
use tdkt_core::number::format_count;
use tdkt_core::text::fold;
use tdkt_store::people::PeopleScope;
use tdkt_web::testing::TestApp;

/// The names of the list's rows, in order.
fn names(body: &str) -> Vec<String> {
    body.split("data-label=\"Họ và tên\"><a href=\"/people/")
        .skip(1)
        .map(|s| {
            let s = &s[s.find('>').unwrap() + 1..];
            s[..s.find('<').unwrap()].to_owned()
        })
        .collect()
}

/// Sixty more people in Cần Thơ, so that the list has pages.
async fn add_people(app: &TestApp) {
    let today = tdkt_core::date::today_vn();
    for i in 0..60 {
        let new = tdkt_core::person::NewPerson::parse(
            &format!("Lê Văn Số {i}"),
            "male",
            &format!("{:02}/03/1985", i % 28 + 1),
            &format!("093085{i:06}"),
            "can-tho",
            "",
            false,
            today,
        )
        .unwrap();
        app.db
            .store
            .create_person("admin", &new, today)
            .await
            .unwrap();
    }
}

async fn everyone(app: &TestApp) -> usize {
    app.db
        .store
        .search_people(&PeopleScope::All, "", None, 1_000_000)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_people_list_counts_sorts_and_pages_keeping_the_sort() {
    let app = TestApp::demo().await;
    add_people(&app).await;
    let total = everyone(&app).await;
    assert!(total > 50, "the demo has more than a page of people");
    let mut c = app.login("admin").await;
    let page = c.get("/people").await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = format!("{} người", format_count(total as u64));
    assert!(page.body.contains(&shown), "count {shown}");

    let by_name = c.get("/people?sap_xep=ten").await;
    let first = names(&by_name.body);
    assert_eq!(first.len(), 50);
    let keys: Vec<String> = first.iter().map(|n| fold(n)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by folded name");
    // the next page keeps the sort and follows on
    assert!(by_name.body.contains("sap_xep=ten&amp;trang=2"));
    let second = names(&c.get("/people?sap_xep=ten&trang=2").await.body);
    assert!(!second.is_empty());
    assert!(fold(&second[0]) >= fold(first.last().unwrap()));

    let down = names(&c.get("/people?sap_xep=ten_giam").await.body);
    assert!(fold(&down[0]) >= fold(sorted.last().unwrap()));

    // anything else is no sort at all, never SQL
    let odd = c.get("/people?sap_xep=p.id%3Bdrop+table+people").await;
    assert_eq!(odd.status, StatusCode::OK);
    assert_eq!(names(&odd.body), names(&page.body));
    assert_eq!(everyone(&app).await, total);
}

#[tokio::test]
async fn an_officer_exports_only_their_subtree_with_cccd_masked() {
    let app = TestApp::demo().await;
    let mut c = app.login("canbo.haugiang").await;
    let page = c.get("/people?sap_xep=don_vi").await;
    assert_eq!(page.status, StatusCode::OK);
    let csv = c.get("/people?sap_xep=don_vi&format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.lines().skip(1).collect();
    let count = format!("{} người", format_count(lines.len() as u64));
    assert!(page.body.contains(&count), "page shows {count}");
    assert!(lines.len() < everyone(&app).await);
    assert!(csv.body.contains("Trần Thị Hà"));
    assert!(!csv.body.contains("Thạch Sô Phal"));
    // no full CCCD: no run of 12 digits
    assert!(!csv
        .body
        .as_bytes()
        .windows(12)
        .any(|w| w.iter().all(u8::is_ascii_digit)));

    let x = c.get("/people?q=tran&format=xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    // another unit's subtree stays out of reach for the export too
    assert_eq!(
        c.get("/people?unit=soc-trang&format=csv").await.status,
        StatusCode::NOT_FOUND
    );
}
