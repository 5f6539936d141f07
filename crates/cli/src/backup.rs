//! `tdkt backup --out FILE` and `tdkt restore FILE` (issue 12).
//!
//! SQLite: the backup is `VACUUM INTO`, a consistent copy made while the
//! server keeps running; a restore checks the copy (migrations, audit
//! chain) in a temporary place, then replaces the database file, only when
//! no process has it open. PostgreSQL: `pg_dump --format=custom` and
//! `pg_restore --clean --single-transaction` (all or nothing), with the
//! connection given to them in libpq's environment. Either way the master
//! key (`tdkt.key` / `TDKT_SECRET_KEY`) is not in the backup and must be
//! kept with it: without it the CCCD numbers cannot be read.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};
use tdkt_store::{Backend, Secrets, Store};

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The file of an SQLite URL, as `Store::connect` reads it.
fn sqlite_path(url: &str) -> PathBuf {
    PathBuf::from(
        url.strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url),
    )
}

/// `pg_dump` or `pg_restore`: on the PATH, else the newest server's own.
fn pg_tool(name: &str) -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
    {
        return Ok(p);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.is_file())
        .collect();
    found.sort_by_key(|p| {
        p.iter()
            .rev()
            .nth(2)
            .and_then(|v| v.to_str()?.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop().with_context(|| {
        format!("không tìm thấy {name}: hãy cài gói postgresql-client (cùng phiên bản với máy chủ trở lên)")
    })
}

fn run_pg(tool: &str, url: &str, args: &[&std::ffi::OsStr]) -> Result<()> {
    let bin = pg_tool(tool)?;
    let out = Command::new(&bin)
        .args(args)
        .envs(tdkt_store::backup::pg_env(url)?)
        .output()
        .with_context(|| format!("không chạy được {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "{tool} thất bại ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// `tdkt backup --out FILE`.
///
/// # Errors
/// `out` exists, the database or the dump tool fails.
pub async fn backup(store: &Store, url: &str, out: &Path) -> Result<()> {
    if out.exists() {
        bail!(
            "tệp {} đã có; hãy chọn tên khác (bản sao lưu không ghi đè)",
            out.display()
        );
    }
    match store.backend() {
        Backend::Sqlite => store
            .vacuum_into(out)
            .await
            .with_context(|| format!("không sao lưu được vào {}", out.display()))?,
        Backend::Postgres => run_pg(
            "pg_dump",
            url,
            &[
                "--format=custom".as_ref(),
                "--no-owner".as_ref(),
                "--file".as_ref(),
                out.as_os_str(),
            ],
        )?,
    }
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    let (events, _) = store.audit_head().await?;
    println!(
        "Đã sao lưu vào {} ({} byte, nhật ký đến sự kiện #{events}). Hãy cất kèm tệp khóa (tdkt.key hoặc TDKT_SECRET_KEY): thiếu khóa thì không đọc được số CCCD.",
        out.display(),
        size
    );
    Ok(())
}

/// `tdkt restore FILE [--force]` into the database of `url`.
///
/// # Errors
/// The target has data and `force` is not set, the target is in use
/// (SQLite), the backup is not a tdkt backup, or a tool fails.
pub async fn restore(url: &str, secrets: Secrets, file: &Path, force: bool) -> Result<ExitCode> {
    if !file.is_file() {
        bail!("không tìm thấy tệp sao lưu {}", file.display());
    }
    let fresh = || secrets.clone();
    let target_exists = is_postgres(url) || sqlite_path(url).exists();
    if !is_postgres(url)
        && target_exists
        && tdkt_store::backup::sqlite_in_use(&sqlite_path(url)).await?
    {
        bail!(
            "cơ sở dữ liệu {} đang được dùng (máy chủ tdkt còn chạy?); hãy dừng máy chủ rồi khôi phục",
            sqlite_path(url).display()
        );
    }
    // The target must be empty unless --force.
    if target_exists {
        let target = Store::connect(url, fresh())
            .await
            .context("không kết nối được cơ sở dữ liệu đích")?;
        let has_data = target.has_data().await?;
        target.close().await;
        if has_data && !force {
            bail!(
                "cơ sở dữ liệu đích không trống (đã có tài khoản hoặc đơn vị); thêm --force để thay toàn bộ bằng bản sao lưu"
            );
        }
    }
    if is_postgres(url) {
        // a valid custom-format archive?
        run_pg("pg_restore", url, &["--list".as_ref(), file.as_os_str()])
            .context("tệp không phải bản sao lưu PostgreSQL (pg_dump --format=custom)")?;
        run_pg(
            "pg_restore",
            url,
            &[
                "--clean".as_ref(),
                "--if-exists".as_ref(),
                "--no-owner".as_ref(),
                "--no-privileges".as_ref(),
                "--single-transaction".as_ref(),
                "--exit-on-error".as_ref(),
                "--dbname".as_ref(),
                std::ffi::OsStr::new(
                    &tdkt_store::backup::pg_env(url)?
                        .into_iter()
                        .find(|(k, _)| *k == "PGDATABASE")
                        .map(|(_, v)| v)
                        .unwrap_or_default(),
                ),
                file.as_os_str(),
            ],
        )?;
    } else {
        restore_sqlite(url, fresh(), file).await?;
    }
    // bring an older backup up to this version's schema, then report
    let store = Store::connect(url, fresh()).await?;
    store
        .migrate()
        .await
        .context("không áp dụng được lược đồ cho bản khôi phục")?;
    let tables = store.table_digests().await?;
    let rows: i64 = tables.iter().map(|t| t.rows).sum();
    let verdict = store.verify_audit().await?;
    store.close().await;
    println!(
        "Đã khôi phục {} vào cơ sở dữ liệu: {} bảng, {rows} dòng.",
        file.display(),
        tables.len()
    );
    Ok(match verdict {
        Ok(n) => {
            println!("Nhật ký toàn vẹn: {n} sự kiện.");
            ExitCode::SUCCESS
        }
        Err(b) => {
            println!(
                "Cảnh báo: nhật ký trong bản sao lưu đã bị can thiệp — sự kiện đầu tiên không còn tin cậy: #{}: {b}",
                b.first_broken()
            );
            ExitCode::from(2)
        }
    })
}

async fn restore_sqlite(url: &str, secrets: Secrets, file: &Path) -> Result<()> {
    let target = sqlite_path(url);
    // check and migrate a copy, never the backup itself
    let dir = tempfile::tempdir().context("không tạo được thư mục tạm")?;
    let copy = dir.path().join("restore.db");
    std::fs::copy(file, &copy).with_context(|| format!("không đọc được {}", file.display()))?;
    let src = Store::connect(&format!("sqlite:{}", copy.display()), secrets)
        .await
        .context("tệp không phải cơ sở dữ liệu SQLite")?;
    src.migrate()
        .await
        .context("tệp không phải bản sao lưu tdkt (không áp dụng được lược đồ)")?;
    // a fresh, compact file beside the target, then one rename over it
    let staged = target.with_extension("restoring");
    let _ = std::fs::remove_file(&staged);
    src.vacuum_into(&staged).await?;
    src.close().await;
    for suffix in ["-wal", "-shm"] {
        let mut side = target.clone().into_os_string();
        side.push(suffix);
        match std::fs::remove_file(&side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e)
                    .with_context(|| format!("không xóa được {}", side.to_string_lossy()));
            }
            _ => {}
        }
    }
    std::fs::rename(&staged, &target)
        .with_context(|| format!("không thay được {}", target.display()))?;
    Ok(())
}
