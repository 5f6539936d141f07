//! The `tdkt` binary on a fresh database (SQLite by default, PostgreSQL with
//! `TDKT_TEST_DATABASE_URL=postgres://…`): import a pledge and H1 values,
//! draft the review, export it; every kind of bad row is refused with its
//! line and column and nothing is imported; `--skip-invalid` keeps the good
//! rows and writes the bad ones out; a correction keeps history.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

use rust_decimal::Decimal;
use tdkt_core::org::NewUnit;
use tdkt_core::period::Period;
use tdkt_store::testing::TestDb;

const KEY: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/data")
        .join(name)
}

fn tdkt(db: &TestDb, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args(["--database-url", &db.url])
        .args(args)
        .env("TDKT_SECRET_KEY", KEY)
        .env("TDKT_LOG", "warn")
        .current_dir(dir)
        .output()
        .expect("run tdkt")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "tdkt failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn failed(o: &Output) -> String {
    assert!(
        !o.status.success(),
        "tdkt should have failed:\n{}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh database with the Tây Nam bộ pledge and H1 2019 values imported.
async fn imported() -> (TestDb, tempfile::TempDir) {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let pledge = data("tay-nam-bo-2019-pledge.csv");
    let h1 = data("tay-nam-bo-2019-h1.csv");
    let out = ok(&tdkt(
        &db,
        dir.path(),
        &[
            "import",
            "pledge",
            pledge.to_str().unwrap(),
            "--create-missing",
        ],
    ));
    assert!(out.contains("5 chỉ tiêu mới"), "{out}");
    let out = ok(&tdkt(
        &db,
        dir.path(),
        &[
            "import",
            "indicators",
            h1.to_str().unwrap(),
            "--create-missing",
        ],
    ));
    assert!(out.contains("Đã nhập 60 / 60 dòng"), "{out}");
    assert!(
        out.contains("tạo đơn vị «Trà Vinh»"),
        "each creation is reported: {out}"
    );
    (db, dir)
}

fn h1() -> Period {
    Period::parse("2019-H1").unwrap()
}

async fn value_of(db: &TestDb, member: &str, indicator: &str) -> Option<Decimal> {
    let c = db.store.cluster("tay-nam-bo", 2019).await.unwrap();
    let pledge = db.store.pledge(c.id).await.unwrap();
    let (iid, _) = pledge
        .iter()
        .find(|(_, i)| i.key.as_str() == indicator)
        .unwrap();
    let unit = db
        .store
        .find_units(member, None, 1)
        .await
        .unwrap()
        .remove(0);
    db.store
        .current_values(c.id, h1())
        .await
        .unwrap()
        .into_iter()
        .find(|(u, i, _)| *u == unit.id && i == iid)
        .map(|(_, _, v)| v)
}

async fn value_count(db: &TestDb) -> usize {
    let c = db.store.cluster("tay-nam-bo", 2019).await.unwrap();
    db.store.current_values(c.id, h1()).await.unwrap().len()
}

const SENTENCES: [&str; 5] = [
    "Tốc độ tăng trưởng kinh tế (GRDP) 6 tháng đầu năm 2019 của các tỉnh trong Cụm bình quân đạt 8,2%, \
     một số tỉnh đạt cao như: Trà Vinh 17%; Long An 9,89%; Bến Tre 8,37%; Bạc Liêu 8,25%.",
    "bình quân đạt 63,43%. 12/12 tỉnh trong Cụm đạt từ 55% trở lên, một số tỉnh đạt cao như: \
     Hậu Giang 83,41%; Long An 68,6%; Bến Tre 67,94%; Sóc Trăng 67,6%; An Giang 65,6%.",
    "Kim ngạch xuất khẩu của Cụm 6 tháng đầu năm 2019 đạt 8,493 tỷ USD",
    "Có 4/12 tỉnh đạt từ 50% trở lên, gồm: Vĩnh Long 57,2%; Đồng Tháp 53,8%; Hậu Giang 50,86%; Bến Tre 50,8%.",
    "bình quân đạt 96,62%, một số tỉnh đạt cao như: Bạc Liêu 97,95%; Đồng Tháp 97,59%; An Giang 97,36%; \
     Bến Tre 97,34%; Long An 97,16%; Vĩnh Long 97,15%.",
];

#[tokio::test]
async fn a_fresh_database_imports_the_h1_2019_data_and_drafts_the_published_review() {
    let (db, dir) = imported().await;

    let text = ok(&tdkt(
        &db,
        dir.path(),
        &[
            "report",
            "review",
            "--cluster",
            "tay-nam-bo",
            "--period",
            "2019-H1",
        ],
    ));
    for s in SENTENCES {
        assert!(text.contains(s), "missing «{s}» in:\n{text}");
    }
    assert!(text.contains("12/12 tỉnh báo cáo"), "{text}");

    // DOCX: the sentences are in word/document.xml with their diacritics.
    let docx = dir.path().join("review.docx");
    ok(&tdkt(
        &db,
        dir.path(),
        &[
            "report",
            "review",
            "--cluster",
            "tay-nam-bo",
            "--period",
            "2019-H1",
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap(),
        ],
    ));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for s in [
        SENTENCES[2],
        "Trà Vinh 17%; Long An 9,89%; Bến Tre 8,37%; Bạc Liêu 8,25%.",
    ] {
        assert!(xml.contains(s), "DOCX lacks «{s}»");
    }

    // PDF: pdftotext (poppler-utils) reads the Vietnamese back.
    let pdf = dir.path().join("review.pdf");
    ok(&tdkt(
        &db,
        dir.path(),
        &[
            "report",
            "review",
            "--cluster",
            "tay-nam-bo",
            "--period",
            "2019-H1",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    match Command::new("pdftotext").arg(&pdf).arg("-").output() {
        Ok(o) if o.status.success() => {
            let t = String::from_utf8_lossy(&o.stdout);
            let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
            for s in [
                "Trà Vinh 17%",
                "Hậu Giang 83,41%",
                "8,493 tỷ USD",
                "Tốc độ tăng trưởng kinh tế",
            ] {
                assert!(flat.contains(s), "PDF text lacks «{s}»:\n{flat}");
            }
        }
        _ => eprintln!("pdftotext not installed: PDF text not checked"),
    }

    // Markdown and HTML render too.
    let md = ok(&tdkt(
        &db,
        dir.path(),
        &[
            "report",
            "review",
            "--cluster",
            "tay-nam-bo",
            "--period",
            "2019-H1",
            "--format",
            "md",
        ],
    ));
    assert!(md.starts_with("# "), "{md}");
    let html = ok(&tdkt(
        &db,
        dir.path(),
        &[
            "report",
            "review",
            "--cluster",
            "tay-nam-bo",
            "--period",
            "2019-H1",
            "--format",
            "html",
        ],
    ));
    assert!(html.contains("<svg"), "one chart per indicator");

    // Every change went through the audit chain, which is intact.
    assert!(ok(&tdkt(&db, dir.path(), &["verify-audit"])).contains("Nhật ký toàn vẹn"));
}

/// Writes a values file: a header and the given rows.
fn values_file(dir: &Path, name: &str, rows: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let mut s = String::from("cluster,period,member,indicator,value,unit,source\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    std::fs::write(&path, s).unwrap();
    path
}

const GOOD: &str = "tay-nam-bo,2019-H1,Trà Vinh,grdp_growth,18.5,percent,sửa";

#[tokio::test]
async fn every_bad_row_is_refused_with_its_line_and_column_and_nothing_is_imported() {
    let (db, dir) = imported().await;
    // A unit that exists but is not a member of the cluster.
    let root = db.store.unit_by_code("trung-uong").await.unwrap();
    let binh_duong = NewUnit::parse(
        "binh-duong",
        "Bình Dương",
        "tinh",
        Some(&root.code),
        time::macros::date!(1997 - 01 - 01),
        None,
    )
    .unwrap();
    db.store.create_unit("test", &binh_duong).await.unwrap();

    let cases: [(&str, &str, &[&str]); 8] = [
        (
            "unknown unit",
            "Dòng 3, cột «unit»: đơn vị tính «kg»",
            &["tay-nam-bo,2019-H1,Long An,grdp_growth,9,kg,x"],
        ),
        (
            "non-numeric value",
            "Dòng 3, cột «value»: «chín» không phải là số",
            &["tay-nam-bo,2019-H1,Long An,grdp_growth,chín,percent,x"],
        ),
        (
            "duplicate row",
            "Dòng 4, cột «member»: trùng với dòng 3",
            &[
                "tay-nam-bo,2019-H1,Long An,grdp_growth,9,percent,x",
                "tay-nam-bo,2019-H1,long an,grdp_growth,9.5,percent,x",
            ],
        ),
        (
            "period outside the year",
            "Dòng 3, cột «period»: kỳ 6 tháng đầu năm 2020 nằm ngoài năm 2019",
            &["tay-nam-bo,2020-H1,Long An,grdp_growth,9,percent,x"],
        ),
        (
            "member not in the cluster",
            "Dòng 3, cột «member»: «Bình Dương» không phải là thành viên",
            &["tay-nam-bo,2019-H1,Bình Dương,grdp_growth,9,percent,x"],
        ),
        (
            "unknown member",
            "Dòng 3, cột «member»: không tìm thấy đơn vị «Atlantis»",
            &["tay-nam-bo,2019-H1,Atlantis,grdp_growth,9,percent,x"],
        ),
        (
            "unknown indicator",
            "Dòng 3, cột «indicator»: chỉ tiêu «rice_output»",
            &["tay-nam-bo,2019-H1,Long An,rice_output,9,percent,x"],
        ),
        (
            "unknown cluster",
            "Dòng 3, cột «cluster»: không có cụm, khối «dong-nam-bo»",
            &["dong-nam-bo,2019-H1,Long An,grdp_growth,9,percent,x"],
        ),
    ];
    for (what, expected, bad) in cases {
        let mut rows = vec![GOOD];
        rows.extend_from_slice(bad);
        let file = values_file(dir.path(), "bad.csv", &rows);
        let err = failed(&tdkt(
            &db,
            dir.path(),
            &["import", "indicators", file.to_str().unwrap()],
        ));
        assert!(
            err.contains(expected),
            "{what}: expected «{expected}» in:\n{err}"
        );
        assert!(err.contains("Không nhập dòng nào"), "{what}: {err}");
        // All or nothing: the good row was not imported either.
        assert_eq!(
            value_of(&db, "Trà Vinh", "grdp_growth").await,
            Some(Decimal::from(17)),
            "{what}"
        );
        assert_eq!(value_count(&db).await, 60, "{what}");
    }
    // A bad pledge row names its line and column too.
    let pledge = dir.path().join("pledge.csv");
    std::fs::write(
        &pledge,
        "cluster,year,indicator,name,unit,direction,aggregate,threshold\n\
         tay-nam-bo,2019,poverty,Tỷ lệ hộ nghèo,percent,upward,mean,\n",
    )
    .unwrap();
    let err = failed(&tdkt(
        &db,
        dir.path(),
        &["import", "pledge", pledge.to_str().unwrap()],
    ));
    assert!(err.contains("Dòng 2, cột «direction»"), "{err}");
    let err = failed(&tdkt(
        &db,
        dir.path(),
        &[
            "report",
            "review",
            "--cluster",
            "tay-nam-bo",
            "--period",
            "2019-H7",
        ],
    ));
    assert!(err.contains("--period"), "{err}");
}

#[tokio::test]
async fn skip_invalid_imports_the_good_rows_writes_the_rejected_ones_and_a_correction_keeps_history(
) {
    let (db, dir) = imported().await;
    let file = values_file(
        dir.path(),
        "mixed.csv",
        &[
            GOOD,
            "tay-nam-bo,2019-H1,Long An,grdp_growth,chín,percent,x",
            "tay-nam-bo,2019-H1,Atlantis,grdp_growth,9,percent,x",
        ],
    );
    let rejected = dir.path().join("out/rejected.csv");
    std::fs::create_dir_all(rejected.parent().unwrap()).unwrap();
    let out = ok(&tdkt(
        &db,
        dir.path(),
        &[
            "import",
            "indicators",
            file.to_str().unwrap(),
            "--skip-invalid",
            "--rejected",
            rejected.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("Đã nhập 1 / 3 dòng"), "{out}");
    assert!(out.contains("1 giá trị cũ được thay thế"), "{out}");
    // the same rejects file as every import: row, column, reason, the row
    let csv = std::fs::read_to_string(&rejected).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "dòng,cột,lý do lỗi,cluster,period,member,indicator,value,unit,source"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[1].starts_with("3,value,"), "{csv}");
    assert!(
        lines[1].ends_with(",tay-nam-bo,2019-H1,Long An,grdp_growth,chín,percent,x"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("4,member,") && lines[2].contains("Atlantis"),
        "{csv}"
    );

    // Default name of the rejected file: beside the input.
    ok(&tdkt(
        &db,
        dir.path(),
        &[
            "import",
            "indicators",
            file.to_str().unwrap(),
            "--skip-invalid",
        ],
    ));
    assert!(dir.path().join("mixed.rejected.csv").exists());

    // The report uses the corrected value; the history keeps the old one.
    assert_eq!(
        value_of(&db, "Trà Vinh", "grdp_growth").await,
        Some(Decimal::from_str("18.5").unwrap())
    );
    let text = ok(&tdkt(
        &db,
        dir.path(),
        &[
            "report",
            "review",
            "--cluster",
            "tay-nam-bo",
            "--period",
            "2019-H1",
        ],
    ));
    assert!(text.contains("Trà Vinh 18,5%"), "{text}");
    let c = db.store.cluster("tay-nam-bo", 2019).await.unwrap();
    let pledge = db.store.pledge(c.id).await.unwrap();
    let grdp = pledge
        .iter()
        .find(|(_, i)| i.key.as_str() == "grdp_growth")
        .unwrap()
        .0;
    let tra_vinh = db.store.unit_by_code("tra-vinh").await.unwrap();
    let history = db
        .store
        .value_history(c.id, h1(), tra_vinh.id, grdp)
        .await
        .unwrap();
    let values: Vec<String> = history.iter().map(|v| v.value.to_string()).collect();
    assert_eq!(values, ["17", "18.5", "18.5"]);
    assert!(history[0].superseded_at.is_some() && history[1].superseded_at.is_some());
    assert!(history[2].superseded_at.is_none());
    assert_eq!(value_count(&db).await, 60);
}

#[tokio::test]
async fn members_match_by_code_or_by_name_without_diacritics() {
    let (db, dir) = imported().await;
    let file = values_file(
        dir.path(),
        "codes.csv",
        &[
            "tay-nam-bo,2019-H1,tra-vinh,grdp_growth,16,percent,x",
            "tay-nam-bo,2019-H1,HAU GIANG,grdp_growth,7.5,percent,x",
        ],
    );
    let out = ok(&tdkt(
        &db,
        dir.path(),
        &["import", "indicators", file.to_str().unwrap()],
    ));
    assert!(out.contains("Đã nhập 2 / 2 dòng"), "{out}");
    assert!(!out.contains("tạo đơn vị"), "nothing created: {out}");
    assert_eq!(
        value_of(&db, "Trà Vinh", "grdp_growth").await,
        Some(Decimal::from(16))
    );
    assert_eq!(
        value_of(&db, "Hậu Giang", "grdp_growth").await,
        Some(Decimal::from_str("7.5").unwrap())
    );
}
