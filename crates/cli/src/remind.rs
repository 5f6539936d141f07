//! `tdkt remind`: one digest e-mail a day per account that has an e-mail
//! address and something to do ([`tdkt_store::Store::reminders_for`]),
//! worded by [`tdkt_core::reminder::digest`] (Vietnamese, dd/mm/yyyy).
//!
//! Sent with `lettre` over SMTP (tokio, rustls; no OpenSSL). The server is
//! `--smtp-url` / `TDKT_SMTP_URL` in lettre's URL form: `smtp://host:25`
//! (plain, for a relay on the local network), `smtp://host:587?tls=required`
//! (STARTTLS), `smtps://user:pass@host:465` (TLS); the sender is
//! `TDKT_MAIL_FROM`. With no server configured nothing is sent and the
//! command says so. A digest sent is recorded (migration 0043) before the
//! next account is tried, so a second run the same day sends nothing again,
//! and a run that fails halfway resumes where it stopped.

use anyhow::{bail, Context, Result};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tdkt_core::date::format_vn;
use tdkt_core::reminder::digest;
use tdkt_store::Store;
use time::Date;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub sent: usize,
    pub already: usize,
    pub nothing: usize,
}

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct Smtp {
    pub url: String,
    pub from: String,
}

impl Smtp {
    /// The server of `--smtp-url` with the sender `from`; none when the URL
    /// is missing or blank.
    #[must_use]
    pub fn configured(url: Option<&str>, from: &str) -> Option<Self> {
        url.filter(|u| !u.trim().is_empty()).map(|url| Self {
            url: url.trim().to_owned(),
            from: from.to_owned(),
        })
    }
}

/// Sends (or with `dry_run`, prints) today's digests.
///
/// # Errors
/// Database failure; a bad SMTP URL or sender; a refused message (the
/// digests sent before it stay recorded).
pub async fn run(
    store: &Store,
    smtp: Option<&Smtp>,
    today: Date,
    base_url: &str,
    dry_run: bool,
) -> Result<Outcome> {
    if smtp.is_none() && !dry_run {
        println!(
            "Chưa cấu hình máy chủ thư (--smtp-url hoặc TDKT_SMTP_URL): không gửi thư nào. Dùng --dry-run để xem trước nội dung."
        );
        return Ok(Outcome::default());
    }
    let transport = match smtp {
        Some(s) if !dry_run => Some(
            AsyncSmtpTransport::<Tokio1Executor>::from_url(&s.url)
                .context("địa chỉ máy chủ thư (--smtp-url) không hợp lệ")?
                .build(),
        ),
        _ => None,
    };
    let from: Option<Mailbox> = match smtp {
        Some(s) => Some(s.from.parse().with_context(|| {
            format!(
                "địa chỉ người gửi «{}» (TDKT_MAIL_FROM) không hợp lệ",
                s.from
            )
        })?),
        None => None,
    };
    let mut out = Outcome::default();
    for acc in store.accounts_with_email().await? {
        if store.reminder_sent(acc.id, today).await? {
            out.already += 1;
            continue;
        }
        let who = acc.principal()?;
        let list = store.reminders_for(&who, today).await?;
        if list.is_empty() {
            out.nothing += 1;
            continue;
        }
        let (subject, body) = digest(&acc.full_name, today, &list, base_url);
        if dry_run {
            println!(
                "--- {} <{}>\nTiêu đề: {subject}\n\n{body}",
                acc.full_name, acc.email
            );
            out.sent += 1;
            continue;
        }
        let (Some(transport), Some(from)) = (&transport, &from) else {
            bail!("chưa cấu hình máy chủ thư");
        };
        let to: Mailbox = format!("{} <{}>", acc.full_name, acc.email)
            .parse()
            .or_else(|_| acc.email.parse())
            .with_context(|| {
                format!(
                    "địa chỉ thư «{}» của tài khoản {} không hợp lệ",
                    acc.email, acc.username
                )
            })?;
        let msg = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .context("không lập được thư")?;
        transport
            .send(msg)
            .await
            .with_context(|| format!("máy chủ thư không nhận thư gửi {}", acc.email))?;
        store
            .record_reminder(
                "tdkt remind",
                acc.id,
                today,
                &acc.email,
                &subject,
                list.len(),
            )
            .await?;
        out.sent += 1;
    }
    let verb = if dry_run { "Sẽ gửi" } else { "Đã gửi" };
    println!(
        "Nhắc việc ngày {}: {verb} {} thư; {} tài khoản đã nhận thư hôm nay; {} tài khoản không có việc cần nhắc.",
        format_vn(today),
        out.sent,
        out.already,
        out.nothing
    );
    Ok(out)
}
