//! The issue 14 contract of the command line: `tdkt certificate export`
//! and `tdkt certificate verify` (0 valid, 3 revoked, 1 tampered or
//! unknown), `tdkt award revoke`, and the offline check with the published
//! key as docs/certificates.md shows it.

use std::path::Path;
use std::process::{Command, Output};

use tdkt_store::awards::AwardFilter;
use tdkt_store::testing::TestDb;

use super::support::{command, KEY};

fn tdkt(db: &TestDb, args: &[&str]) -> Output {
    command(&db.url)
        .args(args)
        .env("TDKT_PUBLIC_URL", "https://tdkt.example.gov.vn")
        .output()
        .expect("run tdkt")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

async fn record_of(db: &TestDb, decision: &str) -> i64 {
    db.store
        .search_awards(&AwardFilter {
            q: decision.into(),
            limit: 5,
            ..AwardFilter::default()
        })
        .await
        .unwrap()[0]
        .id
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[tokio::test]
async fn export_verify_revoke_follow_the_exit_code_contract() {
    let db = TestDb::with_demo().await;
    let id = record_of(&db, "2145/QĐ-UBND").await.to_string();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("bang-khen.pdf");

    let out = tdkt(
        &db,
        &[
            "certificate",
            "export",
            "--record",
            &id,
            "--out",
            path(&pdf),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("mã xác minh"));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let last = String::from_utf8_lossy(bytes.rsplit(|&b| b == b'\n').nth(1).unwrap()).into_owned();
    assert!(last.starts_with("%TDKT-SIG v1 ed25519 "), "{last}");

    let ok = tdkt(&db, &["certificate", "verify", path(&pdf)]);
    assert_eq!(ok.status.code(), Some(0), "{}{}", stdout(&ok), stderr(&ok));
    assert!(stdout(&ok).starts_with("Hợp lệ"), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("Trần Thị Hà"));

    // one byte in the middle, or one line appended: tampered, exit 1
    let mut changed = bytes.clone();
    let mid = changed.len() / 2;
    changed[mid] ^= 0x20;
    let bad = dir.path().join("sua.pdf");
    std::fs::write(&bad, &changed).unwrap();
    let out = tdkt(&db, &["certificate", "verify", path(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("Không hợp lệ: tệp đã bị sửa"),
        "{}",
        stdout(&out)
    );
    let mut appended = bytes.clone();
    appended.extend_from_slice(b"%%EOF\n");
    std::fs::write(&bad, &appended).unwrap();
    let out = tdkt(&db, &["certificate", "verify", path(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("Không hợp lệ"));

    let revoke = [
        "award",
        "revoke",
        "--record",
        &id,
        "--ground",
        "gian-doi-ke-khai",
        "--decision",
        "35/QĐ-UBND",
        "--date",
        "2026-01-05",
        "--reason",
        "Kê khai thành tích không đúng",
    ];
    let out = tdkt(&db, &revoke);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("điểm a khoản 2 Điều 93"));
    let out = tdkt(&db, &["certificate", "verify", path(&pdf)]);
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("Đã bị hủy bỏ"));
    assert!(stdout(&out).contains("35/QĐ-UBND"));
    let again = tdkt(&db, &revoke);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("không thể hủy bỏ lần nữa"),
        "{}",
        stderr(&again)
    );
    let out = tdkt(
        &db,
        &[
            "certificate",
            "export",
            "--record",
            &id,
            "--out",
            path(&bad),
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("không in giấy chứng nhận"));
}

#[tokio::test]
async fn the_published_key_alone_checks_the_signature_offline() {
    let db = TestDb::with_demo().await;
    let id = record_of(&db, "2145/QĐ-UBND").await.to_string();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("bang-khen.pdf");
    assert!(tdkt(
        &db,
        &[
            "certificate",
            "export",
            "--record",
            &id,
            "--out",
            path(&pdf)
        ]
    )
    .status
    .success());
    let pem = dir.path().join("khoa.pem");
    let key = db.store.secrets().certificate_public_key();
    std::fs::write(&pem, tdkt_core::certificate::seal::public_key_pem(&key)).unwrap();

    // no database, no master key: only the published key
    let out = Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args([
            "certificate",
            "verify",
            path(&pdf),
            "--public-key",
            path(&pem),
        ])
        .env("TDKT_DATABASE_URL", "sqlite:/nonexistent/dir/x.db")
        .env_remove("TDKT_SECRET_KEY")
        .env("TDKT_KEY_FILE", dir.path().join("no.key"))
        .env("TDKT_LOG", "warn")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("Chưa kiểm tra được việc hủy bỏ"));
    assert!(
        !dir.path().join("no.key").exists(),
        "a check never creates a key"
    );

    // the master key but no database within reach: the signature only
    let out = Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args(["certificate", "verify", path(&pdf)])
        .env("TDKT_DATABASE_URL", "sqlite:/nonexistent/dir/x.db")
        .env("TDKT_SECRET_KEY", KEY)
        .env("TDKT_LOG", "warn")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("Chưa kiểm tra được việc hủy bỏ"));

    // without any key it says what to do, and creates nothing
    let out = Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args(["certificate", "verify", path(&pdf)])
        .env("TDKT_DATABASE_URL", &db.url)
        .env_remove("TDKT_SECRET_KEY")
        .env("TDKT_KEY_FILE", dir.path().join("no.key"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--public-key"));
    assert!(!dir.path().join("no.key").exists());

    // the openssl recipe of docs/certificates.md and /xac-minh/khoa-cong-khai
    let recipe = format!(
        "cd {} && tail -n 1 bang-khen.pdf | awk '{{print $NF}}' | base64 -d > chu-ky.bin && \
         head -c -\"$(tail -n 1 bang-khen.pdf | awk '{{print length($NF)+1}}')\" bang-khen.pdf > phan-ky.bin && \
         openssl pkeyutl -verify -pubin -inkey khoa.pem -rawin -in phan-ky.bin -sigfile chu-ky.bin",
        path(dir.path())
    );
    match Command::new("sh").arg("-c").arg(&recipe).output() {
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("not found") => {
            eprintln!("note: openssl not installed; the offline recipe was not run");
        }
        Ok(o) => assert!(
            String::from_utf8_lossy(&o.stdout).contains("Signature Verified Successfully"),
            "{}{}",
            stdout(&o),
            stderr(&o)
        ),
        Err(e) => eprintln!("note: no shell ({e}); the offline recipe was not run"),
    }
}

#[tokio::test]
async fn a_decision_is_printed_onto_blanks_as_one_signed_file() {
    let db = TestDb::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("45.pdf");
    let out = tdkt(
        &db,
        &[
            "certificate",
            "export",
            "--decision",
            "45/QĐ-SXD",
            "--out",
            path(&pdf),
            "--blank",
            "--offset-x",
            "2",
            "--offset-y",
            "-1.5",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Đã ghi 2 giấy chứng nhận"),
        "{}",
        stdout(&out)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let key = db.store.secrets().certificate_public_key();
    assert_eq!(
        tdkt_core::certificate::seal::verify(&bytes, &key)
            .unwrap()
            .len(),
        2
    );
    let ok = tdkt(&db, &["certificate", "verify", path(&pdf)]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("Nguyễn Văn Bình") && stdout(&ok).contains("Trần Thị Hà"));
    let none = tdkt(
        &db,
        &[
            "certificate",
            "export",
            "--decision",
            "999/QĐ-XX",
            "--out",
            path(&pdf),
        ],
    );
    assert!(!none.status.success());
    assert!(stderr(&none).contains("không có bản ghi khen thưởng nào theo quyết định"));
}
