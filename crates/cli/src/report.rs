//! `tdkt report review`: the review report of a cluster for a period,
//! drafted from the current values (`tdkt_core::review`) and rendered by
//! `tdkt_docs`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use tdkt_core::period::Period;
use tdkt_docs::Format;
use tdkt_store::Store;

/// Options of `tdkt report review`.
pub struct ReviewOptions<'a> {
    pub cluster: &'a str,
    pub period: &'a str,
    pub format: &'a str,
    pub out: Option<&'a Path>,
    /// Use the officer's edited draft saved on the web, when there is one.
    pub edited: bool,
}

/// Writes the report to `--out`, or text formats to standard output; a
/// binary format without `--out` goes to `review-KEY-PERIOD.EXT`.
///
/// # Errors
/// A bad period or format, an unknown cluster, an unwritable output.
pub async fn review(store: &Store, o: &ReviewOptions<'_>) -> Result<()> {
    let period = Period::parse(o.period).map_err(|e| anyhow::anyhow!("--period: {e}"))?;
    let format = Format::parse(o.format).map_err(|e| anyhow::anyhow!("--format: {e}"))?;
    let cluster = store
        .cluster(o.cluster, period.year())
        .await
        .with_context(|| {
            format!(
                "--cluster: không có cụm, khối «{}» năm {}",
                o.cluster,
                period.year()
            )
        })?;
    let report = store
        .review_of(&cluster, period)
        .await
        .context("không lập được báo cáo")?;
    let doc = match (o.edited, store.review_draft(cluster.id, period).await?) {
        (true, Some(d)) => d,
        _ => report.document(),
    };
    let bytes = tdkt_docs::render(format, &doc, &report).context("không xuất được báo cáo")?;
    let binary = matches!(format, Format::Docx | Format::Pdf);
    match o.out {
        Some(path) => write_file(path, &bytes)?,
        None if binary => {
            let name = format!(
                "review-{}-{}.{}",
                cluster.key,
                period.code().replace('/', "_"),
                format.extension()
            );
            write_file(Path::new(&name), &bytes)?;
        }
        None => std::io::stdout()
            .write_all(&bytes)
            .context("không ghi được ra đầu ra chuẩn")?,
    }
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes)
        .with_context(|| format!("không ghi được tệp {}", path.display()))?;
    eprintln!("Đã ghi {}.", path.display());
    Ok(())
}

/// Runs `tdkt report review`.
///
/// # Errors
/// Those of [`review`].
pub async fn run(store: &Store, command: &crate::ReportCommand) -> Result<()> {
    let crate::ReportCommand::Review {
        cluster,
        period,
        format,
        out,
        edited,
    } = command;
    let o = ReviewOptions {
        cluster,
        period,
        format,
        out: out.as_deref(),
        edited: *edited,
    };
    review(store, &o).await
}
