//! `tdkt bench search --from FILE [--queries N] [--as USERNAME]`: latency
//! of the registry search and lists at scale (issues 5 and 16). Queries are
//! drawn from an award file (the output of `tdkt gen`, already imported),
//! in six kinds taken in turn: full names without diacritics in another
//! word order, partial names (the first letters of two words), full CCCD
//! numbers, decision numbers, a unit's award page (`/units/{code}/awards`,
//! predecessors folded in) and the registry list of one award in one year
//! (`/search?award=…&year_from=…&year_to=…`). Each runs what the web runs
//! for the account (`--as`: its role and subtree, through the web's own
//! functions, `routes::awards::search` and `auth::people_scope`; without
//! it, an administrator who sees everything); an officer's queries are
//! drawn from the rows of their subtree, as they would search their own
//! people. The figures are p50/p95/p99 of the wall time per query, then of
//! the CPU time each query cost: this process's threads (SQLite runs in
//! them) and, on PostgreSQL, the server backends of the database (local
//! server only). On a machine shared with builds the wall time is mostly
//! the wait for a core; the CPU time is the query's own cost.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tdkt_core::access::{Principal, Role};
use tdkt_core::text;
use tdkt_store::awards::unit_list::{UnitAwardFilter, UnitAwardOrder};
use tdkt_store::people::PeopleScope;
use tdkt_store::Store;
use tdkt_web::routes::awards::{search as web_search, SearchParams, PAGE_SIZE};

/// One person row of the file, the seed of a query of each kind.
struct Row {
    name: String,
    cccd: String,
    decision: String,
    unit: String,
    award: String,
    year: String,
}

/// Sample of the file's person rows whose unit `keep` accepts.
fn sample(file: &Path, n: usize, seed: u64, keep: &dyn Fn(&str) -> bool) -> Result<Vec<Row>> {
    let mut rdr = csv::Reader::from_path(file)
        .with_context(|| format!("không mở được {}", file.display()))?;
    let h = rdr.headers()?.clone();
    let col = |name: &str| h.iter().position(|c| c == name);
    let (Some(name), Some(cccd), Some(dec), Some(unit), Some(award), Some(year)) = (
        col("recipient_name"),
        col("cccd"),
        col("decision_no"),
        col("unit_code"),
        col("award"),
        col("year"),
    ) else {
        anyhow::bail!("tệp cần các cột recipient_name, cccd, decision_no, unit_code, award, year (đầu ra của tdkt gen)");
    };
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out: Vec<Row> = Vec::with_capacity(n);
    let mut seen = 0usize;
    for rec in rdr.records() {
        let rec = rec?;
        let c = rec.get(cccd).unwrap_or_default();
        if c.is_empty() || !keep(rec.get(unit).unwrap_or_default()) {
            continue;
        }
        seen += 1;
        let get = |i: usize| rec.get(i).unwrap_or_default().to_owned();
        let item = Row {
            name: get(name),
            cccd: c.to_owned(),
            decision: get(dec),
            unit: get(unit),
            award: get(award),
            year: get(year),
        };
        // reservoir sampling: every row equally likely, one pass
        if out.len() < n {
            out.push(item);
        } else {
            let j = rng.gen_range(0..seen);
            if j < n {
                out[j] = item;
            }
        }
    }
    Ok(out)
}

/// CPU time, in ns, of every thread of the processes `pids` (`self` for
/// this one), from `/proc/<pid>/task/<tid>/schedstat` (its first field, the
/// time on a CPU; exact for a thread that is not running). A process that
/// is gone or not readable counts 0.
fn cpu_ns(pids: &[String]) -> u64 {
    pids.iter()
        .flat_map(|pid| {
            std::fs::read_dir(format!("/proc/{pid}/task"))
                .into_iter()
                .flatten()
        })
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// This process's and the servers' CPU time now (ns), read on a blocking
/// thread: the thread that ran the query is then parked, so its count is
/// up to date (a running thread's lags by up to a scheduler tick).
async fn cpu_now(server: &[String]) -> (u64, u64) {
    let server = server.to_vec();
    tokio::task::spawn_blocking(move || (cpu_ns(&["self".to_owned()]), cpu_ns(&server)))
        .await
        .unwrap_or_default()
}

/// How many of the slowest queries are printed.
const SLOWEST: usize = 10;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into the sorted timings, 0 ≤ p ≤ 1"
    )]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// The kinds of query, in the order they are taken and printed.
const KINDS: [&str; 6] = [
    "họ tên không dấu, đảo thứ tự",
    "một phần họ tên",
    "số CCCD đủ 12 số",
    "số quyết định",
    "trang khen thưởng của đơn vị",
    "danh sách theo danh hiệu, năm",
];

/// The web's state over `store`, for calling its functions without a
/// socket: nothing of it but the store is read by a search.
fn web_state(store: &Store) -> Result<tdkt_web::SharedState> {
    let dir = std::env::temp_dir().join("tdkt-bench-files");
    Ok(Arc::new(tdkt_web::AppState {
        store: store.clone(),
        secure_cookies: false,
        imports: tdkt_web::routes::award_import::Jobs::default(),
        public_url: tdkt_web::DEFAULT_PUBLIC_URL.to_owned(),
        attachments: Arc::new(tdkt_store::attachments::Attachments::local(&dir, 0)?),
        trusted_proxies: Vec::new(),
    }))
}

fn web(e: &tdkt_web::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Runs the benchmark and prints the figures. `as_user`: the account whose
/// role and scope the queries run with (None: an administrator).
///
/// # Errors
/// Unreadable file, unknown account or database failure.
pub async fn search(
    store: &Store,
    file: &Path,
    queries: usize,
    seed: u64,
    as_user: Option<&str>,
) -> Result<()> {
    let who = match as_user {
        Some(u) => store
            .principal_of(u)
            .await
            .with_context(|| format!("không có tài khoản «{u}» đang hoạt động"))?,
        None => Principal {
            user_id: 0,
            username: "admin".to_owned(),
            full_name: "Quản trị (bench)".to_owned(),
            role: Role::Admin,
            scope_unit: None,
        },
    };
    let state = web_state(store)?;
    let lineage = store.lineage().await?;
    // what the account may read, as the web decides it
    let scope = tdkt_web::auth::people_scope(&state, &who)
        .await
        .map_err(|e| web(&e))?;
    let readable: Option<BTreeSet<String>> = match &scope {
        PeopleScope::All => None,
        PeopleScope::Units(ids) => Some(
            lineage
                .units()
                .filter(|u| ids.contains(&u.id))
                .map(|u| u.code.clone())
                .collect(),
        ),
    };
    let keep = |unit: &str| readable.as_ref().is_none_or(|r| r.contains(unit));
    let rows = sample(file, queries, seed, &keep)?;
    anyhow::ensure!(
        !rows.is_empty(),
        "tệp không có dòng cá nhân nào trong phạm vi của «{}»",
        who.username
    );
    // as a server that has been up a while: its name lists counted
    store.count_name_keys().await?;
    let mut kinds: [Vec<f64>; 6] = Default::default();
    let mut all = Vec::with_capacity(queries);
    let mut cpu_kinds: [Vec<f64>; 6] = Default::default();
    let mut cpu_all = Vec::with_capacity(queries);
    // the PostgreSQL backends of the database, if this machine runs them
    let mut server: Vec<String> = Vec::new();
    let server_local = match store.backend() {
        tdkt_store::Backend::Sqlite => true,
        tdkt_store::Backend::Postgres => store
            .server_pids()
            .await?
            .iter()
            .any(|pid| Path::new(&format!("/proc/{pid}/task")).exists()),
    };
    let mut hits = 0usize;
    let mut slowest: Vec<(f64, String)> = Vec::with_capacity(SLOWEST + 1);
    for i in 0..queries {
        let row = &rows[i % rows.len()];
        let words: Vec<String> = text::tokens(&row.name);
        let kind = i % KINDS.len();
        let mut params = SearchParams::default();
        let label;
        if server_local {
            server = store
                .server_pids()
                .await?
                .iter()
                .map(u32::to_string)
                .collect();
        }
        let (own0, server0) = cpu_now(&server).await;
        let started = Instant::now();
        let found = if kind == 4 {
            // `/units/{code}/awards`: the unit and its predecessors, within
            // what the account reads (as `routes::awards::unit_list`)
            label = format!("/units/{}/awards", row.unit);
            let unit = lineage
                .units()
                .find(|u| u.code == row.unit)
                .with_context(|| format!("không có đơn vị «{}»", row.unit))?;
            let scope = tdkt_web::auth::people_scope(&state, &who)
                .await
                .map_err(|e| web(&e))?;
            store
                .unit_awards_page(
                    &lineage,
                    unit.id,
                    &scope,
                    &UnitAwardFilter::default(),
                    UnitAwardOrder::default(),
                    1,
                    PAGE_SIZE,
                )
                .await?
                .rows
                .len()
        } else {
            match kind {
                // "Hà Trần Thị" typed as "ha tran thi"
                0 => {
                    let mut w = words.clone();
                    w.rotate_left(words.len().saturating_sub(1));
                    params.q = Some(w.join(" "));
                }
                // "tr h": beginnings of the family and the given name
                1 => {
                    let first = words.first().map_or("", |w| &w[..w.len().min(2)]);
                    let last = words.last().map_or("", |w| &w[..w.len().min(2)]);
                    params.q = Some(format!("{first} {last}"));
                }
                2 => params.q = Some(row.cccd.clone()),
                3 => params.q = Some(row.decision.clone()),
                _ => {
                    params.award = Some(row.award.clone());
                    params.year_from = Some(row.year.clone());
                    params.year_to = Some(row.year.clone());
                }
            }
            label = params
                .q
                .clone()
                .unwrap_or_else(|| format!("/search?award={}&year={}", row.award, row.year));
            let f = web_search(&state, &who, &params, PAGE_SIZE, "/search")
                .await
                .map_err(|e| web(&e))?;
            f.awards.len() + f.people.len()
        };
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let (own1, server1) = cpu_now(&server).await;
        #[expect(
            clippy::cast_precision_loss,
            reason = "nanoseconds of one query, far below 2^52"
        )]
        let cpu = (own1.saturating_sub(own0) + server1.saturating_sub(server0)) as f64 / 1e6;
        cpu_kinds[kind].push(cpu);
        cpu_all.push(cpu);
        if found > 0 {
            hits += 1;
        }
        kinds[kind].push(ms);
        all.push(ms);
        slowest.push((ms, label));
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        slowest.truncate(SLOWEST);
    }
    let line = |label: &str, v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        println!(
            "{label:<32} n={:>5}  p50 {:>8.2} ms  p95 {:>8.2} ms  p99 {:>8.2} ms",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.95),
            percentile(v, 0.99)
        );
    };
    println!(
        "{} truy vấn trên {:?} ({} người, {} bản ghi khen thưởng) với quyền của «{}» ({}); {hits} có kết quả",
        all.len(),
        store.backend(),
        store.count_people().await?,
        store.count_awards().await?,
        who.username,
        match &readable {
            None => "toàn bộ".to_owned(),
            Some(r) => format!("{} đơn vị", r.len()),
        }
    );
    for (label, v) in KINDS.iter().zip(kinds.iter_mut()) {
        line(label, v);
    }
    line("tất cả", &mut all);
    if server_local {
        println!(
            "thời gian CPU mỗi truy vấn ({}):",
            match store.backend() {
                tdkt_store::Backend::Sqlite => "tiến trình này, SQLite chạy trong đó",
                tdkt_store::Backend::Postgres =>
                    "tiến trình này và các tiến trình phục vụ của PostgreSQL",
            }
        );
        for (label, v) in KINDS.iter().zip(cpu_kinds.iter_mut()) {
            line(&format!("CPU {label}"), v);
        }
        line("CPU tất cả", &mut cpu_all);
    }
    // what to look at next (EXPLAIN): the queries behind the tail
    println!("chậm nhất:");
    for (ms, q) in &slowest {
        println!("  {ms:>8.2} ms  {q}");
    }
    Ok(())
}

/// Runs `tdkt bench search|eligibility` (only the search opens the database).
///
/// # Errors
/// Those of the benchmark run.
pub async fn run(cli: &crate::Cli, command: &crate::BenchCommand) -> Result<()> {
    use crate::BenchCommand;
    match command {
        BenchCommand::Search {
            from,
            queries,
            seed,
            as_user,
        } => {
            let store = crate::open(cli).await?;
            search(&store, from, *queries, *seed, as_user.as_deref()).await
        }
        BenchCommand::Eligibility { people, year, seed } => {
            crate::eligibility::bench(*people, *year, *seed)
        }
    }
}
