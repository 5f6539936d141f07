//! `tdkt bench search --from FILE [--queries N]`: latency of the registry
//! search at scale (issue 5). Queries are drawn from an award file (the
//! output of `tdkt gen`, already imported): a quarter each of full names
//! without diacritics in another word order, partial names (the first
//! letters of two words), full CCCD numbers and decision numbers. Each query
//! runs what `/search` runs for an unscoped user (awards page, people, units);
//! the figures are p50/p95/p99 of the wall time per query.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tdkt_core::text;
use tdkt_store::awards::{looks_like_decision, AwardFilter};
use tdkt_store::people::PeopleScope;
use tdkt_store::Store;

/// Sample of the file's person rows: (name, cccd, decision number).
fn sample(file: &Path, n: usize, seed: u64) -> Result<Vec<(String, String, String)>> {
    let mut rdr = csv::Reader::from_path(file)
        .with_context(|| format!("không mở được {}", file.display()))?;
    let h = rdr.headers()?.clone();
    let col = |name: &str| h.iter().position(|c| c == name);
    let (Some(name), Some(cccd), Some(dec)) =
        (col("recipient_name"), col("cccd"), col("decision_no"))
    else {
        anyhow::bail!("tệp cần các cột recipient_name, cccd, decision_no (đầu ra của tdkt gen)");
    };
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out: Vec<(String, String, String)> = Vec::with_capacity(n);
    let mut seen = 0usize;
    for rec in rdr.records() {
        let rec = rec?;
        let c = rec.get(cccd).unwrap_or_default();
        if c.is_empty() {
            continue;
        }
        seen += 1;
        let item = (
            rec.get(name).unwrap_or_default().to_owned(),
            c.to_owned(),
            rec.get(dec).unwrap_or_default().to_owned(),
        );
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

/// Runs the benchmark and prints the figures.
///
/// # Errors
/// Unreadable file or database failure.
pub async fn search(store: &Store, file: &Path, queries: usize, seed: u64) -> Result<()> {
    let rows = sample(file, queries, seed)?;
    anyhow::ensure!(!rows.is_empty(), "tệp không có dòng cá nhân nào");
    let mut kinds: [Vec<f64>; 4] = Default::default();
    // per kind: time in the award search, the people search, the unit search
    let mut parts: [[Vec<f64>; 3]; 4] = Default::default();
    let mut all = Vec::with_capacity(queries);
    let mut hits = 0usize;
    let mut slowest: Vec<(f64, String)> = Vec::with_capacity(SLOWEST + 1);
    for i in 0..queries {
        let (name, cccd, dec) = &rows[i % rows.len()];
        let words: Vec<String> = text::tokens(name);
        let kind = i % 4;
        let q = match kind {
            // "Hà Trần Thị" typed as "ha tran thi"
            0 => {
                let mut w = words.clone();
                w.rotate_left(words.len().saturating_sub(1));
                w.join(" ")
            }
            // "tr h": beginnings of the family and the given name
            1 => {
                let first = words.first().map_or("", |w| &w[..w.len().min(2)]);
                let last = words.last().map_or("", |w| &w[..w.len().min(2)]);
                format!("{first} {last}")
            }
            2 => cccd.clone(),
            _ => dec.clone(),
        };
        let started = Instant::now();
        let mut lap = started;
        let mut split = |part: usize| {
            let now = Instant::now();
            parts[kind][part].push((now - lap).as_secs_f64() * 1000.0);
            lap = now;
        };
        let awards = store
            .search_awards(&AwardFilter {
                q: q.clone(),
                limit: 50,
                ..AwardFilter::default()
            })
            .await?;
        split(0);
        let words_query = !looks_like_decision(&q);
        let people = if words_query {
            store.search_people(&PeopleScope::All, &q, None, 20).await?
        } else {
            Vec::new()
        };
        split(1);
        if words_query {
            store.find_units(&q, None, 10).await?;
        }
        split(2);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if !awards.is_empty() || !people.is_empty() {
            hits += 1;
        }
        kinds[kind].push(ms);
        all.push(ms);
        slowest.push((ms, q));
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        slowest.truncate(SLOWEST);
    }
    let line = |label: &str, v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        println!(
            "{label:<28} n={:>5}  p50 {:>8.2} ms  p95 {:>8.2} ms  p99 {:>8.2} ms",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.95),
            percentile(v, 0.99)
        );
    };
    println!(
        "{} truy vấn trên {:?} ({} người, {} bản ghi khen thưởng); {hits} có kết quả",
        all.len(),
        store.backend(),
        store.count_people().await?,
        store.count_awards().await?
    );
    let labels = [
        "họ tên không dấu, đảo thứ tự",
        "một phần họ tên",
        "số CCCD đủ 12 số",
        "số quyết định",
    ];
    for ((label, v), p) in labels.iter().zip(kinds.iter_mut()).zip(parts.iter_mut()) {
        line(label, v);
        for (part, v) in ["  khen thưởng", "  người", "  đơn vị"]
            .iter()
            .zip(p.iter_mut())
        {
            line(part, v);
        }
    }
    line("tất cả", &mut all);
    // what to look at next (EXPLAIN): the queries behind the tail
    println!("chậm nhất:");
    for (ms, q) in &slowest {
        println!("  {ms:>8.2} ms  {q}");
    }
    Ok(())
}
