//! `tdkt serve`, `tdkt demo`: the web server over the database, with the
//! attachments store, the audit checkpoints it writes while it runs and the
//! demo data it loads into an empty database.

use anyhow::{Context, Result};
use tdkt_store::Store;

use crate::{audit, open, Cli, ServeArgs};

/// `tdkt demo`: the demo data into an empty database, attachments beside it.
///
/// # Errors
/// The database cannot be opened or the demo data cannot be loaded.
pub async fn demo(cli: &Cli) -> Result<()> {
    let store = open(cli).await?;
    let files = tdkt_store::attachments::Attachments::local(
        &tdkt_store::attachments::default_dir(&cli.database_url),
        tdkt_store::attachments::DEFAULT_MAX_BYTES,
    )?;
    load_demo(&store, &files).await
}

/// `tdkt serve`: runs until Ctrl+C, then writes one last audit checkpoint.
///
/// # Errors
/// The database, the attachments store or the port cannot be opened.
pub async fn run(
    cli: &Cli,
    args: &ServeArgs,
    rules_in_force: &tdkt_core::rules::Rules,
) -> Result<()> {
    let ServeArgs {
        addr,
        demo,
        secure_cookies,
        insecure_cookies,
        trusted_proxies,
        audit_checkpoint_file,
        audit_checkpoint_every,
        files_dir,
        files_url,
        max_upload_mb,
    } = args;
    let store = open(cli).await?;
    let max = max_upload_mb.saturating_mul(1024 * 1024);
    let attachments = match files_url {
        Some(url) => tdkt_store::attachments::Attachments::s3(url, max)?,
        None => {
            let dir = files_dir
                .clone()
                .unwrap_or_else(|| tdkt_store::attachments::default_dir(&cli.database_url));
            tdkt_store::attachments::Attachments::local(&dir, max)?
        }
    };
    if *demo {
        load_demo(&store, &attachments).await?;
    }
    // An overlay scoped to a unit the database does not have never
    // applies: say so rather than let it sit unnoticed.
    for p in &rules_in_force.eligibility().packs {
        if let Some(code) = &p.scope {
            if store.unit_by_code(code).await.is_err() {
                eprintln!(
                    "Cảnh báo: gói quy tắc «{}» ({}) áp dụng cho đơn vị «{code}», nhưng cơ sở dữ liệu chưa có đơn vị này: gói chưa áp dụng cho ai.",
                    p.id, p.file
                );
            }
        }
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("không mở được cổng {addr}"))?;
    let local = listener.local_addr()?;
    println!(
        "Quy tắc: {} ({}).",
        rules_in_force.summary(),
        rules_in_force.origin
    );
    println!("tdkt đang chạy tại http://{local}/  (Ctrl+C để dừng)");
    let secure = tdkt_web::headers::secure_cookies(local.ip(), *secure_cookies, *insecure_cookies);
    if *insecure_cookies && !local.ip().is_loopback() {
        eprintln!(
            "Cảnh báo: cookie không có `Secure` trên mạng — chỉ dùng để thử, không dùng thật."
        );
    }
    // in the background: the first name searches need not wait for it
    let counting = store.clone();
    tokio::spawn(async move {
        if let Err(e) = counting.count_name_keys().await {
            tracing::warn!("đếm danh sách tên: {e}");
        }
    });
    let state = tdkt_web::AppState {
        store,
        secure_cookies: secure,
        imports: tdkt_web::routes::award_import::Jobs::default(),
        trusted_proxies: trusted_proxies.clone(),
        public_url: cli.public_url.clone(),
        attachments: std::sync::Arc::new(attachments),
    };
    let checkpoints = (*audit_checkpoint_every > 0).then(|| {
        let s = audit::Scheduler::new(audit_checkpoint_file, state.store.secrets());
        let every = std::time::Duration::from_secs(audit_checkpoint_every * 60);
        tokio::spawn(s.run(state.store.clone(), every))
    });
    let store = state.store.clone();
    tdkt_web::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    if let Some(task) = checkpoints {
        task.abort();
        // one last checkpoint of what this server wrote
        let last = audit::Scheduler::new(audit_checkpoint_file, store.secrets())
            .tick(&store)
            .await;
        if let Err(e) = last {
            eprintln!("lỗi: điểm kiểm tra nhật ký: {e:#}");
        }
    }
    Ok(())
}

async fn load_demo(store: &Store, files: &tdkt_store::attachments::Attachments) -> Result<()> {
    if !store.is_empty().await? {
        println!("Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu.");
        return Ok(());
    }
    tdkt_store::demo::load(store)
        .await
        .context("không nạp được dữ liệu mẫu")?;
    tdkt_store::demo::load_dossiers(store, files)
        .await
        .context("không nạp được hồ sơ khen thưởng mẫu")?;
    // read back, so the list never falls behind what the demo creates
    let names: Vec<String> = store
        .accounts()
        .await?
        .into_iter()
        .map(|a| a.username)
        .collect();
    println!(
        "Đã nạp dữ liệu mẫu. Tài khoản: {} — mật khẩu: {}",
        names.join(", "),
        tdkt_store::demo::DEMO_PASSWORD
    );
    Ok(())
}
