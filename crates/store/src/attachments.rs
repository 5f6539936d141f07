//! Attachments (issue 14): files that belong to a dossier (or any owner),
//! kept outside the database through the `object_store` crate, a local
//! directory by default and an S3-compatible bucket when configured
//! (`--files-url s3://bucket/prefix` with the usual `AWS_*` variables).
//!
//! - **Content-addressed**: the key is the SHA-256 of the bytes
//!   (`sha256/ab/abcd…`), so the same file uploaded twice, or attached to
//!   two dossiers, is stored once; the database row (migration 0022) says
//!   who uploaded what, under which name, for which owner and checklist item.
//! - **Checked by content**, not by name ([`sniff`]): PDF (`%PDF-`), JPEG,
//!   PNG by their magic bytes; DOCX and XLSX as a zip holding
//!   `[Content_Types].xml` and `word/document.xml` / `xl/workbook.xml`. The
//!   name's extension must agree with what the content is, and the size
//!   stay under the limit (default 20 MB). Each refusal names the file and
//!   the reason in Vietnamese.
//! - **Verified on every read**: the bytes read back are hashed again; an
//!   object that does not match its key is an error, never served.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tdkt_core::DomainError;

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// Default size limit of one file: 20 MB.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// The kinds of file accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
    Docx,
    Xlsx,
}

impl MediaType {
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// What a person calls it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "tài liệu PDF",
            Self::Jpeg => "ảnh JPEG",
            Self::Png => "ảnh PNG",
            Self::Docx => "văn bản Word (DOCX)",
            Self::Xlsx => "bảng tính Excel (XLSX)",
        }
    }

    /// File name extensions that agree with the content.
    #[must_use]
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Png => &["png"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
        }
    }

    fn from_mime(s: &str) -> Option<Self> {
        [Self::Pdf, Self::Jpeg, Self::Png, Self::Docx, Self::Xlsx]
            .into_iter()
            .find(|m| m.mime() == s)
    }
}

/// `20 MB`, `1,5 MB`, `830 kB`: sizes as a person reads them.
fn size_vn(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        let tenths = bytes * 10 / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{},{} MB", tenths / 10, tenths % 10)
        }
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

/// What a file whose content is not accepted looks like, for the message.
fn looks_like(bytes: &[u8]) -> &'static str {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    if bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7fELF") {
        "một chương trình chạy được"
    } else if head.trim_start().starts_with("<!doctype html")
        || head.contains("<html")
        || head.contains("<script")
    {
        "một trang HTML"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "một tệp nén ZIP khác"
    } else {
        "một loại tệp khác"
    }
}

/// Checks an upload by its content: the kind it is, the size, the
/// extension agreeing. The message names the file.
///
/// # Errors
/// `(reason)` in Vietnamese, starting with the file's name.
pub fn sniff(
    file_name: &str,
    bytes: &[u8],
    max_bytes: u64,
) -> std::result::Result<MediaType, String> {
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(format!("Tệp «{file_name}» rỗng."));
    }
    if size > max_bytes {
        return Err(format!(
            "Tệp «{file_name}» nặng {}, quá giới hạn {} một tệp.",
            size_vn(size),
            size_vn(max_bytes)
        ));
    }
    let kind = if bytes.starts_with(b"%PDF-") {
        MediaType::Pdf
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        MediaType::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        MediaType::Png
    } else if bytes.starts_with(b"PK\x03\x04") {
        office_kind(bytes).ok_or_else(|| {
            format!(
                "Tệp «{file_name}» là tệp nén ZIP nhưng không phải văn bản DOCX hay bảng tính XLSX (thiếu [Content_Types].xml, word/document.xml hoặc xl/workbook.xml)."
            )
        })?
    } else {
        return Err(format!(
            "Tệp «{file_name}» không được nhận: nội dung là {}, không phải PDF, DOCX, XLSX, JPEG hay PNG.",
            looks_like(bytes)
        ));
    };
    let ext = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !kind.extensions().contains(&ext.as_str()) {
        let shown = if ext.is_empty() {
            "không có phần mở rộng".to_owned()
        } else {
            format!("phần mở rộng .{ext}")
        };
        return Err(format!(
            "Tệp «{file_name}» có nội dung là {}, không khớp {shown} (cần .{}).",
            kind.label(),
            kind.extensions().join(" hoặc .")
        ));
    }
    Ok(kind)
}

/// DOCX or XLSX by the parts an Office Open XML package must have.
fn office_kind(bytes: &[u8]) -> Option<MediaType> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let has = |name: &str| zip.file_names().any(|n| n.is_ok_and(|n| n == name));
    if !has("[Content_Types].xml") {
        return None;
    }
    if has("word/document.xml") {
        Some(MediaType::Docx)
    } else if has("xl/workbook.xml") {
        Some(MediaType::Xlsx)
    } else {
        None
    }
}

/// One stored attachment as the database knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub document_code: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
    /// The date the document was made, when asked (migration 0043).
    pub report_date: Option<time::Date>,
}

impl Attachment {
    /// The date the document speaks as of: the date given on upload, or
    /// for a file given none, the day it was uploaded (Việt Nam time), the
    /// latest it can have been made.
    #[must_use]
    pub fn dated(&self) -> Option<time::Date> {
        self.report_date.or_else(|| {
            tdkt_core::date::instant_vn(&self.uploaded_at).map(time::OffsetDateTime::date)
        })
    }

    #[must_use]
    pub fn media(&self) -> Option<MediaType> {
        MediaType::from_mime(&self.media_type)
    }
}

const SELECT: &str = "select id, owner_kind, owner_id, document_code, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at, report_date from attachments";

/// What an upload is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner<'a> {
    pub kind: &'a str,
    pub id: i64,
    /// The checklist item (`to-trinh`, …), or empty.
    pub document: &'a str,
}

/// Where attachments are kept: an object store and the size limit.
#[derive(Debug, Clone)]
pub struct Attachments {
    objects: Arc<dyn ObjectStore>,
    max_bytes: u64,
}

/// The default directory: `tdkt-files` beside an SQLite database file,
/// `./tdkt-files` otherwise.
#[must_use]
pub fn default_dir(database_url: &str) -> PathBuf {
    let sqlite = !database_url.starts_with("postgres");
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .unwrap_or(database_url);
    match Path::new(path).parent() {
        Some(dir) if sqlite && !path.is_empty() && !path.contains(":memory:") => {
            dir.join("tdkt-files")
        }
        _ => PathBuf::from("tdkt-files"),
    }
}

fn storage_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Storage(e.to_string())
}

impl Attachments {
    /// Files in local directory `dir` (created if missing).
    ///
    /// # Errors
    /// The directory cannot be created.
    pub fn local(dir: &Path, max_bytes: u64) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| storage_error(format!("không tạo được thư mục {}: {e}", dir.display())))?;
        let fs =
            object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(storage_error)?;
        Ok(Self::with_store(Arc::new(fs), max_bytes))
    }

    /// Files in an S3-compatible bucket, `s3://bucket/prefix`; credentials,
    /// region and endpoint from the usual `AWS_*` environment variables
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
    /// `AWS_ENDPOINT` for a non-AWS service, `AWS_ALLOW_HTTP`).
    ///
    /// # Errors
    /// Not an `s3://` URL, or the builder refuses the configuration.
    pub fn s3(url: &str, max_bytes: u64) -> Result<Self> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| {
            StoreError::Invalid(DomainError::invalid(
                "files_url",
                format!("«{url}» không phải địa chỉ s3://bucket/thư-mục."),
            ))
        })?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let s3 = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(storage_error)?;
        let prefix = prefix.trim_matches('/');
        let objects: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
        };
        Ok(Self::with_store(objects, max_bytes))
    }

    /// Over any object store (tests use the in-memory one).
    #[must_use]
    pub fn with_store(objects: Arc<dyn ObjectStore>, max_bytes: u64) -> Self {
        Self { objects, max_bytes }
    }

    #[must_use]
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Where the object of a digest lives.
    fn key(sha256: &str) -> ObjectPath {
        ObjectPath::from(format!("sha256/{}/{sha256}", &sha256[..2]))
    }

    /// The object store underneath (tests corrupt an object through it).
    #[doc(hidden)]
    #[must_use]
    pub fn objects(&self) -> &Arc<dyn ObjectStore> {
        &self.objects
    }

    /// The key under which content with this digest is stored.
    #[doc(hidden)]
    #[must_use]
    pub fn object_key(sha256: &str) -> ObjectPath {
        Self::key(sha256)
    }

    /// Checks and stores `bytes` as `file_name` for `owner`: the object
    /// once per content, the row and its audit event in one transaction.
    ///
    /// # Errors
    /// `Invalid("file")` for a refused file (the message names it and
    /// why); storage or database failure.
    pub async fn put(
        &self,
        store: &Store,
        actor: &str,
        owner: Owner<'_>,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<Attachment> {
        self.put_dated(store, actor, owner, file_name, bytes, None)
            .await
    }

    /// [`Attachments::put`] with the date the document was made, for a
    /// document whose age matters (the report of achievements: khoản 9
    /// Điều 33 NĐ 152/2025/NĐ-CP; migration 0043).
    ///
    /// # Errors
    /// As [`Attachments::put`].
    pub async fn put_dated(
        &self,
        store: &Store,
        actor: &str,
        owner: Owner<'_>,
        file_name: &str,
        bytes: Vec<u8>,
        report_date: Option<time::Date>,
    ) -> Result<Attachment> {
        let file_name = Path::new(file_name)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(file_name)
            .trim()
            .to_owned();
        let media = sniff(&file_name, &bytes, self.max_bytes)
            .map_err(|m| StoreError::Invalid(DomainError::invalid("file", m)))?;
        let sha = hex::encode(Sha256::digest(&bytes));
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let key = Self::key(&sha);
        match self.objects.head(&key).await {
            Ok(meta) if meta.size == bytes.len() as u64 => {}
            _ => {
                self.objects
                    .put(&key, bytes.into())
                    .await
                    .map_err(storage_error)?;
            }
        }
        let now = crate::now_rfc3339();
        let id: i64 = write_tx!(store, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into attachments (owner_kind, owner_id, document_code, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at, report_date)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
            )
            .bind(owner.kind)
            .bind(owner.id)
            .bind(owner.document)
            .bind(&file_name)
            .bind(media.mime())
            .bind(size)
            .bind(&sha)
            .bind(actor)
            .bind(&now)
            .bind(report_date)
            .fetch_one(&mut *tx)
            .await?;
            let mut after = serde_json::json!({
                "owner_kind": owner.kind, "owner_id": owner.id, "document_code": owner.document,
                "file_name": file_name, "media_type": media.mime(), "size_bytes": size, "sha256": sha,
            });
            if let Some(d) = report_date {
                after["report_date"] = serde_json::Value::String(d.to_string());
            }
            audit!(tx, actor, "attachment", id, "upload", None, json(&after));
            id
        });
        self.row(store, id).await
    }

    async fn row(&self, store: &Store, id: i64) -> Result<Attachment> {
        let row: Option<Attachment> = with_pool!(store, |p| sqlx::query_as(&format!(
            "{SELECT} where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("tệp đính kèm #{id}")))
    }

    /// The attachments of an owner, oldest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn list(
        &self,
        store: &Store,
        owner_kind: &str,
        owner_id: i64,
    ) -> Result<Vec<Attachment>> {
        Ok(with_pool!(store, |p| sqlx::query_as(&format!(
            "{SELECT} where owner_kind = $1 and owner_id = $2 order by id"
        ))
        .bind(owner_kind)
        .bind(owner_id)
        .fetch_all(p)
        .await?))
    }

    /// Attachment `id` and its bytes, checked against the digest it was
    /// stored under.
    ///
    /// # Errors
    /// `NotFound`; [`StoreError::Corrupt`] when the stored object is missing
    /// or its bytes no longer match (never served); storage failure.
    pub async fn get(&self, store: &Store, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let a = self.row(store, id).await?;
        let got = match self.objects.get(&Self::key(&a.sha256)).await {
            Ok(g) => g.bytes().await.map_err(storage_error)?,
            Err(object_store::Error::NotFound { .. }) => {
                return Err(StoreError::Corrupt(format!(
                    "tệp đính kèm #{id} «{}»: không còn trong kho lưu trữ",
                    a.file_name
                )))
            }
            Err(e) => return Err(storage_error(e)),
        };
        let digest = hex::encode(Sha256::digest(&got));
        if digest != a.sha256 || i64::try_from(got.len()).ok() != Some(a.size_bytes) {
            tracing::error!(id, sha256 = %a.sha256, read = %digest, "tệp đính kèm bị hỏng trong kho lưu trữ");
            return Err(StoreError::Corrupt(format!(
                "tệp đính kèm #{id} «{}»: nội dung trong kho không khớp mã băm SHA-256 đã lưu",
                a.file_name
            )));
        }
        Ok((a, got.to_vec()))
    }
}

impl Store {
    /// The attachment rows of an owner, oldest first, without their bytes
    /// (what a check of the checklist reads inside the store).
    ///
    /// # Errors
    /// Database failure.
    pub async fn attachment_rows(
        &self,
        owner_kind: &str,
        owner_id: i64,
    ) -> Result<Vec<Attachment>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "{SELECT} where owner_kind = $1 and owner_id = $2 order by id"
        ))
        .bind(owner_kind)
        .bind(owner_id)
        .fetch_all(p)
        .await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_a_person_reads_them() {
        assert_eq!(size_vn(DEFAULT_MAX_BYTES), "20 MB");
        assert_eq!(
            size_vn(DEFAULT_MAX_BYTES + DEFAULT_MAX_BYTES / 40),
            "20,5 MB"
        );
        assert_eq!(size_vn(1000), "1 kB");
    }

    #[test]
    fn the_default_directory_sits_beside_the_sqlite_file() {
        assert_eq!(
            default_dir("sqlite:/var/lib/tdkt/tdkt.db"),
            PathBuf::from("/var/lib/tdkt/tdkt-files")
        );
        assert_eq!(default_dir("sqlite:tdkt.db"), PathBuf::from("tdkt-files"));
        assert_eq!(
            default_dir("postgres://db/tdkt"),
            PathBuf::from("tdkt-files")
        );
    }
}
