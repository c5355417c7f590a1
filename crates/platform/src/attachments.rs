//! Files a customer sends with a message. The channel posts them with the message (base64);
//! they are checked (at most [`MAX_FILES`] of [`MAX_FILE_BYTES`] each, a safe name, a declared
//! type of the form `type/subtype`), stored with their SHA-256, and fed to desks as what they are
//! (name, type, size), never their bytes. A desk fetches one with `GET /v1/attachments/{id}`,
//! which serves it only as a download: `application/octet-stream`, `attachment` disposition,
//! `nosniff`, `no-store` — nothing a desk or a browser would run or render.

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::feed::Changed;
use crate::{AppState, new_id};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use countersign_model::sync::Entity;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

/// At most this many files with one message.
pub const MAX_FILES: usize = 10;
/// At most this many bytes in one file.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// The largest request `POST /v1/ingest/messages` takes: every file at its largest in base64,
/// and room for the message itself.
pub const MAX_MESSAGE_BYTES: usize = MAX_FILES * (MAX_FILE_BYTES / 3 + 1) * 4 + 1024 * 1024;

/// A file as the channel posts it.
#[derive(Debug, Deserialize)]
pub struct InboundAttachment {
    pub name: String,
    #[serde(default)]
    pub content_type: Option<String>,
    /// The file, base64 (standard alphabet).
    pub content: String,
}

/// A file checked and decoded, ready to store.
#[derive(Debug)]
pub struct Checked {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The most bytes of a name: a file system takes 255, and a saved copy adds " (2)".
pub const MAX_NAME_BYTES: usize = 200;

/// Characters that change the order text is shown in: `invoice\u{202e}fdp.exe` reads as
/// `invoiceexe.pdf`.
fn reorders(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The name made safe to show and to save: its last path part, without control or reordering
/// characters or leading dots, at most [`MAX_NAME_BYTES`] (a longer one keeps its extension).
pub fn safe_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !reorders(*c))
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim().to_owned();
    if clean.is_empty() {
        return None;
    }
    if clean.len() <= MAX_NAME_BYTES {
        return Some(clean);
    }
    let ext = clean
        .rsplit_once('.')
        .map(|(_, e)| format!(".{e}"))
        .filter(|e| e.len() <= 16)
        .unwrap_or_default();
    let mut stem = String::new();
    for c in clean.chars() {
        if stem.len() + c.len_utf8() + ext.len() > MAX_NAME_BYTES {
            break;
        }
        stem.push(c);
    }
    Some(format!("{}{ext}", stem.trim_end()))
}

/// `type/subtype` in lower case, or `application/octet-stream` when the declared type is none.
fn safe_type(declared: Option<&str>) -> String {
    let t = declared.unwrap_or("").trim().to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    match t.split_once('/') {
        Some((a, b)) if t.len() <= 127 && token(a) && token(b) => t,
        _ => "application/octet-stream".into(),
    }
}

pub fn check(files: &[InboundAttachment]) -> Result<Vec<Checked>> {
    if files.len() > MAX_FILES {
        return Err(Error::invalid(format!(
            "attachments: at most {MAX_FILES} files with one message, got {}",
            files.len()
        )));
    }
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = safe_name(&f.name).ok_or_else(|| {
                Error::invalid(format!("attachments[{i}].name must be a file name"))
            })?;
            if f.content.len() > MAX_FILE_BYTES / 3 * 4 + 8 {
                return Err(too_big(i));
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(f.content.trim())
                .map_err(|e| {
                    Error::invalid(format!("attachments[{i}].content is not base64: {e}"))
                })?;
            if bytes.len() > MAX_FILE_BYTES {
                return Err(too_big(i));
            }
            Ok(Checked {
                name,
                content_type: safe_type(f.content_type.as_deref()),
                bytes,
            })
        })
        .collect()
}

fn too_big(i: usize) -> Error {
    Error::invalid(format!(
        "attachments[{i}] is larger than {} MiB",
        MAX_FILE_BYTES / 1024 / 1024
    ))
}

/// Stores the files of message `message_id` and marks them for the feed.
pub async fn insert(
    tx: &mut PgConnection,
    tenant_id: &str,
    message_id: &str,
    files: Vec<Checked>,
    changed: &mut Changed,
) -> Result<()> {
    for f in files {
        let id = new_id("att_");
        sqlx::query(
            "INSERT INTO attachments (tenant_id, id, message_id, name, content_type, size, sha256, content)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(tenant_id)
        .bind(&id)
        .bind(message_id)
        .bind(&f.name)
        .bind(&f.content_type)
        .bind(f.bytes.len() as i64)
        .bind(hex::encode(Sha256::digest(&f.bytes)))
        .bind(&f.bytes)
        .execute(&mut *tx)
        .await?;
        changed.push(Entity::Attachment, &id);
    }
    Ok(())
}

/// `GET /v1/attachments/{id}`: the file, as a download, for a desk of its tenant.
pub async fn get_attachment(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response> {
    let found: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT name, sha256, content FROM attachments WHERE tenant_id = $1 AND id = $2",
    )
    .bind(&caller.tenant_id)
    .bind(&id)
    .fetch_optional(&state.pool)
    .await?;
    let (name, sha256, content) = found.ok_or_else(|| Error::not_found("attachment", &id))?;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::ETAG, format!("\"{sha256}\"")),
        ],
        content,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_directories_and_control_characters() {
        assert_eq!(safe_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(
            safe_name("C:\\Users\\a\\stmt.pdf").as_deref(),
            Some("stmt.pdf")
        );
        assert_eq!(
            safe_name("bad\u{0}\u{7}name\n.pdf").as_deref(),
            Some("badname.pdf")
        );
        assert_eq!(safe_name(".bashrc").as_deref(), Some("bashrc"));
        assert_eq!(safe_name("dir/"), None);
        assert_eq!(safe_name(".."), None);
        assert_eq!(
            safe_name("invoice\u{202e}fdp.exe").as_deref(),
            Some("invoicefdp.exe")
        );
        let long = format!("{}.pdf", "é".repeat(150));
        let cut = safe_name(&long).unwrap();
        assert!(
            cut.len() <= MAX_NAME_BYTES && cut.ends_with("é.pdf"),
            "{cut}"
        );
    }

    #[test]
    fn a_declared_type_is_kept_only_when_it_is_one() {
        assert_eq!(safe_type(Some("Application/PDF")), "application/pdf");
        assert_eq!(
            safe_type(Some("text/html; charset=utf-8")),
            "application/octet-stream"
        );
        assert_eq!(safe_type(Some("image")), "application/octet-stream");
        assert_eq!(safe_type(None), "application/octet-stream");
    }
}
