//! Accounts, password hashes (argon2id), server-side sessions (in the
//! database, so several app servers can share PostgreSQL) and sign-in with
//! throttling per account and per client address (policy:
//! `tdkt_core::throttle`; counters: [`crate::throttle`]).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tdkt_core::access::{Principal, Role};
use tdkt_core::DomainError;
use time::{Duration, OffsetDateTime};

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

pub const SESSION_TTL: Duration = Duration::hours(12);

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("Tên đăng nhập hoặc mật khẩu không đúng.")]
    BadCredentials,
    /// Refused without checking the password: too many failures for this
    /// account (or from this address) lately.
    #[error("{}", throttled_message(*until_ms, *by_address))]
    Throttled { until_ms: i64, by_address: bool },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LoginError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub scope_unit_id: Option<i64>,
    pub active: bool,
}

impl Account {
    fn principal(&self) -> Result<Principal> {
        Ok(Principal {
            user_id: self.id,
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            role: Role::parse(&self.role)?,
            scope_unit: self.scope_unit_id,
        })
    }
}

fn throttled_message(until_ms: i64, by_address: bool) -> String {
    let at = tdkt_core::throttle::vn_clock(until_ms);
    if by_address {
        format!("Có quá nhiều lần đăng nhập sai từ địa chỉ này; vui lòng thử lại sau {at}.")
    } else {
        format!(
            "Đăng nhập sai nhiều lần nên tài khoản tạm dừng đăng nhập; vui lòng thử lại sau {at}."
        )
    }
}

fn fmt_ts(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hash a password with argon2id (default parameters: 19 MiB, t=2).
///
/// # Errors
/// Never in practice.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| StoreError::Crypto)
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

const ACCOUNT_COLS: &str = "id, username, full_name, role, scope_unit_id, active";

impl Store {
    /// Creates an account. Non-admin roles need a scope unit.
    ///
    /// # Errors
    /// Weak password, unknown scope unit, duplicate username.
    pub async fn create_account(
        &self,
        actor: &str,
        username: &str,
        password: &str,
        full_name: &str,
        role: Role,
        scope_code: Option<&str>,
    ) -> Result<Account> {
        let username = username.trim().to_lowercase();
        if username.is_empty()
            || !username
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
        {
            return Err(DomainError::invalid(
                "username",
                "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và . _ -",
            )
            .into());
        }
        if password.chars().count() < 8 {
            return Err(
                DomainError::invalid("password", "Mật khẩu phải có ít nhất 8 ký tự.").into(),
            );
        }
        let scope = match scope_code.map(str::trim).filter(|s| !s.is_empty()) {
            Some(c) => Some(
                self.unit_by_code(c)
                    .await
                    .map_err(|_| {
                        DomainError::invalid(
                            "scope",
                            format!("Không tìm thấy đơn vị phạm vi «{c}»."),
                        )
                    })?
                    .id,
            ),
            None if role == Role::Admin => None,
            None => {
                return Err(DomainError::invalid(
                    "scope",
                    "Vai trò này phải gắn với một đơn vị (phạm vi).",
                )
                .into())
            }
        };
        let hash = hash_password(password)?;
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into users (username, password_hash, full_name, role, scope_unit_id) values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(&username)
            .bind(&hash)
            .bind(full_name.trim())
            .bind(role.code())
            .bind(scope)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique("username", format!("Tên đăng nhập «{username}» đã được dùng.")))?;
            let after = serde_json::json!({"username": username, "full_name": full_name.trim(), "role": role.code(), "scope_unit_id": scope});
            audit!(tx, actor, "user", id, "create", None, json(&after));
            id
        });
        self.account(id).await
    }

    /// # Errors
    /// `NotFound`.
    pub async fn account(&self, id: i64) -> Result<Account> {
        let row: Option<Account> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {ACCOUNT_COLS} from users where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("tài khoản #{id}")))
    }

    /// The principal of an active account, as a session of it would carry
    /// (`tdkt bench search --as`: the account's role and scope without a
    /// password).
    ///
    /// # Errors
    /// `NotFound` (unknown or inactive), database failure.
    pub async fn principal_of(&self, username: &str) -> Result<Principal> {
        let row: Option<Account> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {ACCOUNT_COLS} from users where username = $1 and active = $2"
        ))
        .bind(username.trim())
        .bind(true)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("tài khoản «{}»", username.trim())))?
            .principal()
    }

    /// # Errors
    /// Database failure.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "select {ACCOUNT_COLS} from users order by username"
        ))
        .fetch_all(p)
        .await?))
    }

    /// Checks a password and opens a session. Returns the session token (to
    /// put in a cookie) and the principal. `client` is the address the
    /// request came from; `now` is passed in so tests control the clock.
    ///
    /// Before the password is checked, the attempt is counted against the
    /// client address (failures across accounts) and the account (backoff);
    /// when either is over its limit the answer is [`LoginError::Throttled`]
    /// whatever the password. A right password clears the account's count
    /// and takes back the address's.
    ///
    /// # Errors
    /// Bad credentials, throttled, database failure.
    ///
    /// # Panics
    /// Never: a row is read whenever the password was checked.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client: &str,
        now: OffsetDateTime,
    ) -> Result<(String, Principal), LoginError> {
        use tdkt_core::throttle::{ADDRESS_FAILURES, ADDRESS_WINDOW_MS};
        let username = username.trim().to_lowercase();
        let address_key = format!("login-address:{client}");
        let address = self
            .hit(&address_key, ADDRESS_WINDOW_MS, ADDRESS_FAILURES, now)
            .await?;
        if !address.allowed {
            return Err(LoginError::Throttled {
                until_ms: address.retry_at_ms,
                by_address: true,
            });
        }
        let account = crate::throttle::account_key(&username);
        if let crate::throttle::LoginSlot::Closed { until_ms } =
            self.reserve_login(&account, now).await?
        {
            // no password was checked: not a failure of this address
            self.refund(&address_key).await?;
            return Err(LoginError::Throttled {
                until_ms,
                by_address: false,
            });
        }
        let row: Option<(i64, String, bool)> = with_pool!(self, |p| sqlx::query_as(
            "select id, password_hash, active from users where username = $1"
        )
        .bind(&username)
        .fetch_optional(p)
        .await?);
        // Verify against a dummy hash for unknown users so timing does not
        // tell which usernames exist.
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let ok = match &row {
            Some((_, hash, active)) => verify_password(password, hash) && *active,
            None => {
                let dummy =
                    DUMMY.get_or_init(|| hash_password("tdkt-dummy-password").unwrap_or_default());
                let _ = verify_password(password, dummy);
                false
            }
        };
        if !ok {
            return Err(LoginError::BadCredentials);
        }
        let (id, _, _) = row.expect("ok implies a row");
        let mut token_bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut token_bytes);
        let token = URL_SAFE_NO_PAD.encode(token_bytes);
        write_tx!(self, |tx| {
            sqlx::query("delete from login_backoff where username = $1")
                .bind(&account)
                .execute(&mut *tx)
                .await?;
            sqlx::query("insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)")
                .bind(token_hash(&token))
                .bind(id)
                .bind(fmt_ts(now))
                .bind(fmt_ts(now + SESSION_TTL))
                .execute(&mut *tx)
                .await?;
            audit!(tx, username.as_str(), "session", id, "login", None, None);
        });
        self.refund(&address_key).await?;
        Ok((token, self.account(id).await?.principal()?))
    }

    /// The principal of a live session, if any.
    ///
    /// # Errors
    /// Database failure.
    pub async fn session(&self, token: &str) -> Result<Option<Principal>> {
        let now = fmt_ts(OffsetDateTime::now_utc());
        let acc: Option<Account> = with_pool!(self, |p| {
            sqlx::query_as(
            "select u.id, u.username, u.full_name, u.role, u.scope_unit_id, u.active from sessions s join users u on u.id = s.user_id
             where s.token_hash = $1 and s.expires_at > $2 and u.active = $3"
        )
        .bind(token_hash(token))
        .bind(&now)
        .bind(true)
        .fetch_optional(p)
        .await?
        });
        acc.map(|a| a.principal()).transpose()
    }

    /// Ends a session (logout). Unknown tokens are ignored.
    ///
    /// # Errors
    /// Database failure.
    pub async fn logout(&self, token: &str) -> Result<()> {
        with_pool!(self, |p| {
            sqlx::query("delete from sessions where token_hash = $1")
                .bind(token_hash(token))
                .execute(p)
                .await?;
        });
        Ok(())
    }
}
