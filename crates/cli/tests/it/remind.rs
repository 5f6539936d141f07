//! `tdkt remind` against a local SMTP sink started by the test (a std
//! thread speaking just enough SMTP: greeting, EHLO, MAIL, RCPT, DATA,
//! QUIT): the demo's overdue dossier reaches the Cần Thơ officer's inbox in
//! a Vietnamese digest; a second run the same day sends nothing; with no
//! server configured nothing is sent and the command says so. Both backends.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Output;
use std::sync::{Arc, Mutex};

use base64::Engine;
use tdkt_store::testing::TestDb;

use super::support::{command, text};

fn tdkt(db: &TestDb, args: &[&str]) -> Output {
    command(&db.url)
        .args(args)
        .env_remove("TDKT_SMTP_URL")
        .output()
        .expect("run tdkt")
}

/// One message the sink received: its recipients and raw DATA.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

/// A sink on 127.0.0.1 (port chosen by the system); every message is kept.
fn sink() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&got);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut out) = conn else { continue };
            let mut lines = BufReader::new(out.try_clone().unwrap());
            let _ = out.write_all(b"220 sink ESMTP\r\n");
            let mut rcpt = Vec::new();
            let mut line = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let cmd = line.trim_end().to_ascii_uppercase();
                let reply: &[u8] = if cmd.starts_with("EHLO") {
                    b"250-sink\r\n250 8BITMIME\r\n"
                } else if cmd.starts_with("RCPT TO:") {
                    rcpt.push(
                        line.trim_end()[8..]
                            .trim_matches(['<', '>', ' '])
                            .to_owned(),
                    );
                    b"250 ok\r\n"
                } else if cmd == "DATA" {
                    let _ = out.write_all(b"354 go on\r\n");
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).unwrap_or(0) == 0 || line.trim_end() == "." {
                            break;
                        }
                        data.push_str(&line);
                    }
                    keep.lock().unwrap().push(Received {
                        rcpt: std::mem::take(&mut rcpt),
                        data,
                    });
                    b"250 queued\r\n"
                } else if cmd == "QUIT" {
                    let _ = out.write_all(b"221 bye\r\n");
                    break;
                } else {
                    b"250 ok\r\n"
                };
                let _ = out.write_all(reply);
            }
        }
    });
    (port, got)
}

/// The header `name` unfolded, its RFC 2047 words decoded.
fn header(data: &str, name: &str) -> String {
    let mut value = String::new();
    let mut inside = false;
    for l in data.lines() {
        if inside && (l.starts_with(' ') || l.starts_with('\t')) {
            value.push_str(l);
        } else if inside || l.is_empty() {
            break;
        } else if let Some(v) = l.strip_prefix(&format!("{name}: ")) {
            value.push_str(v);
            inside = true;
        }
    }
    // RFC 2047: the space between two encoded words is not text; any
    // other space is
    let mut out = String::new();
    let mut last_encoded = false;
    for word in value.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let decoded = if lower.starts_with("=?utf-8?b?") && word.ends_with("?=") {
            let b = &word[10..word.len() - 2];
            let bytes = base64::engine::general_purpose::STANDARD.decode(b).unwrap();
            Some(String::from_utf8(bytes).unwrap())
        } else if lower.starts_with("=?utf-8?q?") && word.ends_with("?=") {
            Some(qp(&word[10..word.len() - 2].replace('_', " ")))
        } else {
            None
        };
        let encoded = decoded.is_some();
        let joined = encoded && last_encoded;
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        out.push_str(&decoded.unwrap_or_else(|| word.to_owned()));
        last_encoded = encoded;
    }
    out
}

fn qp(s: &str) -> String {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The body, decoded by its transfer encoding.
fn body(data: &str) -> String {
    let (head, rest) = data
        .split_once("\r\n\r\n")
        .or_else(|| data.split_once("\n\n"))
        .unwrap();
    let enc = head.to_ascii_lowercase();
    if enc.contains("content-transfer-encoding: base64") {
        let joined: String = rest.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap(),
        )
        .unwrap()
    } else if enc.contains("content-transfer-encoding: quoted-printable") {
        qp(rest)
    } else {
        rest.to_owned()
    }
}

#[tokio::test]
async fn the_overdue_dossier_reaches_the_officer_in_one_digest_a_day() {
    let db = TestDb::new().await;
    let out = tdkt(&db, &["demo"]);
    assert!(out.status.success(), "{}", text(&out));
    let today = tdkt_core::date::today_vn();
    let overdue = db.store.overdue_dossiers(None, today).await.unwrap();
    let (late, _) = overdue
        .iter()
        .find(|(d, _)| d.holder_name.contains("Cần Thơ"))
        .expect("the demo has an overdue dossier at Cần Thơ");

    // no server: nothing sent, and it says so
    let out = tdkt(&db, &["remind"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Chưa cấu hình máy chủ thư"),
        "{}",
        text(&out)
    );

    let out = tdkt(
        &db,
        &["user", "email", "canbo.cantho", "canbo@cantho.gov.vn"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let (port, got) = sink();
    let url = format!("smtp://127.0.0.1:{port}");
    let args = [
        "remind",
        "--smtp-url",
        &url,
        "--mail-from",
        "Phòng TĐKT <tdkt@cantho.gov.vn>",
    ];
    let out = tdkt(&db, &args);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Đã gửi 1 thư"), "{}", text(&out));
    let mails = got.lock().unwrap().clone();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let m = &mails[0];
    assert_eq!(m.rcpt, ["canbo@cantho.gov.vn"]);
    let subject = header(&m.data, "Subject");
    assert!(
        subject.starts_with(&format!(
            "[tdkt] Nhắc việc ngày {}",
            tdkt_core::date::format_vn(today)
        )),
        "{subject}"
    );
    assert!(subject.contains("quá hạn"), "{subject}");
    let b = body(&m.data);
    assert!(b.contains(&format!("Hồ sơ #{}: ", late.id)), "{b}");
    assert!(b.contains(&format!("/dossiers/{}", late.id)), "{b}");
    assert!(b.contains("Quá hạn từ "), "{b}");

    // the same day again: nothing more
    let out = tdkt(&db, &args);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Đã gửi 0 thư"), "{}", text(&out));
    assert_eq!(got.lock().unwrap().len(), 1);
}
