//! Every list (issue 15 item 10): the count matches the rows, a column
//! sorts (and a bad sort word is ignored), page 2 follows on, the export
//! holds exactly the filtered scoped rows, and rows out of the caller's
//! scope appear nowhere. Both backends.

use axum::http::{header, StatusCode};
use tdkt_core::catalogue::Recipient;
use tdkt_core::number::format_count;
use tdkt_store::clusters::NewCluster;
use tdkt_store::dossiers::{NewDossier, NewRecipient};
use tdkt_store::people::PeopleScope;
use tdkt_web::testing::{Client, TestApp, TestResponse};

/// The texts of the cells labelled `label`, in order (inner tags removed).
fn cells(body: &str, label: &str) -> Vec<String> {
    body.split(&format!("data-label=\"{label}\">"))
        .skip(1)
        .map(|s| {
            let cell = &s[..s.find("</td>").unwrap()];
            let mut out = String::new();
            let mut tag = false;
            for ch in cell.chars() {
                match ch {
                    '<' => tag = true,
                    '>' => tag = false,
                    c if !tag => out.push(c),
                    _ => {}
                }
            }
            out.replace("&amp;", "&")
        })
        .collect()
}

/// "1.234 hồ sơ" on the page.
fn shows_count(r: &TestResponse, n: usize, noun: &str) -> bool {
    r.body.contains(&format!(
        "<strong>{} {noun}</strong>",
        format_count(n as u64)
    ))
}

/// The data lines of a CSV export, after checking its type.
fn csv_lines(r: &TestResponse) -> Vec<String> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    r.body.lines().skip(1).map(str::to_owned).collect()
}

async fn xlsx_ok(c: &mut Client<'_>, url: &str) {
    let r = c.get(url).await;
    assert_eq!(r.status, StatusCode::OK, "{url}");
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    assert!(r.bytes.starts_with(b"PK"), "{url}: a zip");
}

fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
    let mut s = v.to_vec();
    s.sort();
    s
}

const LIST: &str = "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích,Thành tích
tập thể,,can-tho.so-tai-chinh,,giay-khen,2025,
";

#[tokio::test]
async fn the_decisions_list_counts_sorts_pages_filters_and_exports_within_scope() {
    let app = TestApp::demo().await;
    let mut ct = app.login("canbo.cantho").await;
    let today = tdkt_core::date::today_vn().to_string();
    // 55 drafts besides the demo's issued 15/QĐ-UBND
    for n in 100..155 {
        let number = n.to_string();
        let r = ct
            .post_form(
                "/decisions",
                &[
                    ("authority", "can-tho"),
                    ("number", &number),
                    ("decided_on", &today),
                    ("signer_name", "Nguyễn Văn B"),
                    ("signer_title", "CHỦ TỊCH"),
                    ("title", "Về việc tặng Giấy khen"),
                    (
                        "bases",
                        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                    ),
                    ("dossier_id", ""),
                    ("recipients", LIST),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = ct.get("/decisions").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(shows_count(&page, 56, "quyết định"), "{}", page.body);
    assert_eq!(cells(&page.body, "Số").len(), 50);

    // by number, ascending: 15 first, then 100…; page 2 follows on
    let by_no = ct.get("/decisions?sap_xep=so").await;
    let first = cells(&by_no.body, "Số");
    assert!(first[0].starts_with("15/"), "{first:?}");
    assert!(first[1].starts_with("100/"), "{first:?}");
    assert!(by_no.body.contains("sap_xep=so&amp;trang=2"));
    let second = cells(&ct.get("/decisions?sap_xep=so&trang=2").await.body, "Số");
    assert_eq!(second.len(), 6);
    assert!(second[5].starts_with("154/"), "{second:?}");
    let down = cells(&ct.get("/decisions?sap_xep=so_giam").await.body, "Số");
    assert!(down[0].starts_with("154/"), "{down:?}");

    // a bad sort word is the default order, never an error
    let odd = ct
        .get("/decisions?sap_xep=d.id%3B+drop+table+decisions")
        .await;
    assert_eq!(odd.status, StatusCode::OK);
    assert_eq!(cells(&odd.body, "Số"), cells(&page.body, "Số"));

    // the status filter, its count and its export
    let issued = ct.get("/decisions?trang_thai=da_ban_hanh").await;
    assert!(shows_count(&issued, 1, "quyết định"), "{}", issued.body);
    let drafts = csv_lines(
        &ct.get("/decisions?trang_thai=du_thao&sap_xep=so&format=csv")
            .await,
    );
    assert_eq!(drafts.len(), 55);
    assert!(drafts[0].starts_with("100/"), "{}", drafts[0]);
    assert!(drafts.iter().all(|l| l.contains("dự thảo")));
    let all = csv_lines(&ct.get("/decisions?format=csv").await);
    assert_eq!(all.len(), 56);
    // dates as dd/mm/yyyy
    let d = tdkt_core::date::today_vn();
    assert!(
        all[0].contains(&tdkt_core::date::format_vn(d)),
        "{}",
        all[0]
    );
    xlsx_ok(&mut ct, "/decisions?trang_thai=du_thao&format=xlsx").await;

    // another province's officer sees none of them, nor in the export
    let mut st = app.login("canbo.soctrang").await;
    let theirs = st.get("/decisions").await;
    assert!(shows_count(&theirs, 0, "quyết định"), "{}", theirs.body);
    assert!(!theirs.body.contains("100/"));
    assert!(csv_lines(&st.get("/decisions?format=csv").await).is_empty());
}

#[tokio::test]
async fn the_dossiers_list_counts_sorts_pages_filters_and_exports_within_scope() {
    let app = TestApp::demo().await;
    app.db
        .add_officer("canbo.soxd", "Cán bộ Sở Xây dựng", "can-tho.so-xay-dung")
        .await;
    let s = &app.db.store;
    let unit = s.unit_by_code("can-tho.so-xay-dung").await.unwrap();
    let person = s
        .search_people(&PeopleScope::All, "092191938273", None, 1)
        .await
        .unwrap()[0]
        .id;
    let today = tdkt_core::date::today_vn();
    for i in 0..55 {
        s.create_dossier(
            "test",
            &NewDossier {
                unit_id: unit.id,
                award_code: "bang-khen-cap-tinh".to_owned(),
                kind: Recipient::Individual,
                year: 2015 + i % 11,
                title: format!("Hồ sơ thử {i}"),
                received_on: today,
                recipients: vec![NewRecipient::Person(person)],
                track: tdkt_core::dossier::Track::Regular,
                acted_on: None,
                facts: Vec::new(),
            },
        )
        .await
        .unwrap();
    }
    let mut so = app.login("canbo.soxd").await;
    let page = so.get("/dossiers").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(shows_count(&page, 55, "hồ sơ"), "{}", page.body);
    assert_eq!(cells(&page.body, "Số").len(), 50);

    // by year ascending; page 2 follows on with the sort
    let by_year = so.get("/dossiers?sap_xep=nam").await;
    let years: Vec<i32> = cells(&by_year.body, "Năm")
        .iter()
        .map(|y| y.parse().unwrap())
        .collect();
    assert_eq!(years, sorted(&years));
    assert_eq!(years[0], 2015);
    let second: Vec<i32> = cells(&so.get("/dossiers?sap_xep=nam&trang=2").await.body, "Năm")
        .iter()
        .map(|y| y.parse().unwrap())
        .collect();
    assert_eq!(second.len(), 5);
    assert!(second.iter().all(|y| *y >= *years.last().unwrap()));
    assert_eq!(*second.last().unwrap(), 2025);
    let odd = so.get("/dossiers?sap_xep=nam%27%20or%201%3D1").await;
    assert_eq!(odd.status, StatusCode::OK);
    assert_eq!(cells(&odd.body, "Số"), cells(&page.body, "Số"));

    // the year filter: 5 dossiers of 2015, the export holds the same
    let y2015 = so.get("/dossiers?nam=2015").await;
    assert!(shows_count(&y2015, 5, "hồ sơ"), "{}", y2015.body);
    let rows = csv_lines(&so.get("/dossiers?nam=2015&format=csv").await);
    assert_eq!(rows.len(), 5);
    let ids: Vec<String> = cells(&y2015.body, "Số")
        .iter()
        .map(|s| s.trim_start_matches('#').to_owned())
        .collect();
    for (line, id) in rows.iter().zip(&ids) {
        assert!(line.starts_with(&format!("{id},")), "{line} / {id}");
    }
    xlsx_ok(&mut so, "/dossiers?nam=2015&format=xlsx").await;
    // held at my level: all 55 are drafts at the department
    let mine = so.get("/dossiers?cap=cua_toi").await;
    assert!(shows_count(&mine, 55, "hồ sơ"), "{}", mine.body);
    let status = so.get("/dossiers?trang_thai=decided").await;
    assert!(shows_count(&status, 0, "hồ sơ"), "{}", status.body);

    // another province's officer sees none of them
    let mut st = app.login("canbo.soctrang").await;
    let theirs = st.get("/dossiers").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains("Hồ sơ thử"));
    assert!(csv_lines(&st.get("/dossiers?format=csv").await)
        .iter()
        .all(|l| !l.contains("Hồ sơ thử")));
}

#[tokio::test]
async fn a_units_award_history_counts_sorts_filters_and_exports_the_same_rows() {
    let app = TestApp::demo().await;
    let s = &app.db.store;
    let lineage = s.lineage().await.unwrap();
    // the unit of the demo with the most history, walked the old way
    let mut best = (0, String::new());
    for u in lineage.units() {
        let n = s
            .unit_history(&lineage, u.id, &PeopleScope::All, None, 100_000)
            .await
            .unwrap()
            .len();
        if n > best.0 {
            best = (n, u.code.clone());
        }
    }
    let (total, code) = best;
    assert!(total > 1, "the demo has award history");
    let mut admin = app.login("admin").await;
    let url = format!("/units/{code}/awards");
    let page = admin.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        shows_count(&page, total, "khen thưởng"),
        "{total}: {}",
        page.body
    );

    let by_year = admin.get(&format!("{url}?sap_xep=nam")).await;
    let years: Vec<i32> = cells(&by_year.body, "Năm")
        .iter()
        .map(|y| y.parse().unwrap())
        .collect();
    assert_eq!(years, sorted(&years));
    let down: Vec<i32> = cells(
        &admin.get(&format!("{url}?sap_xep=nam_giam")).await.body,
        "Năm",
    )
    .iter()
    .map(|y| y.parse().unwrap())
    .collect();
    assert!(down[0] >= *years.last().unwrap(), "{down:?}");
    let odd = admin.get(&format!("{url}?sap_xep=zzz&after=2020.5")).await;
    assert_eq!(odd.status, StatusCode::OK);
    assert_eq!(cells(&odd.body, "Năm"), cells(&page.body, "Năm"));

    // one year's rows: the page count and the export agree
    let year = years[0];
    let one = admin.get(&format!("{url}?nam={year}")).await;
    let n = years.iter().filter(|y| **y == year).count().min(50);
    let all = csv_lines(&admin.get(&format!("{url}?nam={year}&format=csv")).await);
    assert!(all.len() >= n);
    assert!(shows_count(&one, all.len(), "khen thưởng"), "{}", one.body);
    assert!(all.iter().all(|l| l.starts_with(&format!("{year},"))));
    assert_eq!(
        csv_lines(&admin.get(&format!("{url}?format=csv")).await).len(),
        total
    );
    xlsx_ok(&mut admin, &format!("{url}?nam={year}&format=xlsx")).await;
}

#[tokio::test]
async fn the_clusters_and_movements_lists_count_sort_filter_and_export() {
    let app = TestApp::demo().await;
    let s = &app.db.store;
    for (key, year, name, kind) in [
        ("tay-nam-bo", "2019", "Cụm thi đua các tỉnh Tây Nam bộ", ""),
        ("tay-nam-bo", "2020", "Cụm thi đua các tỉnh Tây Nam bộ", ""),
        ("khoi-kinh-te", "2020", "Khối các sở kinh tế", "block"),
    ] {
        s.create_cluster("test", &NewCluster::parse(key, year, name, kind).unwrap())
            .await
            .unwrap();
    }
    let mut c = app.client();
    let page = c.get("/clusters").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(shows_count(&page, 3, "cụm, khối"), "{}", page.body);
    let by_name = c.get("/clusters?sap_xep=ten").await;
    assert!(cells(&by_name.body, "Tên")[0].starts_with("Cụm"));
    let down = c.get("/clusters?sap_xep=ten_giam").await;
    assert!(cells(&down.body, "Tên")[0].starts_with("Khối"));
    let by_year = c.get("/clusters?sap_xep=nam_giam").await;
    assert_eq!(cells(&by_year.body, "Năm")[2], "2019");
    let y2020 = c.get("/clusters?nam=2020").await;
    assert!(shows_count(&y2020, 2, "cụm, khối"), "{}", y2020.body);
    let blocks = csv_lines(&c.get("/clusters?loai=block&format=csv").await);
    assert_eq!(blocks.len(), 1);
    assert!(blocks[0].starts_with("khoi-kinh-te,"), "{}", blocks[0]);
    let odd = c.get("/clusters?sap_xep=%3Cscript%3E").await;
    assert_eq!(cells(&odd.body, "Tên"), cells(&page.body, "Tên"));
    assert!(!odd.body.contains("%3Cscript") && !odd.body.contains("sap_xep=<"));
    xlsx_ok(&mut c, "/clusters?format=xlsx").await;

    let movements = s.movements().await.unwrap().len();
    let page = c.get("/movements").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(shows_count(&page, movements, "phong trào"), "{}", page.body);
    assert_eq!(
        csv_lines(&c.get("/movements?format=csv").await).len(),
        movements
    );
    let none = c.get("/movements?nam=1900").await;
    assert!(shows_count(&none, 0, "phong trào"), "{}", none.body);
}

#[tokio::test]
async fn the_audit_log_exports_exactly_its_filtered_events() {
    let app = TestApp::demo().await;
    let mut admin = app.login("admin").await;
    let page = admin.get("/admin/audit?doi_tuong=award_record").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = csv_lines(
        &admin
            .get("/admin/audit?doi_tuong=award_record&format=csv")
            .await,
    );
    assert!(!rows.is_empty());
    let shown = format!("{} sự kiện khớp bộ lọc", format_count(rows.len() as u64));
    assert!(page.body.contains(&shown), "{shown}");
    // Vietnamese action names and Việt Nam times, never raw ISO instants
    let iso = |l: &str| {
        l.as_bytes().windows(11).any(|w| {
            w[..4].iter().all(u8::is_ascii_digit) && w[4] == b'-' && w[7] == b'-' && w[10] == b'T'
        })
    };
    assert!(rows.iter().all(|l| !iso(l)), "{rows:?}");
    xlsx_ok(&mut admin, "/admin/audit?format=xlsx").await;
    // an officer may not read the log, nor export it
    let mut ct = app.login("canbo.cantho").await;
    assert_eq!(
        ct.get("/admin/audit?format=csv").await.status,
        StatusCode::FORBIDDEN
    );
}

/// The CSV export's header row (without the byte-order mark).
fn csv_header(r: &TestResponse) -> String {
    r.body
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('\u{feff}')
        .to_owned()
}

fn vn(d: time::Date) -> String {
    tdkt_core::date::format_vn(d)
}

/// `v` sorted as the lists sort names: by their folded form.
fn folded(v: &[String]) -> Vec<String> {
    let mut s = v.to_vec();
    s.sort_by_key(|x| tdkt_core::text::fold(x));
    s
}

/// A session of Cần Thơ's council on `held_on` at `place`, with a dossier
/// of its own on the agenda (published for comment from 02/11/2026).
async fn council_session(app: &TestApp, city: i64, held_on: time::Date, place: &str) {
    let s = &app.db.store;
    let person = s.person_by_cccd("092191938273").await.unwrap().unwrap().id;
    let dossier = s
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
    let start = time::macros::date!(2026 - 11 - 02);
    s.publish_disclosure(
        &tdkt_core::access::Principal {
            user_id: 1,
            username: "canbo.cantho".into(),
            full_name: "canbo.cantho".into(),
            role: tdkt_core::access::Role::Officer,
            scope_unit: Some(city),
        },
        &tdkt_store::disclosures::NewDisclosure {
            title: "Công khai".into(),
            starts_on: start,
            ends_on: None,
            dossiers: vec![(dossier, String::new())],
        },
        start,
    )
    .await
    .unwrap();
    s.create_council_session(
        "test",
        &tdkt_store::councils::NewSession {
            unit_id: city,
            held_on,
            place: place.to_owned(),
            dossiers: vec![dossier],
        },
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_council_lists_its_members_and_sessions_with_counts_sorts_filters_and_exports() {
    let app = TestApp::demo().await;
    let s = &app.db.store;
    let city = tdkt_store::demo::load_council(s).await.unwrap();
    // one of the three has left the council
    let gone = s
        .council_members_all(city)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.username == "hoidong.cantho")
        .unwrap();
    s.end_council_member("test", gone.id, time::macros::date!(2025 - 12 - 31))
        .await
        .unwrap();
    let mut ct = app.login("canbo.cantho").await;
    let page = ct.get("/councils/can-tho").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(shows_count(&page, 3, "thành viên"), "{}", page.body);
    // the forms are where they were
    assert!(page.body.contains("action=\"/councils/can-tho/members\""));
    assert!(page.body.contains(&format!("data-member=\"{}\"", gone.id)));

    let names = cells(
        &ct.get("/councils/can-tho?sap_xep=ten").await.body,
        "Họ và tên",
    );
    assert_eq!(names.len(), 3);
    assert_eq!(names, folded(&names), "ascending");
    let mut down = cells(
        &ct.get("/councils/can-tho?sap_xep=ten_giam").await.body,
        "Họ và tên",
    );
    down.reverse();
    assert_eq!(down, names, "descending");
    let odd = ct.get("/councils/can-tho?sap_xep=ten%27--").await;
    assert_eq!(
        cells(&odd.body, "Họ và tên"),
        cells(&page.body, "Họ và tên")
    );

    let left = ct.get("/councils/can-tho?hien_nay=da_thoi").await;
    assert!(shows_count(&left, 1, "thành viên"), "{}", left.body);
    assert!(cells(&left.body, "Họ và tên")[0].contains("hoidong.cantho"));
    let serving = ct.get("/councils/can-tho?hien_nay=dang").await;
    assert!(shows_count(&serving, 2, "thành viên"), "{}", serving.body);

    let r = ct
        .get("/councils/can-tho?hien_nay=da_thoi&format=csv")
        .await;
    assert_eq!(
        csv_header(&r),
        "Họ và tên,Tên đăng nhập,Chức danh,Từ ngày,Đến ngày,Hiện nay"
    );
    let rows = csv_lines(&r);
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].contains(",hoidong.cantho,")
            && rows[0].ends_with(&format!(
                ",{},31/12/2025,đã thôi",
                vn(time::macros::date!(2025 - 07 - 01))
            )),
        "{}",
        rows[0]
    );
    xlsx_ok(&mut ct, "/councils/can-tho?format=xlsx").await;

    // three sessions, one of them in 2027
    for (day, place) in [
        (time::macros::date!(2026 - 12 - 01), "Phòng họp B"),
        (time::macros::date!(2026 - 11 - 20), "Hội trường A"),
        (time::macros::date!(2027 - 01 - 05), "Hội trường C"),
    ] {
        council_session(&app, city, day, place).await;
    }
    let page = ct.get("/councils/can-tho").await;
    assert!(page.body.contains("href=\"/councils/can-tho/sessions\""));
    let url = "/councils/can-tho/sessions";
    let list = ct.get(url).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(shows_count(&list, 3, "phiên họp"), "{}", list.body);
    let days: Vec<String> = [
        time::macros::date!(2026 - 11 - 20),
        time::macros::date!(2026 - 12 - 01),
        time::macros::date!(2027 - 01 - 05),
    ]
    .into_iter()
    .map(vn)
    .collect();
    let up = cells(
        &ct.get(&format!("{url}?sap_xep=ngay")).await.body,
        "Ngày họp",
    );
    assert_eq!(up, days);
    let mut down = cells(
        &ct.get(&format!("{url}?sap_xep=ngay_giam")).await.body,
        "Ngày họp",
    );
    down.reverse();
    assert_eq!(down, days);
    let places = cells(
        &ct.get(&format!("{url}?sap_xep=dia_diem")).await.body,
        "Địa điểm",
    );
    assert_eq!(places, ["Hội trường A", "Hội trường C", "Phòng họp B"]);
    let y2027 = ct.get(&format!("{url}?nam=2027")).await;
    assert!(shows_count(&y2027, 1, "phiên họp"), "{}", y2027.body);
    let closed = ct.get(&format!("{url}?trang_thai=da_ket_thuc")).await;
    assert!(shows_count(&closed, 0, "phiên họp"), "{}", closed.body);

    let r = ct
        .get(&format!("{url}?nam=2026&sap_xep=ngay&format=csv"))
        .await;
    assert_eq!(
        csv_header(&r),
        "Phiên họp số,Ngày họp,Địa điểm,Trạng thái,Số thành viên"
    );
    let rows = csv_lines(&r);
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].contains(&format!(",{},Hội trường A,đang chuẩn bị,", days[0])),
        "{}",
        rows[0]
    );
    xlsx_ok(&mut ct, &format!("{url}?format=xlsx")).await;

    // another province's officer finds neither list
    let mut st = app.login("canbo.soctrang").await;
    assert_eq!(st.get(url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        st.get("/councils/can-tho?format=csv").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_units_proposal_lists_count_sort_filter_and_export() {
    let app = TestApp::demo().await;
    let mut c = app.login("canbo.haugiang").await;
    let url = "/units/hau-giang.so-xay-dung/proposals";
    for (year, award) in [
        ("2024", "lao-dong-tien-tien"),
        ("2023", "lao-dong-tien-tien"),
        ("2024", "chien-si-thi-dua-co-so"),
    ] {
        let r = c
            .post_form(url, &[("year", year), ("award", award), ("kind", "person")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = c.get(url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(shows_count(&page, 3, "danh sách"), "{}", page.body);
    // the form that opens a list is still there
    assert!(page.body.contains(&format!("action=\"{url}\"")));

    let years = cells(&c.get(&format!("{url}?sap_xep=nam")).await.body, "Năm");
    assert_eq!(years, ["2023", "2024", "2024"]);
    let years = cells(&c.get(&format!("{url}?sap_xep=nam_giam")).await.body, "Năm");
    assert_eq!(years, ["2024", "2024", "2023"]);
    let awards = cells(
        &c.get(&format!("{url}?sap_xep=danh_hieu")).await.body,
        "Danh hiệu, hình thức",
    );
    assert!(
        awards[0].starts_with("Chiến sĩ thi đua cơ sở"),
        "{awards:?}"
    );
    let awards = cells(
        &c.get(&format!("{url}?sap_xep=danh_hieu_giam")).await.body,
        "Danh hiệu, hình thức",
    );
    assert!(
        awards[2].starts_with("Chiến sĩ thi đua cơ sở"),
        "{awards:?}"
    );

    let y2024 = c.get(&format!("{url}?nam=2024")).await;
    assert!(shows_count(&y2024, 2, "danh sách"), "{}", y2024.body);
    let ldtt = c.get(&format!("{url}?danh_hieu=lao-dong-tien-tien")).await;
    assert!(shows_count(&ldtt, 2, "danh sách"), "{}", ldtt.body);
    let submitted = c.get(&format!("{url}?trang_thai=da_trinh")).await;
    assert!(
        shows_count(&submitted, 0, "danh sách"),
        "{}",
        submitted.body
    );

    let r = c.get(&format!("{url}?nam=2023&format=csv")).await;
    assert_eq!(
        csv_header(&r),
        "Năm thành tích,\"Danh hiệu, hình thức\",Đề nghị cho,Trạng thái,Người lập,Người trình,Ghi chú"
    );
    let rows = csv_lines(&r);
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].starts_with("2023,Lao động tiên tiến,cá nhân,đang soạn,"),
        "{}",
        rows[0]
    );
    xlsx_ok(&mut c, &format!("{url}?format=xlsx")).await;
}

const ANNEX: &str = "Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích,Thành tích
tập thể,,can-tho.so-tai-chinh,,giay-khen,2025,
tập thể,,can-tho.so-xay-dung,,giay-khen,2023,
tập thể,,can-tho.so-noi-vu,,giay-khen,2024,
";

#[tokio::test]
async fn a_decisions_annex_counts_sorts_filters_and_exports_its_lines() {
    let app = TestApp::demo().await;
    let mut ct = app.login("canbo.cantho").await;
    let r = ct
        .post_form(
            "/decisions",
            &[
                ("authority", "can-tho"),
                ("number", "300"),
                ("decided_on", &tdkt_core::date::today_vn().to_string()),
                ("signer_name", "Nguyễn Văn B"),
                ("signer_title", "CHỦ TỊCH"),
                ("title", "Về việc tặng Giấy khen"),
                (
                    "bases",
                    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                ),
                ("dossier_id", ""),
                ("recipients", ANNEX),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.landing().unwrap().to_owned();
    let page = ct.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(shows_count(&page, 3, "người, tập thể"), "{}", page.body);
    assert_eq!(cells(&page.body, "STT"), ["1", "2", "3"]);
    // the issue form and the decision's total are still there
    assert!(page.body.contains(&format!("action=\"{url}/issue\"")));
    assert!(page.body.contains("id=\"total\""));

    let years = cells(&ct.get(&format!("{url}?sap_xep=nam")).await.body, "Năm");
    assert_eq!(years, ["2023", "2024", "2025"]);
    let down = ct.get(&format!("{url}?sap_xep=nam_giam")).await;
    assert_eq!(cells(&down.body, "Năm"), ["2025", "2024", "2023"]);
    assert_eq!(cells(&down.body, "STT"), ["1", "3", "2"]);

    let one = ct.get(&format!("{url}?nam=2024")).await;
    assert!(shows_count(&one, 1, "người, tập thể"), "{}", one.body);
    assert!(one.body.contains("Tổng cộng cả quyết định"));
    let people = ct.get(&format!("{url}?doi_tuong=ca_nhan")).await;
    assert!(shows_count(&people, 0, "người, tập thể"), "{}", people.body);

    let r = ct.get(&format!("{url}?nam=2024&format=csv")).await;
    assert!(
        csv_header(&r).starts_with("STT,\"Cá nhân, tập thể, hộ gia đình\",Đối tượng,"),
        "{}",
        csv_header(&r)
    );
    let rows = csv_lines(&r);
    assert_eq!(rows.len(), 1);
    let noi_vu = app
        .db
        .store
        .unit_by_code("can-tho.so-noi-vu")
        .await
        .unwrap();
    assert!(
        rows[0].starts_with(&format!("3,{},", noi_vu.name)) && rows[0].contains(",2024,"),
        "{}",
        rows[0]
    );
    assert_eq!(
        csv_lines(&ct.get(&format!("{url}?format=csv")).await).len(),
        3
    );
    xlsx_ok(&mut ct, &format!("{url}?format=xlsx")).await;
}
