//! Movements (*phong trào thi đua*), the units in their scope, the
//! registrations (*đăng ký thi đua*) of units and people, and the documents
//! attached to movements and clusters (plan, launch decision, regulation),
//! kept as bytes in the database so that a backup holds everything.

use serde::Serialize;
use sha2::{Digest, Sha256};
use tdkt_core::movement::{from_utc_text, to_utc_text, MovementKind, NewMovement, Window};
use tdkt_core::org::{Unit, UnitId};
use tdkt_core::DomainError;

use crate::audit::{audit, json};
use crate::{with_pool, write_tx, Result, Store, StoreError};

/// Largest attached file: plans and decisions are scanned PDFs of a few
/// pages; more is almost surely the wrong file, and every byte sits in
/// the database and its backups.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: MovementKind,
    /// The launching unit.
    pub unit_id: UnitId,
    pub window: Window,
    pub description: String,
    pub created_at: String,
    pub created_by: String,
}

#[derive(sqlx::FromRow)]
struct MovementRow {
    id: i64,
    code: String,
    name: String,
    kind: String,
    unit_id: i64,
    starts_at: String,
    ends_at: String,
    description: String,
    created_at: String,
    created_by: String,
}

const MOVEMENT_COLS: &str =
    "id, code, name, kind, unit_id, starts_at, ends_at, description, created_at, created_by";

fn invalid_stored(m: impl Into<String>) -> StoreError {
    StoreError::Invalid(DomainError::invalid("movement", m))
}

impl TryFrom<MovementRow> for Movement {
    type Error = StoreError;
    fn try_from(r: MovementRow) -> Result<Self> {
        Ok(Self {
            id: r.id,
            kind: MovementKind::parse(&r.kind)?,
            window: Window {
                starts: from_utc_text(&r.starts_at).map_err(invalid_stored)?,
                ends: from_utc_text(&r.ends_at).map_err(invalid_stored)?,
            },
            code: r.code,
            name: r.name,
            unit_id: r.unit_id,
            description: r.description,
            created_at: r.created_at,
            created_by: r.created_by,
        })
    }
}

/// A registration of a unit (no person) or of a person of that unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registration {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub titles: Vec<String>,
    pub targets: String,
    pub registered_at: String,
    pub registered_by: String,
}

#[derive(sqlx::FromRow)]
struct RegistrationRow {
    id: i64,
    unit_id: i64,
    unit_name: String,
    person_id: Option<i64>,
    person_name: Option<String>,
    titles_json: String,
    targets: String,
    registered_at: String,
    registered_by: String,
}

/// What a registration asks for (titles already checked by
/// `tdkt_core::movement::check_titles`).
#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub unit_id: UnitId,
    pub person_id: Option<i64>,
    pub titles: Vec<String>,
    pub targets: String,
}

/// An attached file without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DocumentMeta {
    pub id: i64,
    pub owner_type: String,
    pub owner_id: i64,
    pub kind: String,
    pub file_name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

const DOC_COLS: &str =
    "id, owner_type, owner_id, kind, file_name, mime, size, sha256, uploaded_at, uploaded_by";

/// Kinds of attached documents and their Vietnamese names.
pub const DOCUMENT_KINDS: [(&str, &str); 4] = [
    ("plan", "Kế hoạch"),
    ("launch_decision", "Quyết định phát động"),
    ("regulation", "Quy chế hoạt động và bình xét thi đua"),
    ("other", "Tài liệu khác"),
];

#[must_use]
pub fn document_kind_label(kind: &str) -> &'static str {
    DOCUMENT_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Tài liệu", |(_, l)| l)
}

impl Store {
    /// Launches a movement from `unit_id` for the units of `scope`.
    ///
    /// # Errors
    /// The code is taken; a scope unit does not exist.
    pub async fn create_movement(
        &self,
        actor: &str,
        unit_id: UnitId,
        m: &NewMovement,
        scope: &[UnitId],
    ) -> Result<Movement> {
        // a unit launches a movement while it is in being: Hậu Giang could
        // in 2021, not after its merger into Cần Thơ on 01/7/2025
        self.lineage().await?.require_in_being(
            unit_id,
            m.window.starts.to_offset(tdkt_core::date::VN_OFFSET).date(),
            "unit",
        )?;
        let at = crate::now_rfc3339();
        let starts = to_utc_text(m.window.starts);
        let ends = to_utc_text(m.window.ends);
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into movements (code, name, kind, unit_id, starts_at, ends_at, description, created_at, created_by)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
            )
            .bind(m.code.as_str())
            .bind(&m.name)
            .bind(m.kind.code())
            .bind(unit_id)
            .bind(&starts)
            .bind(&ends)
            .bind(&m.description)
            .bind(&at)
            .bind(actor)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "code",
                format!("Mã phong trào «{}» đã tồn tại.", m.code),
            ))?;
            for u in scope {
                sqlx::query("insert into movement_scope (movement_id, unit_id) values ($1, $2)")
                    .bind(id)
                    .bind(*u)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                actor,
                "movement",
                id,
                "create",
                None,
                json(&serde_json::json!({
                    "code": m.code.as_str(), "name": m.name, "kind": m.kind.code(), "unit_id": unit_id,
                    "starts_at": starts, "ends_at": ends, "scope": scope,
                }))
            );
            id
        });
        self.movement_by_id(id).await
    }

    /// All movements, latest start first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn movements(&self) -> Result<Vec<Movement>> {
        let rows: Vec<MovementRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {MOVEMENT_COLS} from movements order by starts_at desc, id desc"
        ))
        .fetch_all(p)
        .await?);
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// # Errors
    /// `NotFound` for an unknown code.
    pub async fn movement(&self, code: &str) -> Result<Movement> {
        let row: Option<MovementRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {MOVEMENT_COLS} from movements where code = $1"
        ))
        .bind(code)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("phong trào «{code}»")))?
            .try_into()
    }

    /// # Errors
    /// `NotFound` for an unknown id.
    pub async fn movement_by_id(&self, id: i64) -> Result<Movement> {
        let row: Option<MovementRow> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {MOVEMENT_COLS} from movements where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.ok_or_else(|| StoreError::NotFound(format!("phong trào #{id}")))?
            .try_into()
    }

    /// The units called to take part, by name.
    ///
    /// # Errors
    /// Database failure.
    pub async fn movement_scope(&self, movement_id: i64) -> Result<Vec<Unit>> {
        let ids: Vec<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "select s.unit_id from movement_scope s join org_units u on u.id = s.unit_id
             where s.movement_id = $1 order by u.name"
        )
        .bind(movement_id)
        .fetch_all(p)
        .await?);
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.unit(id).await?);
        }
        Ok(out)
    }

    /// Registers a unit or a person, replacing an earlier registration of
    /// the same unit (or person) for the movement.
    ///
    /// # Errors
    /// The movement has ended; the unit is not in the movement's scope; the
    /// person does not work in that unit.
    pub async fn register(
        &self,
        actor: &str,
        movement_id: i64,
        r: &NewRegistration,
    ) -> Result<Registration> {
        let m = self.movement_by_id(movement_id).await?;
        m.window
            .check_registration(time::OffsetDateTime::now_utc())?;
        if !self
            .movement_scope(m.id)
            .await?
            .iter()
            .any(|u| u.id == r.unit_id)
        {
            return Err(DomainError::invalid(
                "unit",
                "Đơn vị không thuộc phạm vi phát động của phong trào.",
            )
            .into());
        }
        if let Some(pid) = r.person_id {
            let p = self.person(pid).await?;
            if p.unit_id != r.unit_id {
                return Err(DomainError::invalid(
                    "person",
                    format!("{} không công tác tại đơn vị này.", p.full_name),
                )
                .into());
            }
        }
        let at = crate::now_rfc3339();
        let titles_json = serde_json::to_string(&r.titles).unwrap_or_else(|_| "[]".into());
        let targets = r.targets.trim().to_owned();
        let id: i64 = write_tx!(self, |tx| {
            let old: Option<(i64, String, String)> = sqlx::query_as(
                "select id, titles_json, targets from movement_registrations
                 where movement_id = $1 and unit_id = $2
                   and (($3 is null and person_id is null) or person_id = $3)",
            )
            .bind(movement_id)
            .bind(r.unit_id)
            .bind(r.person_id)
            .fetch_optional(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "movement": m.code, "unit_id": r.unit_id, "person_id": r.person_id,
                "titles": r.titles, "targets": targets,
            });
            let id = match old {
                Some((id, t, g)) => {
                    sqlx::query(
                        "update movement_registrations set titles_json = $1, targets = $2, registered_at = $3, registered_by = $4 where id = $5",
                    )
                    .bind(&titles_json)
                    .bind(&targets)
                    .bind(&at)
                    .bind(actor)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    audit!(
                        tx,
                        actor,
                        "movement_registration",
                        id,
                        "update",
                        json(&serde_json::json!({"titles_json": t, "targets": g})),
                        json(&after)
                    );
                    id
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "insert into movement_registrations (movement_id, unit_id, person_id, titles_json, targets, registered_at, registered_by)
                         values ($1, $2, $3, $4, $5, $6, $7) returning id",
                    )
                    .bind(movement_id)
                    .bind(r.unit_id)
                    .bind(r.person_id)
                    .bind(&titles_json)
                    .bind(&targets)
                    .bind(&at)
                    .bind(actor)
                    .fetch_one(&mut *tx)
                    .await?;
                    audit!(
                        tx,
                        actor,
                        "movement_registration",
                        id,
                        "create",
                        None,
                        json(&after)
                    );
                    id
                }
            };
            id
        });
        self.registrations(movement_id)
            .await?
            .into_iter()
            .find(|x| x.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("đăng ký #{id}")))
    }

    /// Registrations of a movement: units first, then people, by unit name.
    ///
    /// # Errors
    /// Database failure.
    pub async fn registrations(&self, movement_id: i64) -> Result<Vec<Registration>> {
        let rows: Vec<RegistrationRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "select r.id, r.unit_id, u.name as unit_name, r.person_id, p.full_name as person_name,
                    r.titles_json, r.targets, r.registered_at, r.registered_by
             from movement_registrations r
             join org_units u on u.id = r.unit_id
             left join people p on p.id = r.person_id
             where r.movement_id = $1
             order by (case when r.person_id is null then 0 else 1 end), u.name, p.full_name"
        )
        .bind(movement_id)
        .fetch_all(p)
        .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| Registration {
                id: r.id,
                unit_id: r.unit_id,
                unit_name: r.unit_name,
                person_id: r.person_id,
                person_name: r.person_name,
                titles: serde_json::from_str(&r.titles_json).unwrap_or_default(),
                targets: r.targets,
                registered_at: r.registered_at,
                registered_by: r.registered_by,
            })
            .collect())
    }

    /// Units in the scope that have not registered themselves.
    ///
    /// # Errors
    /// Database failure.
    pub async fn unregistered_units(&self, movement_id: i64) -> Result<Vec<Unit>> {
        let registered: Vec<UnitId> = self
            .registrations(movement_id)
            .await?
            .into_iter()
            .filter(|r| r.person_id.is_none())
            .map(|r| r.unit_id)
            .collect();
        Ok(self
            .movement_scope(movement_id)
            .await?
            .into_iter()
            .filter(|u| !registered.contains(&u.id))
            .collect())
    }

    /// Attaches a file to a movement or a cluster.
    ///
    /// # Errors
    /// An empty file, one over [`MAX_DOCUMENT_BYTES`], an unknown kind.
    #[expect(
        clippy::too_many_arguments,
        reason = "the owner (type, id), the kind and the file (name, type, bytes)"
    )]
    pub async fn add_document(
        &self,
        actor: &str,
        owner_type: &str,
        owner_id: i64,
        kind: &str,
        file_name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<DocumentMeta> {
        if !DOCUMENT_KINDS.iter().any(|(k, _)| *k == kind) {
            return Err(DomainError::invalid(
                "kind",
                format!("Loại tài liệu «{kind}» không hợp lệ."),
            )
            .into());
        }
        if bytes.is_empty() {
            return Err(DomainError::invalid("file", "Tệp rỗng hoặc chưa chọn tệp.").into());
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(DomainError::invalid(
                "file",
                format!(
                    "Tệp «{file_name}» quá lớn ({} MB); tối đa {} MB.",
                    bytes.len().div_ceil(1024 * 1024),
                    MAX_DOCUMENT_BYTES / 1024 / 1024
                ),
            )
            .into());
        }
        // Keep only the last path component a browser may send.
        let file_name = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("tai-lieu")
            .trim()
            .to_owned();
        let sha = hex::encode(Sha256::digest(bytes));
        let at = crate::now_rfc3339();
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "insert into documents (owner_type, owner_id, kind, file_name, mime, size, sha256, content, uploaded_at, uploaded_by)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
            )
            .bind(owner_type)
            .bind(owner_id)
            .bind(kind)
            .bind(&file_name)
            .bind(mime)
            .bind(size)
            .bind(&sha)
            .bind(bytes)
            .bind(&at)
            .bind(actor)
            .fetch_one(&mut *tx)
            .await?;
            audit!(
                tx,
                actor,
                "document",
                id,
                "create",
                None,
                json(&serde_json::json!({
                    "owner_type": owner_type, "owner_id": owner_id, "kind": kind,
                    "file_name": file_name, "size": size, "sha256": sha,
                }))
            );
            id
        });
        Ok(self.document(id).await?.0)
    }

    /// Files attached to one owner, oldest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn documents(&self, owner_type: &str, owner_id: i64) -> Result<Vec<DocumentMeta>> {
        Ok(with_pool!(self, |p| sqlx::query_as(&format!(
            "select {DOC_COLS} from documents where owner_type = $1 and owner_id = $2 order by id"
        ))
        .bind(owner_type)
        .bind(owner_id)
        .fetch_all(p)
        .await?))
    }

    /// A file and its bytes.
    ///
    /// # Errors
    /// `NotFound` for an unknown id.
    pub async fn document(&self, id: i64) -> Result<(DocumentMeta, Vec<u8>)> {
        let meta: Option<DocumentMeta> = with_pool!(self, |p| sqlx::query_as(&format!(
            "select {DOC_COLS} from documents where id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        let meta = meta.ok_or_else(|| StoreError::NotFound(format!("tài liệu #{id}")))?;
        let bytes: Vec<u8> = with_pool!(self, |p| sqlx::query_scalar(
            "select content from documents where id = $1"
        )
        .bind(id)
        .fetch_one(p)
        .await?);
        Ok((meta, bytes))
    }
}
