//! Two `tdkt serve` processes on one database, as behind a reverse proxy
//! that sends each request to either (issue 16, docs/scaling.md): a session
//! made on one works on the other, a CSRF token from one's form is accepted
//! by the other, sign-in failures are counted across both, a ballot voted
//! half on each counts every vote, and an award import uploaded to one is
//! followed, and its records found, on the other.
//!
//! PostgreSQL with `TDKT_TEST_DATABASE_URL` (as CI runs it); otherwise both
//! processes share one temporary SQLite file (WAL: readers in parallel,
//! one writer at a time across processes, through the busy timeout).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tdkt_core::access::Role;
use tdkt_core::ballot::{BallotSpec, Base, Candidate, Outcome, Question, Quorum, Threshold};
use tdkt_store::ballots::NewBallot;
use tdkt_store::testing::TestDb;

const KEY: &str = "2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a";
const PASSWORD: &str = "tdkt-demo-2026";

/// One `tdkt serve` on a free loopback port; killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(db: &str, dir: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tdkt"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--audit-checkpoint-every",
                "0",
            ])
            .arg("--files-dir")
            .arg(dir.join("files"))
            .current_dir(dir)
            .env("TDKT_DATABASE_URL", db)
            .env("TDKT_SECRET_KEY", KEY)
            .env("TDKT_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tdkt serve");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut port = None;
        let mut line = String::new();
        while port.is_none() {
            line.clear();
            let n = out.read_line(&mut line).expect("read the server's stdout");
            assert!(n > 0, "tdkt serve stopped before listening");
            // "tdkt đang chạy tại http://127.0.0.1:PORT/  (…)"
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                port = rest.split('/').next().and_then(|p| p.parse().ok());
            }
        }
        // keep draining what it prints so it never blocks on a full pipe
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Self {
            child,
            port: port.expect("port"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A browser reduced to its cookie jar, talking HTTP/1.0 (one request per
/// connection, the body delimited by the close) to whichever server.
#[derive(Default)]
struct Browser {
    cookies: Vec<(String, String)>,
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn form(fields: &[(&str, &str)]) -> Vec<u8> {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

impl Browser {
    fn cookie(&self, name: &str) -> String {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn send(
        &mut self,
        s: &Server,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Resp {
        let mut req = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n", s.port);
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req.push_str(&format!("Cookie: {}\r\n", jar.join("; ")));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
        tcp.set_read_timeout(Some(Duration::from_mins(1))).unwrap();
        tcp.write_all(req.as_bytes()).unwrap();
        tcp.write_all(body).unwrap();
        let mut raw = Vec::new();
        tcp.read_to_end(&mut raw).expect("response");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("end of headers");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let body = String::from_utf8_lossy(&raw[split + 4..]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        for (k, v) in &headers {
            if !k.eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let kv = v.split(';').next().unwrap_or_default();
            if let Some((name, value)) = kv.split_once('=') {
                self.cookies.retain(|(n, _)| n != name);
                if !value.is_empty() {
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
        }
        Resp {
            status,
            headers,
            body,
        }
    }

    fn get(&mut self, s: &Server, path: &str) -> Resp {
        self.send(s, "GET", path, &[], b"")
    }

    fn post_form(&mut self, s: &Server, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.send(
            s,
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &form(fields),
        )
    }

    fn post_json(&mut self, s: &Server, path: &str, json: &serde_json::Value) -> Resp {
        let csrf = self.cookie("tdkt_csrf");
        self.send(
            s,
            "POST",
            path,
            &[
                ("Content-Type", "application/json"),
                ("x-csrf-token", &csrf),
            ],
            json.to_string().as_bytes(),
        )
    }

    /// Signs in on `s` with the token of `s`'s sign-in form.
    fn login(&mut self, s: &Server, user: &str, password: &str) -> Resp {
        let page = self.get(s, "/login");
        let csrf = hidden_csrf(&page.body);
        self.post_form(
            s,
            "/login",
            &[
                ("csrf_token", &csrf),
                ("username", user),
                ("password", password),
                ("next", "/"),
            ],
        )
    }
}

/// The token a page's forms carry in their hidden `csrf_token` field.
fn hidden_csrf(html: &str) -> String {
    let at = html
        .find("name=\"csrf_token\" value=\"")
        .expect("a form with a CSRF field");
    let rest = &html[at + "name=\"csrf_token\" value=\"".len()..];
    rest[..rest.find('"').expect("end of value")].to_owned()
}

fn spec() -> BallotSpec {
    BallotSpec {
        title: "Bình xét trên hai máy chủ".into(),
        question: Question::YesNo,
        candidates: vec![Candidate {
            id: "ct".into(),
            name: "Sở Xây dựng Cần Thơ".into(),
            threshold: None,
        }],
        eligible: 0,
        quorum: Quorum { num: 2, den: 3 },
        threshold: Threshold {
            percent: 50.into(),
            base: Base::Eligible,
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_share_sessions_csrf_throttles_ballots_and_imports() {
    // Arrange: the demo, six council members, a ballot, two servers.
    let db = TestDb::with_demo().await;
    let store = db.store.clone();
    let hash = tdkt_store::accounts::hash_password(PASSWORD).unwrap();
    let voters: Vec<(String, String)> = (0..6)
        .map(|i| (format!("haimay{i}"), format!("Thành viên {i}")))
        .collect();
    store
        .create_accounts_with_hash("test", &hash, &voters, Role::Council, Some("can-tho"))
        .await
        .unwrap();
    let ballot = store
        .create_ballot(
            "test",
            &NewBallot {
                unit_code: "can-tho".into(),
                context: "Hai máy chủ".into(),
                spec: spec(),
                voters: voters.iter().map(|v| v.0.clone()).collect(),
                cluster_id: None,
            },
        )
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.clone();
    let path = dir.path().to_owned();
    let (a, b) = tokio::task::spawn_blocking(move || {
        (Server::start(&url, &path), Server::start(&url, &path))
    })
    .await
    .unwrap();
    let store_for_close = store.clone();
    let ballot_id = ballot.id;

    tokio::task::spawn_blocking(move || {
        // A session made on A works on B.
        let mut officer = Browser::default();
        let r = officer.login(&a, "canbo.cantho", PASSWORD);
        assert_eq!(r.status, 303, "login on A: {}", r.body);
        let r = officer.get(&b, "/awards/import");
        assert_eq!(r.status, 200, "B knows A's session: {}", r.body);
        assert!(r.body.contains("Nhập lịch sử khen thưởng"));
        let mut stranger = Browser::default();
        assert_ne!(stranger.get(&b, "/awards/import").status, 200);

        // A CSRF token from A's form is accepted by B, a made-up one is not;
        // the upload goes to B, its job page and its records are read on A.
        let form_on_a = officer.get(&a, "/awards/import");
        let token = hidden_csrf(&form_on_a.body);
        let csv = "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority\n\
                   person,092077234130,can-tho-cu.so-xay-dung,Trương Quốc Khánh,lao-dong-tien-tien,2022,777/QĐ-SXD,2023-01-10,Giám đốc Sở Xây dựng thành phố Cần Thơ\n";
        let boundary = "----tdkt-two-servers";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hai-may.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
        );
        let ct = format!("multipart/form-data; boundary={boundary}");
        let forged = officer.send(
            &b,
            "POST",
            "/awards/import?csrf_token=bịa.đặt",
            &[("Content-Type", &ct)],
            body.as_bytes(),
        );
        assert_eq!(forged.status, 403, "a made-up token: {}", forged.body);
        let r = officer.send(
            &b,
            "POST",
            &format!("/awards/import?csrf_token={}", encode(&token)),
            &[("Content-Type", &ct)],
            body.as_bytes(),
        );
        assert_eq!(r.status, 303, "A's token on B: {}", r.body);
        // the job page, without the confirmation that the upload was taken
        let job = r.header("location").expect("the job page");
        let job = job.split('?').next().unwrap_or(job).to_owned();
        assert!(job.starts_with("/awards/import/"), "{job}");
        let started = Instant::now();
        let page = loop {
            let p = officer.get(&a, &job);
            assert_eq!(p.status, 200, "B's import job seen on A: {}", p.body);
            if !p.body.contains("data-state=\"running\"") {
                break p;
            }
            assert!(started.elapsed() < Duration::from_mins(1), "import still running");
            std::thread::sleep(Duration::from_millis(200));
        };
        assert!(page.body.contains("data-committed=\"true\""), "{}", page.body);
        let progress = officer.get(&a, &format!("{job}/progress"));
        assert!(progress.body.contains("\"state\":\"done\""), "{}", progress.body);
        let found = officer.get(&a, &format!("/search?q={}", encode("777/QĐ-SXD")));
        assert_eq!(found.status, 200);
        assert!(found.body.contains("777/QĐ-SXD"), "imported on B, found on A");
        // another account does not learn the job exists, on either server
        let mut other = Browser::default();
        assert_eq!(other.login(&a, "canbo.haugiang", PASSWORD).status, 303);
        assert_eq!(other.get(&b, &job).status, 404);

        // Sign-in failures are counted across both servers: 3 on A and 3 on
        // B close the account, so even the right password is then refused.
        let mut guesser = Browser::default();
        for s in [&a, &b, &a, &b, &a, &b] {
            let r = guesser.login(s, "xem.cantho", "sai-mat-khau");
            assert_ne!(r.status, 303);
        }
        let r = guesser.login(&a, "xem.cantho", PASSWORD);
        assert_eq!(r.status, 429, "six failures on two servers close the account: {}", r.body);

        // A ballot voted half on A, half on B counts every vote.
        for (i, (user, _)) in voters.iter().enumerate() {
            let (on_login, on_vote) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
            let mut v = Browser::default();
            assert_eq!(v.login(on_login, user, PASSWORD).status, 303);
            let r = v.post_json(
                on_vote,
                &format!("/api/v1/ballots/{ballot_id}/votes"),
                &serde_json::json!({"kind": "yes-no", "marks": {"ct": i < 4}}),
            );
            assert_eq!(r.status, 201, "{user}: {}", r.body);
            // a second vote, on the other server, is refused
            let again = v.post_json(
                on_login,
                &format!("/api/v1/ballots/{ballot_id}/votes"),
                &serde_json::json!({"kind": "yes-no", "marks": {"ct": true}}),
            );
            assert_eq!(again.status, 409, "{user} twice: {}", again.body);
        }
        drop((a, b));
    })
    .await
    .unwrap();

    let outcome = store_for_close
        .close_ballot("test", ballot_id)
        .await
        .unwrap();
    let Outcome::Counted(t) = outcome else {
        panic!("no quorum: {outcome:?}");
    };
    assert_eq!(
        (t.eligible, t.present, t.cast, t.valid),
        (6, 6, 6, 6),
        "{t:?}"
    );
    // voters 0–3 said yes, 4 and 5 no, whichever server took their vote
    assert_eq!((t.candidates[0].yes, t.candidates[0].no), (4, 2), "{t:?}");
}
