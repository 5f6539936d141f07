//! `--rules-dir`: the rules (catalogue, packs, calendar, base salaries) are
//! read from a directory at start; a change there is what the commands
//! answer with, and an invalid directory stops every command, the server
//! included, naming file and line. Also `tdkt workdays`, `tdkt reward` and
//! the Bắc Ninh overlay end to end on the demo data.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tdkt_store::testing::TestDb;

use super::support::{command, text, KEY};

/// Trần Thị Hà of the demo data.
const HA: &str = "093182124906";

fn tdkt(db: &str, dir: &Path, args: &[&str]) -> Output {
    command(db)
        .args(args)
        .current_dir(dir)
        .env_remove("TDKT_RULES_DIR")
        .output()
        .expect("run tdkt")
}

fn last_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned()
}

/// The repository root: its catalogue/, rules/, calendar/ and salary/ are a
/// rules directory.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// A copy of the shipped rules directory.
fn copy_rules(into: &Path) -> PathBuf {
    let dir = into.join("quy-tac");
    for f in tdkt_core::rules::FOLDERS {
        copy_dir(&repo().join(f), &dir.join(f));
    }
    dir
}

fn edit(file: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(file).unwrap();
    assert!(s.contains(from), "{from} not in {}", file.display());
    std::fs::write(file, s.replacen(from, to, 1)).unwrap();
}

#[tokio::test]
async fn a_citation_changed_in_a_copy_of_the_rules_directory_is_what_eligibility_check_prints() {
    let db = TestDb::with_demo().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_rules(tmp.path());
    let changed = "Điều 24 Luật TĐKT 2022 — bản sửa trong thư mục quy tắc của tỉnh";
    edit(
        &dir.join("rules/luat-2022-danh-hieu.toml"),
        "citation = \"điểm a khoản 1 Điều 24 Luật TĐKT 2022 (hoàn thành tốt nhiệm vụ trở lên)\"",
        &format!("citation = \"{changed}\""),
    );
    let args = [
        "eligibility",
        "check",
        "--person",
        HA,
        "--award",
        "lao-dong-tien-tien",
        "--year",
        "2025",
    ];
    let shipped = tdkt(&db.url, tmp.path(), &args);
    assert!(!text(&shipped).contains(changed), "{}", text(&shipped));

    let mut with_dir = vec!["--rules-dir", dir.to_str().unwrap()];
    with_dir.extend(args);
    let o = tdkt(&db.url, tmp.path(), &with_dir);
    assert!(text(&o).contains(&format!("[{changed}]")), "{}", text(&o));
    // the environment variable does the same
    let o = Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args(args)
        .current_dir(tmp.path())
        .env("TDKT_DATABASE_URL", &db.url)
        .env("TDKT_SECRET_KEY", KEY)
        .env("TDKT_LOG", "warn")
        .env("TDKT_RULES_DIR", &dir)
        .output()
        .unwrap();
    assert!(text(&o).contains(changed), "{}", text(&o));
}

#[test]
fn rules_check_accepts_the_shipped_directory_and_names_file_and_line_in_a_broken_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_rules(tmp.path());
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &["rules", "check", "--rules-dir", dir.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).starts_with("Hợp lệ: 6 gói quy tắc"),
        "{}",
        text(&o)
    );

    // Line 23 of the Bắc Ninh pack: a percent outside 0–100.
    let pack = dir.join("rules/tinh/bac-ninh-qd-86-2025.toml");
    let src = std::fs::read_to_string(&pack).unwrap();
    let line = src.lines().position(|l| l == "percent = \"70\"").unwrap() + 1;
    edit(&pack, "percent = \"70\"", "percent = \"170\"");
    // and a base salary that is not a number
    edit(
        &dir.join("salary/luong-co-so.toml"),
        "amount = \"2.530.000\"",
        "amount = \"hai triệu rưởi\"",
    );
    // and a council quorum of 0: the council's rules are read from the
    // directory too, not only compiled in
    edit(&dir.join("council/hoi-dong.toml"), "num = 2", "num = 0");
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &["rules", "check", "--rules-dir", dir.to_str().unwrap()],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!("rules/tinh/bac-ninh-qd-86-2025.toml:{line}:")),
        "{out}"
    );
    assert!(out.contains("tỷ lệ 170 ngoài khoảng 0–100%"), "{out}");
    assert!(out.contains("salary/luong-co-so.toml:"), "{out}");
    assert!(out.contains("council/hoi-dong.toml:"), "{out}");
    assert!(out.contains("0/3 không hợp lệ"), "{out}");
    assert!(out.contains("Có 3 lỗi trong thư mục quy tắc"), "{out}");
}

#[test]
fn the_server_refuses_to_start_on_an_invalid_rules_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_rules(tmp.path());
    edit(
        &dir.join("calendar/viet-nam.toml"),
        "date = \"2026-04-27\"",
        "date = \"2026-04-31\"",
    );
    let db = format!("sqlite:{}", tmp.path().join("tdkt.db").display());
    let o = tdkt(
        &db,
        tmp.path(),
        &[
            "--rules-dir",
            dir.to_str().unwrap(),
            "serve",
            "--addr",
            "127.0.0.1:0",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("thư mục quy tắc"), "{out}");
    assert!(out.contains("calendar/viet-nam.toml:"), "{out}");
    assert!(out.contains("2026-04-31"), "{out}");
    assert!(!out.contains("đang chạy"), "{out}");
    // nothing was created: the rules are checked before the database is opened
    assert!(!tmp.path().join("tdkt.db").exists());
}

#[test]
fn workdays_prints_the_due_date_last_across_tet_2026() {
    let tmp = tempfile::tempdir().unwrap();
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &["workdays", "--from", "2026-02-13", "--add", "1"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(last_line(&o), "2026-02-23");
    assert!(text(&o).contains("Tết Âm lịch Bính Ngọ"), "{}", text(&o));

    // A compensatory day off (Monday 27/4/2026, Giỗ Tổ on a Sunday).
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &["workdays", "--from", "2026-04-24", "--add", "1"],
    );
    assert_eq!(last_line(&o), "2026-04-28");
    // A swapped working Saturday (04/5/2024).
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &["workdays", "--from", "2024-05-03", "--add", "1"],
    );
    assert_eq!(last_line(&o), "2024-05-04");
}

#[test]
fn workdays_refuses_a_year_outside_the_calendar() {
    let tmp = tempfile::tempdir().unwrap();
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &["workdays", "--from", "2028-03-01", "--add", "3"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("nằm ngoài lịch ngày nghỉ"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("2024, 2025, 2026, 2027"), "{}", text(&o));
}

#[test]
fn a_holiday_added_in_the_rules_directory_moves_the_due_date() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_rules(tmp.path());
    std::fs::write(
        dir.join("calendar/tinh-bac-ninh.toml"),
        "[[day]]\ndate = \"2026-03-10\"\nkind = \"off\"\nname = \"Ngày nghỉ của tỉnh (thử)\"\nsource = \"QĐ thử\"\n",
    )
    .unwrap();
    let args = ["workdays", "--from", "2026-03-09", "--add", "1"];
    assert_eq!(
        last_line(&tdkt("sqlite:unused.db", tmp.path(), &args)),
        "2026-03-10"
    );
    let mut with_dir = vec!["--rules-dir", dir.to_str().unwrap()];
    with_dir.extend(args);
    assert_eq!(
        last_line(&tdkt("sqlite:unused.db", tmp.path(), &with_dir)),
        "2026-03-11"
    );
}

fn reward(args: &[&str]) -> Output {
    let tmp = tempfile::tempdir().unwrap();
    let mut all = vec!["reward"];
    all.extend(args);
    tdkt("sqlite:unused.db", tmp.path(), &all)
}

#[test]
fn reward_rounds_up_to_the_next_ten_thousand_and_prints_the_amount_last() {
    let o = reward(&[
        "--award",
        "giay-khen",
        "--recipient",
        "individual",
        "--decided",
        "2026-06-30",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(last_line(&o), "710.000 đ");
    assert!(text(&o).contains("702.000 đ"), "{}", text(&o));
}

#[test]
fn reward_uses_the_base_salary_in_force_on_the_decision_date() {
    let before = reward(&[
        "--award",
        "bang-khen-thu-tuong",
        "--recipient",
        "individual",
        "--decided",
        "2026-06-30",
    ]);
    assert_eq!(last_line(&before), "8.190.000 đ");
    let after = reward(&[
        "--award",
        "bang-khen-thu-tuong",
        "--recipient",
        "individual",
        "--decided",
        "2026-07-01",
    ]);
    assert_eq!(last_line(&after), "8.860.000 đ");
    assert!(
        text(&after).contains("Nghị định 161/2026/NĐ-CP"),
        "{}",
        text(&after)
    );
    assert!(text(&after).contains("chưa xác minh"), "{}", text(&after));
}

#[test]
fn reward_doubles_for_a_collective_and_adds_half_for_a_household() {
    let c = reward(&[
        "--award",
        "bang-khen-cap-tinh",
        "--recipient",
        "collective",
        "--decided",
        "2026-06-30",
    ]);
    assert_eq!(last_line(&c), "7.020.000 đ");
    let h = reward(&[
        "--award",
        "bang-khen-cap-tinh",
        "--recipient",
        "household",
        "--decided",
        "2026-06-30",
    ]);
    assert_eq!(last_line(&h), "5.270.000 đ"); // 1,5 × 1,5 × 2.340.000 = 5.265.000
    let hc = reward(&[
        "--award",
        "huan-chuong-lao-dong-hang-nhat",
        "--recipient",
        "collective",
        "--decided",
        "2026-07-01",
    ]);
    assert_eq!(last_line(&hc), "45.540.000 đ"); // 9,0 × 2 × 2.530.000
}

#[test]
fn reward_refuses_an_unknown_award_a_recipient_not_accepted_and_a_date_without_a_base_salary() {
    let o = reward(&[
        "--award",
        "khong-co",
        "--recipient",
        "individual",
        "--decided",
        "2026-06-30",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("không có mã danh hiệu/hình thức «khong-co»"),
        "{}",
        text(&o)
    );
    let o = reward(&[
        "--award",
        "lao-dong-tien-tien",
        "--recipient",
        "collective",
        "--decided",
        "2026-06-30",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("không tặng cho tập thể"), "{}", text(&o));
    let o = reward(&[
        "--award",
        "giay-khen",
        "--recipient",
        "ai-do",
        "--decided",
        "2026-06-30",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("--recipient «ai-do» không hợp lệ"),
        "{}",
        text(&o)
    );

    // A directory whose base salaries start in 2026: a 2025 decision has none.
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_rules(tmp.path());
    std::fs::write(
        dir.join("salary/luong-co-so.toml"),
        "[[base_salary]]\nfrom = \"2026-07-01\"\namount = \"2530000\"\ndecree = \"Nghị định 161/2026/NĐ-CP\"\ncitation = \"Điều 3\"\n",
    )
    .unwrap();
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &[
            "--rules-dir",
            dir.to_str().unwrap(),
            "reward",
            "--award",
            "giay-khen",
            "--recipient",
            "individual",
            "--decided",
            "2025-12-01",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("Không có mức lương cơ sở cho ngày 01/12/2025"),
        "{}",
        text(&o)
    );
}

/// `people` new people in `unit`, the first `ldtt` of them Lao động tiên
/// tiến in 2026, everyone and the unit rated tốt.
fn arrange_unit(db: &str, dir: &Path, unit: &str, province: &str, people: u32, ldtt: u32) {
    let cccd = |i: u32| format!("{province}19000{i:04}");
    let mut awards = String::from(
        "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority\n",
    );
    let mut ratings = String::from("cccd,unit_code,year,rating\n");
    for i in 1..=people {
        let award = if i <= ldtt {
            "lao-dong-tien-tien"
        } else {
            "giay-khen"
        };
        awards.push_str(&format!(
            "person,{},{unit},Người thử {i},{award},2026,{i}/QĐ-{province},2026-11-20,Giám đốc Sở\n",
            cccd(i)
        ));
        ratings.push_str(&format!("{},,2026,hoàn thành tốt nhiệm vụ\n", cccd(i)));
    }
    ratings.push_str(&format!(",{unit},2026,hoàn thành tốt nhiệm vụ\n"));
    std::fs::write(dir.join(format!("awards-{unit}.csv")), awards).unwrap();
    std::fs::write(dir.join(format!("ratings-{unit}.csv")), ratings).unwrap();
    let o = tdkt(
        db,
        dir,
        &["import", "awards", &format!("awards-{unit}.csv")],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = tdkt(
        db,
        dir,
        &["import", "ratings", &format!("ratings-{unit}.csv")],
    );
    assert!(o.status.success(), "{}", text(&o));
}

#[tokio::test]
async fn sixty_percent_ldtt_makes_a_can_tho_collective_ttldtt_but_not_a_bac_ninh_one() {
    let db = TestDb::with_demo().await;
    let tmp = tempfile::tempdir().unwrap();
    // Bắc Ninh's Sở Nội vụ has no one in the demo: 6 of 10 = 60 %.
    arrange_unit(&db.url, tmp.path(), "bac-ninh.so-noi-vu", "027", 10, 6);
    // Cần Thơ's carries 3 demo people through its predecessors: 9 of 15 = 60 %.
    arrange_unit(&db.url, tmp.path(), "can-tho.so-noi-vu", "092", 12, 9);
    let check = |unit: &str| {
        tdkt(
            &db.url,
            tmp.path(),
            &[
                "eligibility",
                "check",
                "--unit",
                unit,
                "--award",
                "tap-the-lao-dong-tien-tien",
                "--year",
                "2026",
            ],
        )
    };
    let bn = check("bac-ninh.so-noi-vu");
    let out = text(&bn);
    assert_eq!(bn.status.code(), Some(3), "{out}");
    assert!(out.contains("Quy định áp dụng: gói «bac-ninh-qd-86-2025» — QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh, 03/12/2025"), "{out}");
    assert!(out.contains("60%"), "{out}");

    let ct = check("can-tho.so-noi-vu");
    let out = text(&ct);
    assert_eq!(ct.status.code(), Some(0), "{out}");
    assert!(out.contains("gói «luat-2022-danh-hieu»"), "{out}");
    assert!(out.contains("9/15 thành viên"), "{out}");
}

#[test]
fn rules_export_writes_a_directory_that_checks_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xuat");
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &["rules", "export", dir.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(dir.join("rules/tinh/bac-ninh-qd-86-2025.toml").exists());
    assert!(dir.join("calendar/viet-nam.toml").exists());
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &["rules", "check", "--rules-dir", dir.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = tdkt(
        "sqlite:unused.db",
        tmp.path(),
        &["rules", "export", dir.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("không ghi đè"), "{}", text(&o));
}
