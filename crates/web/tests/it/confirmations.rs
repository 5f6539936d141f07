//! Issue 15 item 8: a confirmation after every save. Each case below
//! performs one form post that changes something and follows the redirect:
//! the next page must show the fixed sentence of the code the handler chose
//! (`tdkt_web::layout::SAVED`), so a handler that answers without one, or
//! with a code the table lacks, fails here. A second test reads the routes'
//! source: no form handler redirects without a confirmation (only the
//! sign-in, the public lookups and the public comment form, which have
//! their own answers), and every sentence of the table is used. An unknown
//! `luu=` says nothing, and error pages keep the navigation.

use std::path::Path;

use axum::http::StatusCode;
use tdkt_web::layout::SAVED;
use tdkt_web::testing::{Client, TestApp, TestResponse};

/// The sentence of `code`, failing when the table lacks it.
fn sentence(code: &str) -> &'static str {
    SAVED
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| panic!("no sentence for {code}"), |(_, s)| *s)
}

/// The address a redirect names, without its `#section` (the browser keeps
/// that one to itself).
fn target(r: &TestResponse) -> String {
    let to = r.location().expect("a redirect");
    to.split('#').next().unwrap_or(to).to_owned()
}

/// The last path segment of the redirect (the id of what was made).
fn made_id(r: &TestResponse) -> i64 {
    let to = target(r);
    let path = to.split('?').next().unwrap_or(&to);
    path.rsplit('/').next().unwrap().parse().expect("an id")
}

/// The post answered with a redirect carrying `code`, and the page it leads
/// to says the code's sentence, once, in the status notice.
async fn says(c: &mut Client<'_>, what: &str, r: &TestResponse, code: &str) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: {}", r.body);
    let to = target(r);
    assert!(
        to.contains(&format!("luu={code}")),
        "{what}: redirected to {to}, expected the confirmation {code}"
    );
    let page = c.get(&to).await;
    assert_eq!(page.status, StatusCode::OK, "{what}: {to}");
    let notice = format!("role=\"status\">{}</div>", sentence(code));
    assert_eq!(
        page.body.matches(&notice).count(),
        1,
        "{what}: {to} does not say «{}»",
        sentence(code)
    );
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one table of posts, in the order an office would make them"
)]
async fn every_save_says_what_it_saved() {
    let app = TestApp::demo().await;
    let s = &app.db.store;
    let mut a = app.login("admin").await;
    let unit = "can-tho.so-xay-dung";
    let person = s.person_by_cccd("093182124906").await.unwrap().unwrap().id;

    // units and people
    let r = a
        .post_form(
            "/units",
            &[
                ("code", "can-tho.so-xay-dung.phong-moi"),
                ("name", "Phòng Quản lý mới"),
                ("kind", "phong"),
                ("parent", unit),
                ("valid_from", "01/01/2026"),
            ],
        )
        .await;
    says(&mut a, "unit", &r, "don-vi").await;
    let r = a
        .post_form(
            "/units/lineage",
            &[
                ("kind", "rename"),
                ("effective", "02/01/2026"),
                ("from", "can-tho.so-xay-dung.phong-moi"),
                ("new_value", "Phòng Quản lý xây dựng"),
            ],
        )
        .await;
    says(&mut a, "lineage", &r, "sap-xep").await;
    let r = a
        .post_form(
            "/people",
            &[
                ("full_name", "Nguyễn Văn Mới"),
                ("gender", "male"),
                ("birth_date", "01/01/1990"),
                ("cccd", "093090123456"),
                ("unit", unit),
            ],
        )
        .await;
    says(&mut a, "person", &r, "ca-nhan").await;
    let newcomer = made_id(&r);
    // employed from today: moved from tomorrow
    let tomorrow = tdkt_core::date::today_vn().next_day().unwrap();
    let r = a
        .post_form(
            &format!("/people/{newcomer}/move"),
            &[
                ("unit", "can-tho.so-noi-vu"),
                ("from", &tdkt_core::date::format_vn(tomorrow)),
            ],
        )
        .await;
    says(&mut a, "move", &r, "chuyen-don-vi").await;
    let r = a
        .post_form(
            &format!("/people/{person}/positions"),
            &[
                ("position", "Phó Trưởng phòng"),
                ("position_from", "01/01/2026"),
            ],
        )
        .await;
    says(&mut a, "position", &r, "chuc-vu").await;
    let pid = s.positions(person).await.unwrap().last().unwrap().id;
    let r = a
        .post_form(&format!("/people/{person}/positions/{pid}/delete"), &[])
        .await;
    says(&mut a, "position deleted", &r, "xoa-chuc-vu").await;

    // eligibility inputs
    let r = a
        .post_form(
            &format!("/people/{person}/ratings"),
            &[("year", "2022"), ("rating", "hoan-thanh-tot")],
        )
        .await;
    says(&mut a, "rating", &r, "xep-loai").await;
    let r = a
        .post_form(
            &format!("/people/{person}/discipline"),
            &[
                ("level", "khien-trach"),
                ("decision_no", "7/QĐ-SXD"),
                ("decision_date", "2025-05-02"),
                ("months", "6"),
            ],
        )
        .await;
    says(&mut a, "discipline", &r, "ky-luat").await;
    let r = a
        .post_form(
            &format!("/people/{person}/initiatives"),
            &[
                ("kind", "sang-kien"),
                ("title", "Số hóa hồ sơ"),
                ("scope", "cap-tinh"),
                ("recognised_on", "2025-10-01"),
            ],
        )
        .await;
    says(&mut a, "initiative", &r, "sang-kien").await;
    let rid = s
        .person_disciplines(person)
        .await
        .unwrap()
        .last()
        .unwrap()
        .id;
    let r = a
        .post_form(
            &format!("/people/{person}/discipline/{rid}/void"),
            &[("reason", "Nhập nhầm người")],
        )
        .await;
    says(&mut a, "void", &r, "huy-ban-ghi").await;

    // a proposal list of Sở Xây dựng Hậu Giang for 2024
    let hg = "hau-giang.so-xay-dung";
    let r = a
        .post_form(
            &format!("/units/{hg}/proposals"),
            &[
                ("year", "2024"),
                ("award", "lao-dong-tien-tien"),
                ("kind", "person"),
            ],
        )
        .await;
    says(&mut a, "list", &r, "danh-sach-de-nghi").await;
    let list = made_id(&r);
    let r = a
        .post_form(
            &format!("/units/{hg}/proposals/{list}/entries"),
            &[("nominee", &person.to_string())],
        )
        .await;
    says(&mut a, "entry", &r, "them-de-nghi").await;
    let entry = s.proposal_entries(list).await.unwrap().remove(0).id;
    let r = a
        .post_form(
            &format!("/units/{hg}/proposals/{list}/entries/{entry}/delete"),
            &[],
        )
        .await;
    says(&mut a, "entry removed", &r, "bo-de-nghi").await;

    // a cluster, a movement, a rubric and a round
    let r = a
        .post_form(
            "/clusters/new",
            &[
                ("name", "Cụm thi đua mới"),
                ("key", "cum-moi"),
                ("year", "2024"),
                ("kind", "cluster"),
                ("organizer", hg),
            ],
        )
        .await;
    says(&mut a, "cluster", &r, "cum").await;
    let r = a
        .post_form("/clusters/cum-moi/2024/setup/members", &[("unit", hg)])
        .await;
    says(&mut a, "cluster member", &r, "thanh-vien").await;
    let r = a
        .post_form(
            "/movements/new",
            &[
                ("name", "Phong trào thi đua mới"),
                ("code", "pt-moi"),
                ("kind", "thematic"),
                ("starts", "2026-01-01T00:00"),
                ("ends", "2026-12-31T00:00"),
                ("unit", unit),
                ("scope", unit),
                ("description", ""),
            ],
        )
        .await;
    says(&mut a, "movement", &r, "phong-trao").await;
    let r = a
        .post_form(
            "/scoring/rubrics",
            &[
                ("code", "bang-moi"),
                ("title", "Bảng tiêu chí"),
                (
                    "json",
                    r#"[{"code":"1","title":"Mục một","max":"10","kind":"manual"}]"#,
                ),
                ("unit", unit),
            ],
        )
        .await;
    says(&mut a, "rubric", &r, "bang-tieu-chi").await;
    let r = a
        .post_form(
            "/scoring/rounds",
            &[
                ("unit", unit),
                ("title", "Đợt chấm điểm"),
                ("rubric", "bang-moi@1"),
                ("members", "can-tho, vinh-long"),
                ("leader", "can-tho"),
                ("aggregation", "mean"),
                ("trim", "0"),
                ("basis", "cross"),
            ],
        )
        .await;
    says(&mut a, "round", &r, "dot-cham").await;
    let round = made_id(&r);
    // points added or taken are the organising officer's (not the admin's)
    let mut officer = app.login("canbo.cantho").await;
    let r = officer
        .post_form(
            &format!("/scoring/rounds/{round}/adjust"),
            &[
                ("member", "can-tho"),
                ("delta", "1"),
                ("reason", "Điều chỉnh theo biên bản"),
            ],
        )
        .await;
    says(&mut officer, "adjust", &r, "dieu-chinh").await;

    // a ballot, opened and closed
    let mut fields = vec![
        ("unit", unit.to_owned()),
        ("title", "Bình xét".to_owned()),
        ("candidates", "Sở Xây dựng".to_owned()),
        ("quorum_num", "1".to_owned()),
        ("quorum_den", "2".to_owned()),
        ("percent", "50".to_owned()),
    ];
    fields.extend(app.voter_fields(&["hoidong.cantho"]).await);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = a.post_form("/ballots", &borrowed).await;
    says(&mut a, "ballot", &r, "cuoc-bo-phieu").await;
    let ballot = made_id(&r);
    let r = a.post_form(&format!("/ballots/{ballot}/close"), &[]).await;
    says(&mut a, "ballot closed", &r, "ket-thuc-bo-phieu").await;

    // a council member of Cần Thơ
    let r = a
        .post_form(
            "/councils/can-tho/members",
            &[
                ("username", "hoidong.cantho"),
                ("role", "uy-vien"),
                ("from", "01/07/2025"),
            ],
        )
        .await;
    says(&mut a, "council member", &r, "thanh-vien-hd").await;

    // the fund: a receipt
    let r = a
        .post_form(
            "/fund/receipts",
            &[
                ("unit", "can-tho"),
                ("entry_date", "2026-02-01"),
                ("amount", "1.000.000"),
                ("description", "Ngân sách cấp bổ sung"),
            ],
        )
        .await;
    says(&mut a, "receipt", &r, "thu-quy").await;
}

/// A confirmation is a fixed sentence: an unknown code, or markup in the
/// flag, puts nothing on the page.
#[tokio::test]
async fn an_unknown_confirmation_says_nothing() {
    let app = TestApp::demo().await;
    let mut a = app.login("admin").await;
    for q in ["luu=khong-co", "luu=%3Cb%3Eda-luu%3C%2Fb%3E", "luu="] {
        let page = a.get(&format!("/units?{q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
        assert!(!page.body.contains("role=\"status\""), "{q}: {}", page.body);
    }
    let page = a.get("/units?luu=don-vi").await;
    assert!(page.body.contains(sentence("don-vi")));
}

/// Error pages (404, 403, 422) keep the navigation and the signed-in user,
/// so that a refusal is not a dead end; a visitor's error page offers the
/// sign-in. An error never repeats a confirmation from its address.
#[tokio::test]
async fn error_pages_keep_the_navigation() {
    let app = TestApp::demo().await;
    let mut a = app.login("canbo.cantho").await;
    for (path, status) in [
        ("/khong-co-trang-nay?luu=don-vi", StatusCode::NOT_FOUND),
        ("/admin/audit", StatusCode::FORBIDDEN),
        ("/people/987654", StatusCode::NOT_FOUND),
    ] {
        let r = a.get(path).await;
        assert_eq!(r.status, status, "{path}");
        assert!(
            r.body.contains("aria-label=\"Điều hướng chính\""),
            "{path}: {}",
            r.body
        );
        assert!(r.body.contains("Đăng xuất"), "{path}");
        assert!(r.body.contains("Không thực hiện được"), "{path}");
        assert!(!r.body.contains("role=\"status\""), "{path}");
    }
    // a refused form post: the logout form in the navigation carries a token
    let r = a
        .post_form(
            "/people/987654/ratings",
            &[("year", "2022"), ("rating", "hoan-thanh-tot")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("name=\"csrf_token\""), "{}", r.body);
    let mut anon = app.client();
    let r = anon.get("/khong-co").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("aria-label=\"Điều hướng chính\""));
    assert!(r.body.contains("Đăng nhập"));
    // the API keeps its JSON problems
    let r = a.get("/api/v1/people/987654").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.starts_with('{'), "{}", r.body);
}

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push((
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
}

/// Read from the source, so that a form added later cannot forget: the only
/// redirects without a confirmation are the sign-in and sign-out, the
/// public lookups (GET) and the public comment form (its own notice on a
/// page without navigation); and no sentence of the table is unused.
#[test]
fn no_form_redirects_without_a_confirmation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routes");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let allowed = ["session.rs", "public.rs", "cong_khai.rs"];
    let mut bare = Vec::new();
    for (path, text) in &files {
        if allowed.iter().any(|a| path.ends_with(a)) {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            if line.contains("see_other(") {
                bare.push(format!("{path}:{}", n + 1));
            }
        }
    }
    assert!(
        bare.is_empty(),
        "redirects without a confirmation (use routes::saved): {bare:?}"
    );
    let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
    let unused: Vec<&str> = SAVED
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !all.contains(&format!("\"{c}\"")))
        .collect();
    assert!(unused.is_empty(), "sentences no handler says: {unused:?}");
}
