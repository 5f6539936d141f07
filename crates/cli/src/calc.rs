//! `tdkt workdays` and `tdkt reward`: the working-day calendar and the
//! reward money of the rules in force, from the command line. Both print
//! their explanation first and the answer alone on the last line (the
//! contract of issue 14): `YYYY-MM-DD` for a due date, `N.NNN.NNN đ` for an
//! amount.

use anyhow::{anyhow, Context, Result};
use tdkt_core::catalogue::Recipient;
use tdkt_core::rules::Rules;

/// `tdkt workdays --from YYYY-MM-DD --add N`.
///
/// # Errors
/// A bad date, or a day of the period outside the calendar's years.
pub fn workdays(rules: &Rules, from: &str, add: u32) -> Result<()> {
    let from = tdkt_core::date::parse(from)
        .map_err(anyhow::Error::msg)
        .context("--from")?;
    let due = rules
        .calendar()
        .add_working_days(from, add)
        .map_err(|e| anyhow!("{e}"))?;
    for line in due.lines() {
        println!("{line}");
    }
    Ok(())
}

/// `individual|collective|household`, or the Vietnamese words.
///
/// # Errors
/// Anything else, in Vietnamese.
pub fn parse_recipient(s: &str) -> Result<Recipient> {
    match tdkt_core::text::fold(s).as_str() {
        "individual" | "ca nhan" => Ok(Recipient::Individual),
        "collective" | "tap the" => Ok(Recipient::Collective),
        "household" | "ho gia dinh" => Ok(Recipient::Household),
        _ => Err(anyhow!(
            "--recipient «{s}» không hợp lệ: individual (cá nhân), collective (tập thể) hoặc household (hộ gia đình)"
        )),
    }
}

/// `tdkt reward --award CODE --recipient KIND --decided YYYY-MM-DD`.
///
/// # Errors
/// An unknown award, a recipient the award does not accept, a date without
/// a multiple or a base salary.
pub fn reward(rules: &Rules, award: &str, recipient: &str, decided: &str) -> Result<()> {
    let a = rules.catalogue().get(award).with_context(|| {
        format!("không có mã danh hiệu/hình thức «{award}» trong danh mục khen thưởng")
    })?;
    let recipient = parse_recipient(recipient)?;
    let decided = tdkt_core::date::parse(decided)
        .map_err(anyhow::Error::msg)
        .context("--decided")?;
    let r = tdkt_core::reward::compute(a, recipient, decided, rules.salaries())
        .map_err(|e| anyhow!("{e}"))?;
    for line in r.lines() {
        println!("{line}");
    }
    Ok(())
}
