//! Reading what a form posts, shared by the areas: a multipart upload (one
//! file and the other fields), within the route's body limit.

use std::collections::HashMap;

use axum::extract::Multipart;
use tdkt_store::movements::MAX_DOCUMENT_BYTES;

use crate::AppError;

/// Reads an uploaded file field: (file name, content type, bytes), plus
/// the other text fields.
pub(crate) async fn read_upload(
    mp: Multipart,
) -> Result<(Option<(String, String, Vec<u8>)>, HashMap<String, String>), AppError> {
    read_upload_max(mp, MAX_DOCUMENT_BYTES).await
}

/// As [`read_upload`], for a route whose body limit is `max` bytes (named
/// in the refusal).
pub(crate) async fn read_upload_max(
    mut mp: Multipart,
    max: usize,
) -> Result<(Option<(String, String, Vec<u8>)>, HashMap<String, String>), AppError> {
    let too_big = |_| AppError::Invalid {
        field: "file",
        message: format!(
            "Tệp quá lớn hoặc bị ngắt khi tải lên (tối đa {} MB).",
            max / 1024 / 1024
        ),
    };
    let mut file = None;
    let mut fields = HashMap::new();
    while let Some(part) = mp.next_field().await.map_err(too_big)? {
        let name = part.name().unwrap_or("").to_owned();
        if let Some(fname) = part.file_name().map(str::to_owned) {
            let mime = part
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            let bytes = part.bytes().await.map_err(too_big)?;
            if !fname.is_empty() {
                file = Some((fname, mime, bytes.to_vec()));
            }
        } else {
            let v = part.text().await.map_err(too_big)?;
            fields.insert(name, v);
        }
    }
    Ok((file, fields))
}
