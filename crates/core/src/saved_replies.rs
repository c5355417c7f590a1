//! Saved replies on the desk: the tenant's (fed by the platform) and the person's own (kept
//! here, never sent anywhere). Searched from the reply box, filled from the ticket's records by
//! the drafting engine's one rule ([`countersign_drafting::saved`]). Filling only returns text:
//! the person still reads and sends it, through the same reply path as any other.

use crate::store::{Store, now, ts};
use crate::workflow::audit_person;
use crate::{Error, Result, new_id};
use countersign_drafting::Lang;
use countersign_model::TicketId;
use countersign_model::saved_replies::{FilledReply, SaveReply, SavedReply, SavedReplyQuery};
use countersign_model::workflow::Person;
use serde_json::json;
use sqlx::Row;

/// At most this many saved replies answer a search.
pub const LIMIT: i64 = 50;

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<SavedReply> {
    Ok(SavedReply {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        language: row.try_get("language")?,
        body: row.try_get("body")?,
        personal: row.try_get::<i64, _>("personal")? != 0,
    })
}

/// The saved replies in use whose title or text holds every word of the query (any case), in
/// the query's language first, then the person's own, then by title.
pub async fn search(store: &Store, q: &SavedReplyQuery) -> Result<Vec<SavedReply>> {
    let words: Vec<String> = q
        .query
        .split_whitespace()
        .take(8)
        .map(|w| {
            let literal = w
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{literal}%")
        })
        .collect();
    let words = serde_json::to_string(&words).map_err(|e| Error::Internal(e.to_string()))?;
    let rows = sqlx::query(
        "SELECT id, title, language, body, personal FROM saved_replies s WHERE active = 1 \
         AND NOT EXISTS (SELECT 1 FROM json_each(?1) w \
                         WHERE s.title NOT LIKE w.value ESCAPE '\\' AND s.body NOT LIKE w.value ESCAPE '\\') \
         ORDER BY language = ?2 DESC, personal DESC, title COLLATE NOCASE, id LIMIT ?3",
    )
    .bind(words)
    .bind(q.language.as_deref().unwrap_or(""))
    .bind(LIMIT)
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Saved reply `id` filled with ticket `ticket`'s records, for `person` to read and send.
pub async fn fill(
    store: &Store,
    person: &Person,
    ticket: &TicketId,
    id: &str,
) -> Result<FilledReply> {
    let mut conn = store.pool().acquire().await?;
    let row = sqlx::query("SELECT body, language FROM saved_replies WHERE id = ? AND active = 1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found("saved reply", id))?;
    let (body, language): (String, String) = (row.try_get("body")?, row.try_get("language")?);
    let ctx = crate::drafting::context::load(&mut conn, ticket.as_str(), "", &[]).await?;
    Ok(countersign_drafting::saved::fill(
        &body,
        Lang::from_tag(&language),
        &ctx,
        &person.name,
    ))
}

/// Keeps a personal saved reply on this desk, audited.
pub async fn save_personal(
    store: &Store,
    person: &Person,
    input: &SaveReply,
) -> Result<SavedReply> {
    let input = input.checked().map_err(Error::Refused)?;
    let id = new_id("psr_");
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO saved_replies (id, title, language, body, active, personal, updated_at, version) \
         VALUES (?, ?, ?, ?, 1, 1, ?, 1)",
    )
    .bind(&id)
    .bind(&input.title)
    .bind(&input.language)
    .bind(&input.body)
    .bind(ts(now()))
    .execute(&mut *tx)
    .await?;
    audit_person(
        &mut tx,
        person,
        "save_reply",
        &id,
        &json!({"title": input.title, "language": input.language}),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(SavedReply {
        id,
        title: input.title,
        language: input.language,
        body: input.body,
        personal: true,
    })
}

/// Deletes one of the person's own saved replies, audited; the tenant's are withdrawn on the
/// platform, not here.
pub async fn delete_personal(store: &Store, person: &Person, id: &str) -> Result<()> {
    let id = id.trim();
    let mut tx = store.write().await?;
    let personal: Option<i64> =
        sqlx::query_scalar("SELECT personal FROM saved_replies WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match personal {
        None => return Err(Error::not_found("saved reply", id)),
        Some(0) => {
            return Err(Error::invalid(format!(
                "saved reply {id} is the team's; it is withdrawn on the platform"
            )));
        }
        Some(_) => {}
    }
    sqlx::query("DELETE FROM saved_replies WHERE id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit_person(&mut tx, person, "delete_reply", id, &json!({}), "ok").await?;
    tx.commit().await?;
    Ok(())
}
