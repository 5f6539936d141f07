//! Signed audit checkpoints (issue 12, item 5): `tdkt audit checkpoint`,
//! `tdkt verify-audit --checkpoint`, and the server's schedule.
//!
//! A checkpoint file holds one line per checkpoint: the sequence number and
//! hash of the newest audit event, the time, and an Ed25519 signature by a
//! key derived from the master key (never stored in the database). Someone
//! who can only write the database cannot make a valid line, and cannot
//! shorten or rewrite the chain below a checkpoint without
//! `verify-audit --checkpoint` seeing it. See docs/security.md for what it
//! does not protect against.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use tdkt_core::audit::{Checkpoint, GENESIS};
use tdkt_store::{Secrets, Store};

/// Appends `line` to the checkpoint file in one write, then flushes it to
/// disk (created 0600 if missing: it is not secret, but it is evidence).
fn append(path: &Path, line: &str) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    f.write_all(format!("{line}\n").as_bytes())?;
    f.sync_data()
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The checkpoints of a file, each signature checked. Lines that fail are
/// returned as Vietnamese reasons naming the line.
///
/// # Errors
/// The file cannot be read.
pub fn read_checkpoints(path: &Path, secrets: &Secrets) -> Result<(Vec<Checkpoint>, Vec<String>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("không đọc được tệp điểm kiểm tra {}", path.display()))?;
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match secrets.verify_checkpoint(line) {
            Ok(c) => good.push(c),
            Err(why) => bad.push(format!("{}, dòng {}: {why}", path.display(), i + 1)),
        }
    }
    Ok((good, bad))
}

/// `tdkt audit checkpoint --out FILE`: verifies the whole chain, then
/// appends a signed checkpoint of its head. A broken chain is not signed.
///
/// # Errors
/// Database or file failure.
pub async fn checkpoint(store: &Store, out: &Path) -> Result<ExitCode> {
    match store.verify_audit().await? {
        Ok(_) => {}
        Err(b) => {
            println!(
                "Không ký điểm kiểm tra: nhật ký đã bị can thiệp — sự kiện đầu tiên không còn tin cậy: #{}: {b}",
                b.first_broken()
            );
            return Ok(ExitCode::from(2));
        }
    }
    let (seq, hash) = store.audit_head().await?;
    let c = Checkpoint {
        seq,
        hash,
        at: now_rfc3339(),
    };
    append(out, &store.secrets().sign_checkpoint(&c))
        .with_context(|| format!("không ghi được tệp điểm kiểm tra {}", out.display()))?;
    println!("Đã ghi điểm kiểm tra sự kiện #{seq} vào {}.", out.display());
    Ok(ExitCode::SUCCESS)
}

/// `tdkt verify-audit [--checkpoint FILE]`: 0 intact, 2 tampered (a broken
/// chain, a checkpoint the chain no longer matches, or a checkpoint line
/// whose signature fails).
///
/// # Errors
/// Database or file failure.
pub async fn verify(store: &Store, checkpoint_file: Option<&Path>) -> Result<ExitCode> {
    let (checkpoints, bad) = match checkpoint_file {
        Some(p) => read_checkpoints(p, store.secrets())?,
        None => (Vec::new(), Vec::new()),
    };
    for b in &bad {
        println!("Điểm kiểm tra không hợp lệ — {b}");
    }
    let outcome = store.verify_audit_with(&checkpoints).await?;
    match outcome {
        Ok(n) if bad.is_empty() => {
            if checkpoint_file.is_some() {
                let last = checkpoints.iter().map(|c| c.seq).max().unwrap_or(0);
                println!(
                    "Nhật ký toàn vẹn: {n} sự kiện; khớp {} điểm kiểm tra đã ký (mới nhất: #{last}).",
                    checkpoints.len()
                );
            } else {
                println!("Nhật ký toàn vẹn: {n} sự kiện.");
            }
            Ok(ExitCode::SUCCESS)
        }
        Ok(n) => {
            println!(
                "Chuỗi băm liền mạch ({n} sự kiện) nhưng tệp điểm kiểm tra có dòng giả mạo: không thể xác nhận nhật ký."
            );
            Ok(ExitCode::from(2))
        }
        Err(b) => {
            println!(
                "Nhật ký đã bị can thiệp — sự kiện đầu tiên không còn tin cậy: #{}: {b}",
                b.first_broken()
            );
            Ok(ExitCode::from(2))
        }
    }
}

/// The server's checkpoint writer: remembers the last checkpoint it trusts
/// and, when the head has moved, verifies only the events since then
/// before signing the new head.
pub struct Scheduler {
    path: std::path::PathBuf,
    last: (i64, String),
}

impl Scheduler {
    /// Starts from the newest validly signed line of `path` (none: from
    /// the beginning of the chain).
    #[must_use]
    pub fn new(path: &Path, secrets: &Secrets) -> Self {
        let last = read_checkpoints(path, secrets)
            .ok()
            .and_then(|(good, _)| good.into_iter().max_by_key(|c| c.seq))
            .map_or_else(|| (0, GENESIS.to_owned()), |c| (c.seq, c.hash));
        Self {
            path: path.to_owned(),
            last,
        }
    }

    /// One round: a new signed line when the head moved and the events
    /// since the last checkpoint verify. Returns the sequence number
    /// checkpointed, if any.
    ///
    /// # Errors
    /// The chain is broken since the last checkpoint (nothing is signed),
    /// or the database or the file fails.
    pub async fn tick(&mut self, store: &Store) -> Result<Option<i64>> {
        let (head, _) = store.audit_head().await?;
        if head == self.last.0 {
            return Ok(None);
        }
        let (seq, hash) = match store.verify_audit_since(self.last.0, &self.last.1).await? {
            Ok(h) => h,
            Err(b) => anyhow::bail!(
                "nhật ký đã bị can thiệp sau điểm kiểm tra #{}: #{}: {b}; không ký điểm kiểm tra mới",
                self.last.0,
                b.first_broken()
            ),
        };
        let c = Checkpoint {
            seq,
            hash: hash.clone(),
            at: now_rfc3339(),
        };
        append(&self.path, &store.secrets().sign_checkpoint(&c))
            .with_context(|| format!("không ghi được tệp điểm kiểm tra {}", self.path.display()))?;
        self.last = (seq, hash);
        Ok(Some(seq))
    }

    /// Runs [`Scheduler::tick`] every `every` until the task is dropped;
    /// also prunes old throttle counters. Failures are logged, not fatal:
    /// the server keeps serving.
    pub async fn run(mut self, store: Store, every: Duration) {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match self.tick(&store).await {
                Ok(Some(seq)) => tracing::info!(seq, "đã ghi điểm kiểm tra nhật ký"),
                Ok(None) => {}
                Err(e) => tracing::error!("điểm kiểm tra nhật ký: {e:#}"),
            }
            if let Err(e) = store.prune_throttle(time::OffsetDateTime::now_utc()).await {
                tracing::warn!("không dọn được bộ đếm đăng nhập: {e}");
            }
        }
    }
}
