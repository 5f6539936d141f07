//! Store errors: a refused input (Vietnamese, with its field), a missing or
//! conflicting row, or a database failure that is logged, not shown.

use tdkt_core::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Invalid(#[from] DomainError),
    #[error("không tìm thấy {0}")]
    NotFound(String),
    /// A unique value already exists (field, Vietnamese message).
    #[error("{1}")]
    Conflict(&'static str, String),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Db(sqlx::Error),
    #[error("lỗi mã hóa dữ liệu nhạy cảm")]
    Crypto,
    #[error("lỗi di chuyển lược đồ: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The file store (local directory or S3) failed.
    #[error("lỗi kho lưu trữ tệp: {0}")]
    Storage(String),
    /// A stored file no longer matches its checksum (or is gone): it is
    /// never served.
    #[error("tệp lưu trữ bị hỏng: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e)
    }
}

impl StoreError {
    /// Maps a unique-constraint violation (by kind, not by constraint name:
    /// names differ between SQLite and PostgreSQL) to a field conflict.
    pub(crate) fn unique(
        field: &'static str,
        message: impl Into<String>,
    ) -> impl FnOnce(sqlx::Error) -> Self {
        let message = message.into();
        move |e| match &e {
            sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation => {
                Self::Conflict(field, message)
            }
            _ => Self::Db(e),
        }
    }
}
