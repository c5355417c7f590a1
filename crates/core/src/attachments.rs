//! Files customers sent with messages. The desk knows what each is (fed by the platform: name,
//! declared type, size) and shows it on its message; the bytes stay on the platform until a
//! person saves one. Saving fetches it from the platform, checks it is the size the feed said,
//! and writes it as a plain file (never executable, never overwriting another) in the person's
//! downloads folder. The desk never opens or runs it; the person does what they choose with it.

use crate::store::Store;
use crate::workflow::audit_person;
use crate::{Error, Result};
use countersign_model::records::Attachment;
use countersign_model::workflow::Person;
use countersign_model::{MessageId, TicketId};
use serde_json::json;
use sqlx::{Row, SqliteConnection};
use std::path::{Path, PathBuf};

/// The files sent with ticket `ticket`'s messages, oldest first.
pub async fn of_ticket(conn: &mut SqliteConnection, ticket: &TicketId) -> Result<Vec<Attachment>> {
    let rows = sqlx::query(
        "SELECT a.id, a.message_id, a.name, a.content_type, a.size FROM attachments a \
         JOIN messages m ON m.id = a.message_id WHERE m.ticket_id = ? ORDER BY a.rowid",
    )
    .bind(ticket.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Attachment {
                id: r.try_get("id")?,
                message_id: MessageId::parse(&r.try_get::<String, _>("message_id")?)
                    .map_err(crate::store::corrupt)?,
                name: r.try_get("name")?,
                content_type: r.try_get("content_type")?,
                size: r.try_get("size")?,
            })
        })
        .collect()
}

/// Where saved files go: the person's downloads folder, else their home.
pub fn downloads_dir() -> Option<PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(
        dirs.download_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dirs.home_dir().to_path_buf()),
    )
}

/// A file name in `dir` that no file has yet: `name`, else `stem (2).ext`, `stem (3).ext`, ….
fn free_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}){ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// The name as the platform gave it, checked again: a plain file name, nothing else.
fn plain_name(name: &str) -> Result<&str> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && name.len() <= 200
        && !name.chars().any(|c| {
            c.is_control()
                || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        });
    ok.then_some(name)
        .ok_or_else(|| Error::invalid(format!("attachment name {name:?} is not a plain file name")))
}

/// Fetches attachment `id` from the platform and writes it into `dir` (the downloads folder when
/// `None`); returns where it went. Audited.
pub async fn save(store: &Store, person: &Person, id: &str, dir: Option<&Path>) -> Result<PathBuf> {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Error::invalid(format!("{id:?} is not an attachment id")));
    }
    let (name, size): (String, i64) =
        sqlx::query_as("SELECT name, size FROM attachments WHERE id = ?")
            .bind(id)
            .fetch_optional(store.pool())
            .await?
            .ok_or_else(|| Error::not_found("attachment", id))?;
    let name = plain_name(&name)?.to_owned();
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => downloads_dir()
            .ok_or_else(|| Error::Internal("no downloads folder or home folder".into()))?,
    };
    let (client, _) = crate::sync::connect(store).await?;
    let bytes = client.attachment(id).await?;
    if bytes.len() as i64 != size {
        return Err(Error::Internal(format!(
            "attachment {id} came as {} bytes, but the platform said {size}; not saved",
            bytes.len()
        )));
    }
    let path = tokio::task::spawn_blocking(move || -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&dir)?;
        let path = free_path(&dir, &name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
        std::io::Write::write_all(&mut options.open(&path)?, &bytes)?;
        Ok(path)
    })
    .await
    .map_err(|e| Error::Internal(format!("saving the attachment stopped: {e}")))?
    .map_err(|e| Error::Internal(format!("cannot save the attachment: {e}")))?;
    let mut tx = store.write().await?;
    audit_person(
        &mut tx,
        person,
        "save_attachment",
        id,
        &json!({"path": path.display().to_string(), "size": size}),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_file_never_replaces_another() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(free_path(dir.path(), "a.pdf"), dir.path().join("a.pdf"));
        std::fs::write(dir.path().join("a.pdf"), b"x").unwrap();
        std::fs::write(dir.path().join("a (2).pdf"), b"x").unwrap();
        assert_eq!(free_path(dir.path(), "a.pdf"), dir.path().join("a (3).pdf"));
        std::fs::write(dir.path().join("README"), b"x").unwrap();
        assert_eq!(
            free_path(dir.path(), "README"),
            dir.path().join("README (2)")
        );
    }

    #[test]
    fn only_a_plain_name_is_written() {
        for bad in [
            "",
            ".",
            "..",
            ".bashrc",
            "a/b",
            "..\\x",
            "a\nb",
            "a\u{202e}fdp.exe",
        ] {
            assert!(plain_name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(plain_name("statement 03.pdf").unwrap(), "statement 03.pdf");
    }
}
