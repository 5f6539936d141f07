//! `tdkt user add|email`: accounts made from the command line (the password
//! from `TDKT_NEW_PASSWORD`, never a flag) and the address reminders go to.

use anyhow::{Context, Result};
use tdkt_core::access::Role;
use tdkt_store::Store;

use crate::UserCommand;

/// Runs one `tdkt user` command.
///
/// # Errors
/// No password in the environment, an unknown role or account, or a store error.
pub async fn run(store: &Store, command: &UserCommand) -> Result<()> {
    match command {
        UserCommand::Add {
            username,
            full_name,
            role,
            scope,
        } => {
            let password = std::env::var("TDKT_NEW_PASSWORD")
                .context("đặt mật khẩu trong biến môi trường TDKT_NEW_PASSWORD")?;
            let role = Role::parse(role)?;
            let acc = store
                .create_account(
                    "cli",
                    username,
                    &password,
                    full_name,
                    role,
                    scope.as_deref(),
                )
                .await?;
            println!("Đã tạo tài khoản {} ({}).", acc.username, role.label());
        }
        UserCommand::Email { username, address } => {
            let acc = store
                .accounts()
                .await?
                .into_iter()
                .find(|a| a.username == *username)
                .with_context(|| format!("không có tài khoản «{username}»"))?;
            store.set_account_email("cli", acc.id, address).await?;
            if address.trim().is_empty() {
                println!("Đã xóa địa chỉ thư của tài khoản {username}.");
            } else {
                println!(
                    "Tài khoản {username} nhận thư nhắc việc tại {}.",
                    address.trim()
                );
            }
        }
    }
    Ok(())
}
