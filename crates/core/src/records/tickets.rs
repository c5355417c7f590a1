//! Tickets: the inbox list (filtered, searchable, paged) and one ticket with its thread.

use super::{clamp_limit, customers::summary_from_row, int, opt_text, parse, text};
use crate::store::{parse_ts, parse_ts_opt};
use crate::{Error, Result, fts, workflow};
use countersign_model::records::{
    AuthorKind, Channel, Delivery, DeliveryState, Message, Page, Ticket, TicketPriority, TicketRow,
    TicketStatus, Visibility,
};
use countersign_model::workflow::TicketDetail;
use countersign_model::{CustomerId, MessageId, TicketId};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqliteExecutor, SqlitePool};

/// Filters of the inbox; all optional.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub status: Option<TicketStatus>,
    pub customer_id: Option<CustomerId>,
    /// Only tickets assigned to this person.
    pub assignee: Option<String>,
    /// Only tickets assigned to nobody.
    pub unassigned: bool,
    /// Words that must appear in the subject or a message.
    pub query: Option<String>,
    /// Only tickets with a draft waiting for review (pending or stale).
    pub needs_review: bool,
    /// `Some(false)`: only tickets not set aside now; `Some(true)`: only those snoozed until a
    /// time to come; `None`: both.
    pub snoozed: Option<bool>,
    /// Only the open tickets with an SLA running, the one that breaks next first (overdue ones
    /// at the top), instead of the most recently updated first.
    pub breaks_next: bool,
}

macro_rules! ticket_columns {
    () => {
        "t.id, t.customer_id, t.subject, t.status, t.priority, t.channel, t.assignee, t.language, \
         t.sla_due_at, t.snoozed_until, t.merged_into, t.created_at, t.updated_at, t.version, t.synced_at"
    };
}

fn ticket_from_row(row: &SqliteRow) -> Result<Ticket> {
    Ok(Ticket {
        id: parse(TicketId::parse(&text(row, "id")?))?,
        customer_id: parse(CustomerId::parse(&text(row, "customer_id")?))?,
        subject: text(row, "subject")?,
        status: parse(TicketStatus::parse(&text(row, "status")?))?,
        priority: parse(TicketPriority::parse(&text(row, "priority")?))?,
        channel: parse(Channel::parse(&text(row, "channel")?))?,
        assignee: opt_text(row, "assignee")?,
        language: text(row, "language")?,
        sla_due_at: parse_ts_opt(opt_text(row, "sla_due_at")?.as_deref())?,
        snoozed_until: parse_ts_opt(opt_text(row, "snoozed_until")?.as_deref())?,
        merged_into: opt_text(row, "merged_into")?
            .map(|id| parse(TicketId::parse(&id)))
            .transpose()?,
        created_at: parse_ts(&text(row, "created_at")?)?,
        updated_at: parse_ts(&text(row, "updated_at")?)?,
        version: int(row, "version")?,
        synced_at: parse_ts_opt(opt_text(row, "synced_at")?.as_deref())?,
    })
}

/// Where a page ends: the ordering time (`sla_due_at` when ordered by what breaks next, else
/// `updated_at`) and the id.
fn encode_cursor(t: &Ticket, breaks_next: bool) -> String {
    let at = match (breaks_next, t.sla_due_at) {
        (true, Some(due)) => due,
        _ => t.updated_at,
    };
    format!("{}.{}", crate::store::ts(at), t.id)
}

fn decode_cursor(cursor: &str) -> Result<(String, String)> {
    let bad = || Error::invalid(format!("cursor {cursor:?} is not one this desk issued"));
    let (at, id) = cursor.rsplit_once(".tkt_").ok_or_else(bad)?;
    let at = crate::store::parse_ts(at).map_err(|_| bad())?;
    let id = TicketId::parse(&format!("tkt_{id}")).map_err(|_| bad())?;
    Ok((crate::store::ts(at), id.to_string()))
}

/// The inbox: tickets matching `filter`, most recently updated first.
pub async fn list(
    db: impl SqliteExecutor<'_>,
    filter: &TicketFilter,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<TicketRow>> {
    let limit = clamp_limit(limit);
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(concat!(
        "SELECT ",
        ticket_columns!(),
        ", c.name AS customer_name, \
         (SELECT COUNT(*) FROM drafts d WHERE d.ticket_id = t.id AND +d.status = 'pending_review' AND NOT ",
        crate::workflow::staleness::is_stale_now!(),
        ") AS pending_drafts, \
         (SELECT COUNT(*) FROM drafts d WHERE d.ticket_id = t.id AND (+d.status = 'stale' \
            OR (+d.status = 'pending_review' AND ",
        crate::workflow::staleness::is_stale_now!(),
        "))) AS stale_drafts, \
         (SELECT COUNT(*) FROM escalations e WHERE e.ticket_id = t.id AND e.status = 'pending') AS open_escalations \
         FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE 1 = 1"
    ));
    if let Some(s) = filter.status {
        q.push(" AND t.status = ").push_bind(s.as_str());
    }
    if let Some(c) = &filter.customer_id {
        q.push(" AND t.customer_id = ").push_bind(c.to_string());
    }
    if let Some(a) = &filter.assignee {
        q.push(" AND t.assignee = ").push_bind(a.clone());
    }
    if filter.unassigned {
        q.push(" AND t.assignee IS NULL");
    }
    match filter.snoozed {
        Some(true) => {
            q.push(" AND t.snoozed_until > ")
                .push_bind(crate::store::ts(crate::store::now()));
        }
        Some(false) => {
            q.push(" AND (t.snoozed_until IS NULL OR t.snoozed_until <= ")
                .push_bind(crate::store::ts(crate::store::now()))
                .push(")");
        }
        None => {}
    }
    if filter.needs_review {
        q.push(" AND EXISTS (SELECT 1 FROM drafts d WHERE d.ticket_id = t.id AND d.status IN ('pending_review', 'stale'))");
    }
    if let Some(text) = filter.query.as_deref().filter(|t| !t.trim().is_empty()) {
        if text.len() > fts::MAX_QUERY_LEN {
            return Err(Error::invalid(format!(
                "query is {} bytes; at most {} are accepted",
                text.len(),
                fts::MAX_QUERY_LEN
            )));
        }
        let words = fts::each_word(text);
        if words.is_empty() {
            return Err(Error::invalid("query has no searchable word"));
        }
        // Every word must match somewhere: the subject, a message, the customer's name, e-mail
        // or company, or the start of one of the customer's invoice numbers. Each lookup is
        // bounded, so a common word cannot make the inbox scan the whole desk.
        for (word, expr) in words {
            q.push(" AND (t.rowid IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ")
                .push_bind(expr.clone())
                .push(
                    " LIMIT 5000) OR t.id IN (SELECT ticket_id FROM messages WHERE rowid IN \
                       (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ",
                )
                .push_bind(expr.clone())
                .push(
                    " LIMIT 5000)) OR t.customer_id IN (SELECT id FROM customers WHERE rowid IN \
                       (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ",
                )
                .push_bind(expr)
                .push(" LIMIT 5000))");
            if word.chars().any(|c| c.is_ascii_digit()) {
                // Invoice numbers are upper case (`INV-2026-000123`); a prefix range keeps
                // to the unique index.
                let prefix = word.to_uppercase();
                q.push(
                    " OR t.customer_id IN (SELECT customer_id FROM invoices \
                       WHERE invoice_number >= ",
                )
                .push_bind(prefix.clone())
                .push(" AND invoice_number < ")
                .push_bind(format!("{prefix}\u{10FFFF}"))
                .push(" LIMIT 5000)");
            }
            q.push(")");
        }
    }
    if filter.breaks_next {
        q.push(" AND t.status = 'open' AND t.sla_due_at IS NOT NULL");
    }
    if let Some(cursor) = cursor {
        let (at, id) = decode_cursor(cursor)?;
        q.push(if filter.breaks_next {
            " AND (t.sla_due_at, t.id) > ("
        } else {
            " AND (t.updated_at, t.id) < ("
        })
        .push_bind(at)
        .push(", ")
        .push_bind(id)
        .push(")");
    }
    // The limit is written, not bound (see `clamp_limit`).
    q.push(if filter.breaks_next {
        " ORDER BY t.sla_due_at, t.id LIMIT "
    } else {
        " ORDER BY t.updated_at DESC, t.id DESC LIMIT "
    })
    .push(limit + 1);
    let rows = q.build().fetch_all(db).await?;
    let mut items = rows
        .iter()
        .map(|row| {
            Ok(TicketRow {
                ticket: ticket_from_row(row)?,
                customer_name: text(row, "customer_name")?,
                pending_drafts: int(row, "pending_drafts")?,
                stale_drafts: int(row, "stale_drafts")?,
                open_escalations: int(row, "open_escalations")?,
                present: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items
            .last()
            .map(|r| encode_cursor(&r.ticket, filter.breaks_next))
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

/// One ticket.
pub async fn find(db: impl SqliteExecutor<'_>, id: &TicketId) -> Result<Ticket> {
    let row = sqlx::query(concat!(
        "SELECT ",
        ticket_columns!(),
        " FROM tickets t WHERE t.id = ?"
    ))
    .bind(id.as_str())
    .fetch_optional(db)
    .await?
    .ok_or_else(|| Error::not_found("ticket", id))?;
    ticket_from_row(&row)
}

/// The tickets `id` can be merged into: its customer's others that are neither closed nor
/// merged, the most recently updated first.
pub async fn merge_candidates(db: impl SqliteExecutor<'_>, id: &TicketId) -> Result<Vec<Ticket>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        ticket_columns!(),
        " FROM tickets t JOIN tickets me ON me.id = ? AND t.customer_id = me.customer_id \
          WHERE t.id <> me.id AND t.status <> 'closed' AND t.merged_into IS NULL \
          ORDER BY t.updated_at DESC, t.id LIMIT 50"
    ))
    .bind(id.as_str())
    .fetch_all(db)
    .await?;
    rows.iter().map(ticket_from_row).collect()
}

pub(crate) fn message_from_row(row: &SqliteRow) -> Result<Message> {
    Ok(Message {
        id: parse(MessageId::parse(&text(row, "id")?))?,
        ticket_id: parse(TicketId::parse(&text(row, "ticket_id")?))?,
        author_kind: parse(AuthorKind::parse(&text(row, "author_kind")?))?,
        author_name: text(row, "author_name")?,
        body: text(row, "body")?,
        visibility: parse(Visibility::parse(&text(row, "visibility")?))?,
        created_at: parse_ts(&text(row, "created_at")?)?,
        delivery: opt_text(row, "delivery")?
            .map(|state| -> Result<Delivery> {
                Ok(Delivery {
                    state: parse(DeliveryState::parse(&state))?,
                    detail: opt_text(row, "delivery_detail")?,
                    at: parse_ts_opt(opt_text(row, "delivered_at")?.as_deref())?,
                })
            })
            .transpose()?,
    })
}

/// `SELECT` of the columns [`message_from_row`] reads, `FROM messages`.
macro_rules! message_select {
    () => {
        "SELECT id, ticket_id, author_kind, author_name, body, visibility, created_at, delivery, \
         delivery_detail, delivered_at FROM messages "
    };
}
pub(crate) use message_select;

/// The thread of a ticket, in the order the desk received it.
pub async fn thread(db: impl SqliteExecutor<'_>, id: &TicketId) -> Result<Vec<Message>> {
    sqlx::query(concat!(
        message_select!(),
        "WHERE ticket_id = ? ORDER BY rowid"
    ))
    .bind(id.as_str())
    .fetch_all(db)
    .await?
    .iter()
    .map(message_from_row)
    .collect()
}

/// A ticket with its customer, thread, drafts (staleness checked now) and escalations.
pub async fn detail(pool: &SqlitePool, id: &TicketId) -> Result<TicketDetail> {
    detail_on(&mut *pool.acquire().await?, id).await
}

/// [`detail`] on `conn`.
pub async fn detail_on(conn: &mut SqliteConnection, id: &TicketId) -> Result<TicketDetail> {
    let ticket = find(&mut *conn, id).await?;
    let row = sqlx::query(
        "SELECT id, external_id, name, email, company, status FROM customers WHERE id = ?",
    )
    .bind(ticket.customer_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let customer = summary_from_row(&row)?;
    let thread = thread(&mut *conn, id).await?;
    let attachments = crate::attachments::of_ticket(&mut *conn, id).await?;
    let drafts = workflow::drafts::for_ticket(&mut *conn, id).await?;
    let escalations = workflow::escalations::for_ticket(&mut *conn, id).await?;
    Ok(TicketDetail {
        ticket,
        customer,
        thread,
        attachments,
        drafts,
        escalations,
    })
}
