//! Issue 15: the home page's «Việc cần làm» per role, forms that keep what
//! was typed when refused, and the one-shot confirmation after a save.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use tdkt_core::ballot::{BallotSpec, Base, Candidate, Question, Quorum, Threshold};
use tdkt_core::period::Period;
use tdkt_core::pledge::{PledgeFields, PledgeRow};
use tdkt_store::ballots::NewBallot;
use tdkt_store::clusters::NewCluster;
use tdkt_web::testing::TestApp;

const CLUSTER: &str = "/clusters/tay-nam-bo/2019";

/// A 2019 cluster of three members (two now in Cần Thơ, one Long An) with
/// two indicators and a passed H1 deadline, no leader elected.
async fn app_with_cluster() -> (TestApp, i64) {
    let app = TestApp::demo().await;
    let s = &app.db.store;
    let c = s
        .create_cluster(
            "test",
            &NewCluster::parse("tay-nam-bo", "2019", "Cụm thi đua Tây Nam bộ", "").unwrap(),
        )
        .await
        .unwrap();
    for code in ["hau-giang", "soc-trang", "long-an"] {
        s.add_cluster_member("test", c.id, code).await.unwrap();
    }
    let rows: Vec<(u64, PledgeRow)> = [
        ("grdp_growth", "Tốc độ tăng trưởng kinh tế (GRDP)"),
        (
            "budget_revenue_plan_pct",
            "Thu ngân sách so với kế hoạch năm",
        ),
    ]
    .iter()
    .enumerate()
    .map(|(i, (key, name))| {
        let f = PledgeFields {
            cluster: "tay-nam-bo",
            year: "2019",
            indicator: key,
            name,
            unit: "percent",
            direction: "higher",
            aggregate: "mean",
            threshold: "",
        };
        (i as u64 + 2, PledgeRow::parse(&f).unwrap())
    })
    .collect();
    s.import_pledge("test", &rows, &BTreeMap::new(), false)
        .await
        .unwrap()
        .unwrap();
    s.set_deadline(
        "test",
        c.id,
        Period::parse("2019-H1").unwrap(),
        time::macros::date!(2019 - 07 - 10),
    )
    .await
    .unwrap();
    (app, c.id)
}

fn todo_section(body: &str) -> &str {
    body.split("id=\"todo\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or("")
}

#[tokio::test]
async fn the_home_page_lists_what_each_role_has_to_do() {
    let (app, cluster) = app_with_cluster().await;
    let s = &app.db.store;
    let ballot = s
        .create_ballot(
            "test",
            &NewBallot {
                unit_code: "can-tho".into(),
                context: "Hội đồng TĐKT thành phố Cần Thơ".into(),
                spec: BallotSpec {
                    title: "Bình xét Cờ thi đua năm 2026".into(),
                    question: Question::YesNo,
                    candidates: vec![Candidate {
                        id: "hg".into(),
                        name: "Hậu Giang".into(),
                        threshold: None,
                    }],
                    eligible: 0,
                    quorum: Quorum { num: 2, den: 3 },
                    threshold: Threshold {
                        percent: 70.into(),
                        base: Base::Eligible,
                    },
                },
                voters: vec!["hoidong.cantho".into(), "canbo.cantho".into()],
                cluster_id: None,
            },
        )
        .await
        .unwrap();
    let ballot_link = format!("href=\"/ballots/{}\"", ballot.id);
    let report_link = format!("href=\"{CLUSTER}?period=2019-H1#status\"");

    // The officer: the cluster's late report (all three members missing),
    // the ballot, the dossier lines, each a link with its count.
    let mut officer = app.login("canbo.cantho").await;
    let home = officer.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let todo = todo_section(&home.body);
    assert!(todo.contains("Việc cần làm"), "{}", home.body);
    assert!(todo.contains(&report_link), "{todo}");
    assert!(
        todo.contains("3 thành viên chưa báo cáo, hạn 10/7/2019 (đã quá hạn)"),
        "{todo}"
    );
    assert!(todo.contains(&ballot_link), "{todo}");
    assert!(todo.contains("href=\"/dossiers?overdue\""), "{todo}");
    assert!(todo.contains("href=\"/dossiers\""), "{todo}");

    // One member reports: the count follows.
    let pledge = s.pledge(cluster).await.unwrap();
    let hg = s.unit_by_code("hau-giang").await.unwrap();
    s.submit_values(
        "test",
        cluster,
        Period::parse("2019-H1").unwrap(),
        hg.id,
        &[(pledge[0].0, 7.into())],
    )
    .await
    .unwrap();
    let todo = officer.get("/").await.body;
    assert!(
        todo_section(&todo).contains("2 thành viên chưa báo cáo"),
        "{todo}"
    );

    // The council member: only the ballot waiting for their vote.
    let mut council = app.login("hoidong.cantho").await;
    let home = council.get("/").await.body;
    let todo = todo_section(&home);
    assert!(todo.contains(&ballot_link), "{todo}");
    assert!(todo.contains("Bình xét Cờ thi đua năm 2026"), "{todo}");
    assert!(!todo.contains("/clusters/"), "{todo}");

    // The submitter of Long An: its own unit's report, not the others'.
    let mut submitter = app.login("cum.long-an").await;
    let home = submitter.get("/").await.body;
    let todo = todo_section(&home);
    assert!(todo.contains(&report_link), "{todo}");
    assert!(todo.contains("chưa báo cáo, hạn 10/7/2019"), "{todo}");
    assert!(!todo.contains("thành viên chưa báo cáo"), "{todo}");
    assert!(!todo.contains(&ballot_link), "{todo}");

    // The viewer: where to look, no ballot and no report to chase.
    let mut viewer = app.login("xem.cantho").await;
    let home = viewer.get("/").await.body;
    let todo = todo_section(&home);
    assert!(todo.contains("Có thể xem"), "{home}");
    assert!(todo.contains("href=\"/clusters\""), "{todo}");
    assert!(!todo.contains(&ballot_link), "{todo}");

    // Signed out: no to-do list at all.
    let home = app.client().get("/").await.body;
    assert!(!home.contains("id=\"todo\""));
}

fn value_names(body: &str) -> Vec<String> {
    body.match_indices("name=\"v")
        .map(|(i, _)| body[i + 6..].split('"').next().unwrap().to_owned())
        .filter(|n| n[1..].bytes().all(|b| b.is_ascii_digit()))
        .collect()
}

#[tokio::test]
async fn a_refused_report_keeps_every_value_typed_and_a_saved_one_is_confirmed() {
    let (app, _) = app_with_cluster().await;
    let mut hg = app.login("canbo.haugiang").await;
    let form = hg
        .get(&format!("{CLUSTER}/submit/hau-giang?period=2019-H1"))
        .await;
    let names = value_names(&form.body);
    assert_eq!(names.len(), 2, "{}", form.body);

    // The second value is not a number: 422, the first is still there, the
    // wrong one is shown back and marked, the message names the indicator.
    let bad = hg
        .post_form(
            &format!("{CLUSTER}/submit/hau-giang"),
            &[
                ("period", "2019-H1"),
                (&names[0], "7,5"),
                (&names[1], "tám mươi"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"7,5\""), "{}", bad.body);
    assert!(bad.body.contains("value=\"tám mươi\""), "{}", bad.body);
    assert!(bad.body.contains("aria-invalid=\"true\""), "{}", bad.body);
    assert!(
        bad.body
            .contains("Thu ngân sách so với kế hoạch năm: «tám mươi»"),
        "{}",
        bad.body
    );
    assert!(!bad.body.contains("(trường"), "no field code: {}", bad.body);

    // Corrected: saved, and the next page says so once.
    let ok = hg
        .post_form(
            &format!("{CLUSTER}/submit/hau-giang"),
            &[("period", "2019-H1"), (&names[0], "7,5"), (&names[1], "80")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let to = ok.location().unwrap().to_owned();
    assert!(to.contains("luu=so-lieu"), "{to}");
    let next = hg.get(&to).await;
    assert!(
        next.body.contains("Đã lưu số liệu báo cáo."),
        "{}",
        next.body
    );
    let plain = hg.get(&format!("{CLUSTER}?period=2019-H1")).await;
    assert!(!plain.body.contains("Đã lưu"), "only after a save");
    // A made-up flag puts no words on the page.
    let forged = hg.get(&format!("{CLUSTER}?luu=%3Cb%3Ehi")).await;
    assert!(!forged.body.contains("Đã lưu") && !forged.body.contains("<b>hi"));
}

#[tokio::test]
async fn a_refused_indicator_keeps_its_fields_and_the_leader_is_not_preselected() {
    let (app, _) = app_with_cluster().await;
    let mut officer = app.login("canbo.haugiang").await;

    // No leader elected: the select says «chưa bầu», the rotation's
    // suggestion is only marked.
    let setup = officer.get(&format!("{CLUSTER}/setup")).await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.body);
    let leader = setup
        .body
        .split("name=\"leader\"")
        .nth(1)
        .unwrap()
        .split("</select>")
        .next()
        .unwrap();
    assert!(
        leader.contains("<option value=\"\" selected>— chưa bầu —"),
        "{leader}"
    );
    assert_eq!(leader.matches("selected").count(), 1, "{leader}");
    assert!(leader.contains("gợi ý luân phiên"), "{leader}");

    // A new indicator with a bad threshold: every field comes back.
    let bad = officer
        .post_form(
            &format!("{CLUSTER}/setup/indicators"),
            &[
                ("indicator", "poverty_rate"),
                ("name", "Tỷ lệ hộ nghèo"),
                ("unit", "percent"),
                ("direction", "lower"),
                ("aggregate", "sum"),
                ("threshold", "ba phẩy năm"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Mức phấn đấu chung:"), "{}", bad.body);
    for kept in [
        "value=\"poverty_rate\"",
        "value=\"Tỷ lệ hộ nghèo\"",
        "value=\"ba phẩy năm\"",
        "<option value=\"lower\" selected>",
        "<option value=\"sum\" selected>",
    ] {
        assert!(bad.body.contains(kept), "{kept} lost: {}", bad.body);
    }

    // Saved: back to the pledge with a confirmation.
    let ok = officer
        .post_form(
            &format!("{CLUSTER}/setup/indicators"),
            &[
                ("indicator", "poverty_rate"),
                ("name", "Tỷ lệ hộ nghèo"),
                ("unit", "percent"),
                ("direction", "lower"),
                ("aggregate", "mean"),
                ("threshold", "3,5"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let to = ok.location().unwrap().to_owned();
    assert!(to.ends_with("?luu=chi-tieu#pledge"), "{to}");
    assert!(officer.get(&to).await.body.contains("Đã lưu chỉ tiêu."));
}

#[tokio::test]
async fn research_caveats_are_on_the_administrators_rules_page_only() {
    let app = TestApp::demo().await;
    let mut admin = app.login("admin").await;
    let rules = admin.get("/admin/rules").await;
    assert_eq!(rules.status, StatusCode::OK);
    assert!(rules.body.contains("Nguồn thứ cấp"), "{}", rules.body);
    assert!(
        rules.body.contains("Huân chương Sao vàng"),
        "{}",
        rules.body
    );
    let mut officer = app.login("canbo.cantho").await;
    assert_eq!(
        officer.get("/admin/rules").await.status,
        StatusCode::FORBIDDEN
    );

    // An answer about a unit of the officer's: no caveat, and the awards
    // whose criteria are not encoded only counted, not listed for review.
    let page = officer.get("/units/can-tho/eligibility?year=2025").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(!page.body.contains("Chưa chắc chắn"), "{}", page.body);
    assert!(!page.body.contains("Nguồn thứ cấp"), "{}", page.body);
    assert!(
        !page.body.contains("data-award=\"huan-chuong-sao-vang\""),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("chưa có tiêu chuẩn tự động"),
        "{}",
        page.body
    );
}

/// Every `<select>` of a page: its options' labels.
fn selects(body: &str) -> Vec<(String, Vec<String>)> {
    body.split("<select name=\"")
        .skip(1)
        .map(|s| {
            let name = s.split('"').next().unwrap_or("").to_owned();
            let inner = s.split("</select>").next().unwrap_or("");
            let labels = inner
                .split("<option")
                .skip(1)
                .map(|o| {
                    o.split_once('>')
                        .map_or("", |(_, r)| r.split("</option>").next().unwrap_or(""))
                        .trim()
                        .to_owned()
                })
                .collect();
            (name, labels)
        })
        .collect()
}

#[tokio::test]
async fn no_two_choices_of_a_picker_read_alike_and_none_is_blank() {
    let (app, _) = app_with_cluster().await;
    let mut admin = app.login("admin").await;
    for page in [
        "/movements/new",
        "/clusters/new",
        &format!("{CLUSTER}/setup"),
    ] {
        let r = admin.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}: {}", r.body);
        for (name, labels) in selects(&r.body) {
            let mut seen = std::collections::BTreeSet::new();
            for l in &labels {
                assert!(!l.is_empty(), "{page} {name}: a blank choice");
                assert!(seen.insert(l), "{page} {name}: «{l}» twice in {labels:?}");
            }
        }
    }
    // A new movement is launched by a unit in being: the ended ones come
    // last, dated, under their own heading (for a movement of their time).
    let r = admin.get("/movements/new").await;
    let (_, units) = selects(&r.body)
        .into_iter()
        .find(|(n, _)| n == "unit")
        .unwrap();
    let first_ended = units.iter().position(|l| l.contains("(đến ")).unwrap();
    assert!(
        units[first_ended..].iter().all(|l| l.contains("(đến ")),
        "{units:?}"
    );
    assert!(
        r.body.contains("<optgroup label=\"Đã giải thể, sáp nhập"),
        "{}",
        r.body
    );
    // The cluster's members are picked among units of 2019, ended ones dated.
    let r = admin.get(&format!("{CLUSTER}/setup")).await;
    let (_, candidates) = selects(&r.body)
        .into_iter()
        .find(|(n, _)| n == "unit")
        .unwrap();
    assert!(
        candidates.iter().any(|l| l.starts_with("Cần Thơ (đến ")),
        "{candidates:?}"
    );
}

/// Imports that failed, beyond the web's award imports: a command-line
/// import with `--skip-invalid` commits the good rows and leaves the others
/// out; the log records it with the count, and the administrator's home
/// page lists it, linked to the log. An officer's does not (the command
/// line and the log are the administrator's), and a clean import is not
/// listed.
#[tokio::test]
async fn a_command_line_import_that_left_rows_out_is_on_the_administrators_home() {
    use tdkt_store::awards::import::ImportOptions;
    let app = TestApp::demo().await;
    let s = &app.db.store;
    let csv = "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority\n\
person,093075335003,hau-giang.so-xay-dung,Nguyễn Văn Bình,lao-dong-tien-tien,2023,901/QĐ-SXD,2024-01-15,Giám đốc Sở Xây dựng tỉnh Hậu Giang\n\
person,093190526925,hau-giang.so-xay-dung,Lê Thị Thu Trang,lao-dong-tien-tien,2024,903/QĐ-SXD,2023-12-01,Giám đốc Sở Xây dựng tỉnh Hậu Giang\n";
    let import = |name: &str, body: String| {
        let name = name.to_owned();
        async move {
            let (header, rows, _) =
                tdkt_store::awards::file::read_bytes(&name, body.into_bytes()).unwrap();
            let opts = ImportOptions {
                skip_invalid: true,
                source_name: name,
                ..Default::default()
            };
            s.import_awards("cli", &header, rows, &opts, &|_| {})
                .await
                .unwrap()
        }
    };
    let clean = csv.lines().next().unwrap().to_owned()
        + "\nperson,093190000017,hau-giang.so-xay-dung,Đinh Thị Mai,giay-khen,2023,902/QĐ-SXD,2024-01-15,Giám đốc Sở Xây dựng tỉnh Hậu Giang\n";
    let report = import("sach.csv", clean).await;
    assert_eq!(report.file.rejected_count, 0);
    let report = import("khen-thuong-2024.csv", csv.to_owned()).await;
    assert!(report.committed);
    assert_eq!(report.file.rejected_count, 1);

    let mut admin = app.login("admin").await;
    let home = admin.get("/").await;
    assert!(
        home.body.contains("tệp «khen-thuong-2024.csv»"),
        "{}",
        home.body
    );
    assert!(
        home.body.contains("1 / 2 dòng lỗi không được nhập"),
        "{}",
        home.body
    );
    assert!(!home.body.contains("«sach.csv»"), "{}", home.body);
    assert!(
        home.body
            .contains("href=\"/admin/audit?nguoi=cli&amp;doi_tuong=award_import&amp;truoc="),
        "{}",
        home.body
    );
    let mut officer = app.login("canbo.haugiang").await;
    let home = officer.get("/").await;
    assert!(!home.body.contains("khen-thuong-2024.csv"), "{}", home.body);
}
