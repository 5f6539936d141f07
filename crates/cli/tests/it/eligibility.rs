//! `tdkt import ratings|discipline|initiatives` and `tdkt eligibility
//! check|scan` end to end through the binary, on a temporary SQLite file (or
//! the PostgreSQL of `TDKT_TEST_DATABASE_URL`).

use std::path::Path;
use std::process::Output;

use tdkt_store::testing::TestDb;

use super::support::{command, text};

/// Trần Thị Hà of the demo data, at Sở Xây dựng Hậu Giang since 01/01/2019.
const HA: &str = "093182124906";

fn tdkt(db: &str, dir: &Path, args: &[&str]) -> Output {
    command(db)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run tdkt")
}

fn write(dir: &Path, name: &str, body: &str) {
    std::fs::write(dir.join(name), body).unwrap();
}

/// Hà: rated tốt 2023–2025, Chiến sĩ thi đua cơ sở 2023–2025, a provincial
/// initiative recognised in 2024.
fn arrange_ha(db: &str, dir: &Path) {
    write(
        dir,
        "ratings.csv",
        &format!("cccd,year,rating\n{HA},2023,hoàn thành tốt nhiệm vụ\n{HA},2024,HTXSNV\n{HA},2025,hoan-thanh-tot\n"),
    );
    let o = tdkt(db, dir, &["import", "ratings", "ratings.csv"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("3 dòng mới hoặc thay đổi"),
        "{}",
        text(&o)
    );
    write(
        dir,
        "awards.csv",
        &format!(
            "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority\n\
             person,{HA},hau-giang.so-xay-dung,Trần Thị Hà,chien-si-thi-dua-co-so,2023,11/QĐ-SXD,2024-01-10,Sở\n\
             person,{HA},hau-giang.so-xay-dung,Trần Thị Hà,chien-si-thi-dua-co-so,2024,12/QĐ-SXD,2025-01-10,Sở\n\
             person,{HA},hau-giang.so-xay-dung,Trần Thị Hà,chien-si-thi-dua-co-so,2025,13/QĐ-SXD,2026-01-10,Sở\n"
        ),
    );
    let o = tdkt(db, dir, &["import", "awards", "awards.csv"]);
    assert!(o.status.success(), "{}", text(&o));
    write(
        dir,
        "init.csv",
        &format!("cccd,kind,title,scope,recognised_on,decision_no\n{HA},sáng kiến,Số hóa hồ sơ cấp phép xây dựng,cấp tỉnh,2024-11-20,45/QĐ-UBND\n"),
    );
    let o = tdkt(db, dir, &["import", "initiatives", "init.csv"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[tokio::test]
async fn three_years_of_cstdcs_and_a_provincial_initiative_make_a_provincial_cstd() {
    let db = TestDb::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    arrange_ha(&db.url, dir.path());

    let o = tdkt(
        &db.url,
        dir.path(),
        &[
            "eligibility",
            "check",
            "--person",
            HA,
            "--award",
            "chien-si-thi-dua-cap-tinh",
            "--year",
            "2025",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("ĐỦ ĐIỀU KIỆN"), "{out}");
    assert!(out.contains("✓") && out.contains("Điều 22"), "{out}");
    assert!(
        out.contains("13/QĐ-SXD"),
        "evidence names the decisions: {out}"
    );
    assert!(!out.contains(HA), "the CCCD is shown masked: {out}");

    let j = tdkt(
        &db.url,
        dir.path(),
        &[
            "eligibility",
            "check",
            "--person",
            HA,
            "--award",
            "chien-si-thi-dua-cap-tinh",
            "--year",
            "2025",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).expect("json");
    assert_eq!(v["explanation"]["verdict"], "eligible");
    assert_eq!(v["subject"]["kind"], "person");
}

#[tokio::test]
async fn a_gap_year_fails_the_streak_and_names_the_earliest_year() {
    let db = TestDb::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    arrange_ha(&db.url, dir.path());
    // judged for 2026 the 2026 title is missing: not yet, earliest 2026/2027
    let o = tdkt(
        &db.url,
        dir.path(),
        &[
            "eligibility",
            "check",
            "--person",
            HA,
            "--award",
            "chien-si-thi-dua-toan-quoc",
            "--year",
            "2025",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(
        out.contains("CHƯA ĐỦ ĐIỀU KIỆN") && out.contains("✗"),
        "{out}"
    );
    assert!(out.contains("sớm nhất có thể đạt: năm"), "{out}");
}

#[tokio::test]
async fn discipline_in_the_year_blocks_lao_dong_tien_tien_and_a_missing_rating_needs_review() {
    let db = TestDb::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    arrange_ha(&db.url, dir.path());
    write(
        dir.path(),
        "kl.csv",
        &format!("cccd,level,decision_no,decision_date,months,reason\n{HA},Khiển trách,7/QĐ-SXD,2025-05-02,6,vi phạm giờ giấc\n"),
    );
    let o = tdkt(&db.url, dir.path(), &["import", "discipline", "kl.csv"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = tdkt(
        &db.url,
        dir.path(),
        &[
            "eligibility",
            "check",
            "--person",
            HA,
            "--award",
            "lao-dong-tien-tien",
            "--year",
            "2025",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(out.contains("7/QĐ-SXD"), "{out}");
    // 2024 had no discipline
    let o = tdkt(
        &db.url,
        dir.path(),
        &[
            "eligibility",
            "check",
            "--person",
            HA,
            "--award",
            "lao-dong-tien-tien",
            "--year",
            "2024",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // 2022: no rating on file
    let o = tdkt(
        &db.url,
        dir.path(),
        &[
            "eligibility",
            "check",
            "--person",
            HA,
            "--award",
            "lao-dong-tien-tien",
            "--year",
            "2022",
            "--at",
            "2022-12-31",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(4), "{out}");
    assert!(out.contains("CẦN XEM XÉT THÊM"), "{out}");
}

#[tokio::test]
async fn a_rating_for_a_year_without_employment_is_refused_by_row_and_nothing_is_imported() {
    let db = TestDb::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "r.csv",
        &format!("Số CCCD,Năm,Xếp loại\n{HA},2024,tốt\n{HA},2010,hoàn thành tốt nhiệm vụ\n{HA},2023,giỏi\n"),
    );
    let o = tdkt(&db.url, dir.path(), &["import", "ratings", "r.csv"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("Dòng 3, cột «Năm»") && out.contains("không công tác trong năm 2010"),
        "{out}"
    );
    assert!(
        out.contains("Dòng 4, cột «Xếp loại»") && out.contains("«giỏi»"),
        "{out}"
    );
    let p = db.store.person_by_cccd(HA).await.unwrap().unwrap();
    assert!(db.store.person_ratings(p.id).await.unwrap().is_empty());

    let o = tdkt(
        &db.url,
        dir.path(),
        &["import", "ratings", "r.csv", "--skip-invalid"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(db.store.person_ratings(p.id).await.unwrap().len(), 1);
    let rejects = std::fs::read_to_string(dir.path().join("r.loi.csv")).unwrap();
    assert!(rejects.contains("2010"), "{rejects}");
    // the same file again changes nothing
    let o = tdkt(
        &db.url,
        dir.path(),
        &["import", "ratings", "r.csv", "--skip-invalid"],
    );
    assert!(
        text(&o).contains("0 dòng mới hoặc thay đổi"),
        "{}",
        text(&o)
    );
}

#[tokio::test]
async fn a_unit_counts_the_ratings_of_the_department_merged_into_it() {
    let db = TestDb::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    // Sở KH&ĐT Hậu Giang merged into Sở Tài chính Hậu Giang on 01/03/2025
    write(
        dir.path(),
        "u.csv",
        "unit_code,year,rating\nhau-giang.so-ke-hoach-dau-tu,2024,hoàn thành xuất sắc nhiệm vụ\n",
    );
    let o = tdkt(&db.url, dir.path(), &["import", "ratings", "u.csv"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = tdkt(
        &db.url,
        dir.path(),
        &[
            "eligibility",
            "check",
            "--unit",
            "hau-giang.so-tai-chinh",
            "--award",
            "tap-the-lao-dong-xuat-sac",
            "--year",
            "2024",
        ],
    );
    let out = text(&o);
    assert!(out.contains("kế thừa từ"), "{out}");
    assert!(
        out.contains("Sở Kế hoạch và Đầu tư tỉnh Hậu Giang"),
        "{out}"
    );
}

#[tokio::test]
async fn scan_lists_the_eligible_and_writes_a_workbook() {
    let db = TestDb::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    arrange_ha(&db.url, dir.path());
    let o = tdkt(
        &db.url,
        dir.path(),
        &[
            "eligibility",
            "scan",
            "--year",
            "2025",
            "--award",
            "chien-si-thi-dua-cap-tinh",
            "--out",
            "ds.xlsx",
        ],
    );
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("1 người đủ điều kiện"), "{out}");
    // one sheet per award, named by its code, the person's row under the header
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(dir.path().join("ds.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["chien-si-thi-dua-cap-tinh"]);
    let sheet = wb.worksheet_range("chien-si-thi-dua-cap-tinh").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0][2], "Họ và tên");
    assert_eq!(rows[1][5], "đủ điều kiện", "{rows:?}");
    // every individual award with a rule, and a unit filter outside Hà's province
    let o = tdkt(
        &db.url,
        dir.path(),
        &[
            "eligibility",
            "scan",
            "--year",
            "2025",
            "--unit",
            "soc-trang",
            "--award",
            "chien-si-thi-dua-cap-tinh",
        ],
    );
    assert!(text(&o).contains("0 người đủ điều kiện"), "{}", text(&o));
}

/// The cells of every sheet of `path`, as text, sheet by sheet.
fn sheets_of(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(ToString::to_string).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

#[tokio::test]
async fn a_scan_workbook_lists_each_award_eligible_first_in_id_order_and_continues_on_a_second_sheet(
) {
    use tdkt_core::catalogue::Recipient;
    use tdkt_core::eligibility::{EvalContext, Verdict};
    let db = TestDb::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    // a generated registry: hundreds of people eligible or one year away
    let o = tdkt(
        &db.url,
        dir.path(),
        &["gen", "--people", "300", "--awards", "3000", "--out", "g"],
    );
    assert!(o.status.success(), "{}", text(&o));
    for (kind, file) in [
        ("awards", "g/awards.csv"),
        ("ratings", "g/ratings.csv"),
        ("initiatives", "g/initiatives.csv"),
    ] {
        let o = tdkt(
            &db.url,
            dir.path(),
            &["import", kind, file, "--skip-invalid"],
        );
        assert!(o.status.success(), "{}", text(&o));
    }

    // What the list must say, built the way the scan built it before it
    // streamed: every hit buffered, then sorted by award, eligible first,
    // person id.
    let rules = tdkt_store::rules::current().eligibility();
    let cat = rules.catalogue();
    let ctx = EvalContext::year_end(2025);
    let scanners: Vec<_> = cat
        .awards()
        .iter()
        .filter(|a| a.accepts(Recipient::Individual))
        .map(|a| rules.scanner(a.id, ctx))
        .filter(tdkt_core::eligibility::Scanner::has_rule)
        .collect();
    let units: std::collections::HashMap<i64, String> = db
        .store
        .units()
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut hits = Vec::new();
    db.store
        .scan_histories(cat, 2025, None, |p, h| {
            for s in &scanners {
                let eligible = match s.verdict(h) {
                    Verdict::Eligible => true,
                    Verdict::NotEligible if s.verdict_next_year(h) == Verdict::Eligible => false,
                    _ => continue,
                };
                hits.push((
                    s.award().id,
                    eligible,
                    p.id,
                    p.full_name.clone(),
                    p.cccd_masked.clone(),
                    units[&p.unit_id].clone(),
                ));
            }
        })
        .await
        .unwrap();
    hits.sort_by_key(|h| (h.0, !h.1, h.2));
    const ROWS: usize = 37;
    let head = [
        "Danh hiệu/hình thức",
        "Mã",
        "Họ và tên",
        "CCCD",
        "Đơn vị",
        "Kết quả",
        "Mã người",
    ];
    let mut want: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    for award in hits.chunk_by(|a, b| a.0 == b.0) {
        let a = cat.award(award[0].0);
        for (part, rows) in award.chunks(ROWS).enumerate() {
            let name = if part == 0 {
                a.code.clone()
            } else {
                format!("{} ({})", a.code, part + 1)
            };
            let mut cells = vec![head.map(String::from).to_vec()];
            for h in rows {
                cells.push(vec![
                    a.name.clone(),
                    a.code.clone(),
                    h.3.clone(),
                    h.4.clone(),
                    h.5.clone(),
                    if h.1 {
                        "đủ điều kiện"
                    } else {
                        "còn một năm nữa"
                    }
                    .to_owned(),
                    h.2.to_string(),
                ]);
            }
            want.push((name, cells));
        }
    }
    let near = hits.iter().filter(|h| !h.1).count();
    assert!(
        near > 0 && hits.len() - near > ROWS,
        "the data lists both kinds, more than a sheet's rows: {} eligible, {near} one year away",
        hits.len() - near
    );
    assert!(
        want.iter().any(|(name, _)| name.ends_with(" (2)")),
        "some award spans two sheets"
    );

    let out = dir.path().join("ds.xlsx");
    let o = tdkt_cli::eligibility::ScanOptions {
        year: 2025,
        award: None,
        unit: None,
        out: Some(&out),
    };
    tdkt_cli::eligibility::scan_with_sheet_rows(&db.store, &o, u32::try_from(ROWS).unwrap())
        .await
        .unwrap();
    let got = sheets_of(&out);
    let names =
        |s: &[(String, Vec<Vec<String>>)]| s.iter().map(|s| s.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want));
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "sheet {}", w.0);
    }
    // nothing is left behind beside the workbook
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");

    // a year before any rating: nobody to list, one empty sheet named by it
    let o = tdkt_cli::eligibility::ScanOptions {
        year: 2000,
        award: Some("chien-si-thi-dua-cap-tinh"),
        unit: Some("soc-trang"),
        out: Some(&out),
    };
    tdkt_cli::eligibility::scan(&db.store, &o).await.unwrap();
    let got = sheets_of(&out);
    assert_eq!(names(&got), ["Năm 2000"]);
}
