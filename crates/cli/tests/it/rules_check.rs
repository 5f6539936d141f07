//! `tdkt rules check` passes on the shipped packs and names file, line and
//! reason for a broken one.

use std::process::Command;

fn tdkt(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args(args)
        .output()
        .expect("run tdkt")
}

#[test]
fn the_shipped_packs_are_valid() {
    let out = tdkt(&["rules", "check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Hợp lệ"));
}

#[test]
fn an_unknown_award_code_is_refused_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nd-moi.toml");
    std::fs::write(
        &file,
        "[pack]\nid = \"nd-moi\"\ntitle = \"Nghị định mới\"\neffective_from = \"2027-01-01\"\n\n[[rule]]\naward = \"khong-ton-tai\"\ncitation = \"Điều 1\"\nwhen = \"a\"\n\n[[rule.clause]]\nid = \"a\"\nkind = \"manual\"\ncitation = \"Điều 1\"\nnote = \"x\"\n",
    )
    .unwrap();
    let out = tdkt(&["rules", "check", file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("nd-moi.toml:7:"), "{text}");
    assert!(text.contains("khong-ton-tai"), "{text}");
}
