//! `POST /v1/ingest/email`: a raw RFC 5322 message (`message/rfc822`, as an MTA pipe or an
//! inbound-mail service forwards it), with the tenant's ingest token.
//!
//! - A delivery report (`multipart/report; report-type=delivery-status`, or mail from the
//!   mailer daemon) of one of our replies makes that reply's delivery `failed`, with the
//!   server's diagnostic, and reopens its ticket; it never opens a ticket.
//! - An automatic reply (`Auto-Submitted` other than `no`, `X-Autoreply`, `X-Autorespond`,
//!   `Precedence: auto_reply|bulk|junk`, an "Automatic reply:"/"Out of Office" subject) is
//!   dropped.
//! - Anything else is the customer writing: threaded by `In-Reply-To`/`References` onto the
//!   ticket of a message we know, else by the subject's ticket token (`[tkt_…]`, a ticket of the
//!   same customer), else a new ticket. The body is the text part (or the HTML part as text),
//!   decoded from its charset, without the quoted history mail clients append; attachments
//!   keep their names, types and sizes (a file over the size cap is named in the body instead).
//!   Taken once per Message-ID.

use crate::AppState;
use crate::attachments::{InboundAttachment, MAX_FILE_BYTES, MAX_FILES};
use crate::auth::Integration;
use crate::error::{Error, Result};
use crate::feed::Changed;
use crate::ingest::messages::{InboundCustomer, InboundMessage, check, take};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine;
use countersign_model::records::Channel;
use countersign_model::sync::Entity;
use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders, PartType};
use serde_json::{Value, json};

/// What a message that came in is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A delivery report: the Message-ID of the mail it reports on (when it says), why, and
    /// whether it says the mail failed (`Action: failed` or a 5.x.x status) rather than being
    /// delayed or delivered.
    Bounce {
        original: Option<String>,
        reason: String,
        failed: bool,
    },
    /// An automatic reply; the header that says so.
    AutoReply(String),
    /// A person writing.
    Mail,
}

/// `<id>`: Message-IDs as kept on messages, angle brackets included.
fn bracketed(id: &str) -> String {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    format!("<{id}>")
}

fn header_text<'a>(m: &'a Message<'a>, name: &'a str) -> Option<&'a str> {
    m.header_raw(name).map(str::trim)
}

fn ids(v: &HeaderValue<'_>) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![bracketed(t)],
        HeaderValue::TextList(l) => l.iter().map(|t| bracketed(t)).collect(),
        _ => vec![],
    }
}

/// Bounce, automatic reply or mail.
pub fn kind(m: &Message<'_>) -> Kind {
    let report = m.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"))
    });
    let from = m
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let daemon = from.starts_with("mailer-daemon@");
    if report || daemon {
        return bounce(m);
    }
    if let Some(v) = header_text(m, "Auto-Submitted")
        && !v.eq_ignore_ascii_case("no")
    {
        return Kind::AutoReply(format!("Auto-Submitted: {v}"));
    }
    for h in ["X-Autoreply", "X-Autorespond"] {
        if header_text(m, h).is_some() {
            return Kind::AutoReply(h.to_owned());
        }
    }
    if let Some(p) = header_text(m, "Precedence")
        && ["auto_reply", "bulk", "junk", "list"]
            .iter()
            .any(|x| p.eq_ignore_ascii_case(x))
    {
        return Kind::AutoReply(format!("Precedence: {p}"));
    }
    let subject = m.subject().unwrap_or_default().to_ascii_lowercase();
    for prefix in [
        "automatic reply:",
        "auto:",
        "out of office",
        "abwesenheitsnotiz",
        "réponse automatique",
        "respuesta automática",
    ] {
        if subject.starts_with(prefix) {
            return Kind::AutoReply(format!("subject {prefix:?}"));
        }
    }
    Kind::Mail
}

/// The original Message-ID and the diagnostic a delivery report carries.
fn bounce(m: &Message<'_>) -> Kind {
    let mut original = None;
    let mut reason = None;
    let mut failed = None;
    for part in &m.parts {
        if let PartType::Message(inner) = &part.body {
            original = original.or_else(|| inner.message_id().map(bracketed));
        }
        // The report's fields, and the returned headers, as text whatever the part's type.
        let text = String::from_utf8_lossy(part.contents());
        for line in text.lines() {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let k = k.trim();
            if k.eq_ignore_ascii_case("Message-ID") && original.is_none() {
                original = Some(bracketed(v));
            } else if k.eq_ignore_ascii_case("Diagnostic-Code") {
                // "smtp; 550 5.1.1 User unknown"
                let v = v.trim();
                reason = Some(v.split_once(';').map_or(v, |(_, d)| d).trim().to_owned());
            } else if k.eq_ignore_ascii_case("Status") {
                let status = v.trim();
                failed = Some(failed.unwrap_or(false) || status.starts_with('5'));
                if reason.is_none() {
                    reason = Some(format!("status {status}"));
                }
            } else if k.eq_ignore_ascii_case("Action") {
                let action = v.trim().to_ascii_lowercase();
                failed = Some(failed.unwrap_or(false) || action == "failed");
            }
        }
    }
    Kind::Bounce {
        original,
        reason: reason.unwrap_or_else(|| "the recipient's mail server returned it".into()),
        // A report that says nothing of its action (a plain daemon message) is taken as what
        // such messages are: a return.
        failed: failed.unwrap_or(true),
    }
}

/// Whether `line` opens the history a mail client quotes under a reply.
fn opens_history(line: &str, next: Option<&str>) -> bool {
    let l = line.trim();
    let joined = match next {
        Some(n) => format!("{l} {}", n.trim()),
        None => l.to_owned(),
    };
    let wrote = |s: &str| {
        (s.starts_with("On ") && s.ends_with("wrote:"))
            || (s.starts_with("Le ") && (s.ends_with("a écrit :") || s.ends_with("a écrit:")))
            || (s.starts_with("Am ")
                && (s.ends_with("schrieb:") || (s.contains(" schrieb ") && s.ends_with(':'))))
            || (s.starts_with("El ") && s.ends_with("escribió:"))
    };
    wrote(l)
        || wrote(&joined)
        || (l.starts_with("-----") && l.to_ascii_lowercase().contains("original message"))
        || (l.len() >= 20 && l.chars().all(|c| c == '_'))
        || (l.starts_with("From:")
            && next.is_some_and(|n| {
                let n = n.trim_start();
                n.starts_with("Sent:") || n.starts_with("Date:") || n.starts_with("To:")
            }))
}

/// The text without the quoted history below it (Gmail's "On … wrote:", Outlook's
/// "From:/Sent:" block or its underscore rule, "-----Original Message-----", their French,
/// German and Spanish forms) and without trailing `>` lines.
pub fn strip_quoted(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    for i in 0..lines.len() {
        if opens_history(lines[i], lines.get(i + 1).copied()) {
            end = i;
            break;
        }
    }
    let mut kept = &lines[..end];
    while let Some(last) = kept.last() {
        let t = last.trim();
        if t.is_empty() || t.starts_with('>') {
            kept = &kept[..kept.len() - 1];
        } else {
            break;
        }
    }
    kept.join("\n").trim().to_owned()
}

/// `POST /v1/ingest/email`.
pub async fn post_email(
    caller: Integration,
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>> {
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !ct.trim().to_ascii_lowercase().starts_with("message/rfc822") {
        return Err(Error::invalid(format!(
            "the body must be a raw message with content-type message/rfc822, got {ct:?}"
        )));
    }
    let m = MessageParser::default()
        .parse(&body[..])
        .filter(|m| m.from().is_some() || !m.parts.is_empty())
        .ok_or_else(|| Error::invalid("the body is not an RFC 5322 message"))?;
    let t = caller.tenant_id.as_str();
    match kind(&m) {
        Kind::AutoReply(why) => {
            tracing::info!(tenant = t, why, "an automatic reply was dropped");
            Ok(Json(
                json!({"status": "dropped", "why": format!("an automatic reply ({why})")}),
            ))
        }
        Kind::Bounce {
            failed: false,
            reason,
            ..
        } => Ok(Json(json!({"status": "dropped",
            "why": format!("a delivery report that is no failure ({reason})")}))),
        Kind::Bounce {
            original, reason, ..
        } => Ok(Json(
            bounced(&state, t, original.as_deref(), &reason).await?,
        )),
        Kind::Mail => Ok(Json(mail(&state, t, &m).await?)),
    }
}

/// A report that reply `original` did not reach the customer.
async fn bounced(state: &AppState, t: &str, original: Option<&str>, reason: &str) -> Result<Value> {
    let Some(original) = original else {
        return Ok(json!({"status": "dropped", "why": "a delivery report that names no message"}));
    };
    let mut tx = state.pool.begin().await?;
    let hit: Option<(String, String)> = sqlx::query_as(
        "UPDATE messages SET delivery = 'failed', delivery_detail = $3, delivered_at = now(),
                version = version + 1
         WHERE tenant_id = $1 AND rfc_message_id = $2 AND author_kind IN ('agent', 'ai')
           AND delivery IS DISTINCT FROM 'failed'
         RETURNING id, ticket_id",
    )
    .bind(t)
    .bind(original)
    .bind(format!("bounced: {reason}"))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((message_id, ticket_id)) = hit else {
        return Ok(json!({"status": "dropped",
                         "why": format!("a delivery report of {original}, which is no reply of this tenant's (or was reported before)")}));
    };
    let mut changed = Changed::default();
    changed.push(Entity::Message, &message_id);
    crate::hooks::emit(
        &mut tx,
        t,
        "reply.failed",
        json!({"ticket_id": ticket_id, "message_id": message_id, "detail": format!("bounced: {reason}")}),
    )
    .await?;
    let reopened = sqlx::query(
        "UPDATE tickets SET status = 'open', version = version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 AND status <> 'open'",
    )
    .bind(t)
    .bind(&ticket_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if reopened == 1 {
        changed.push(Entity::Ticket, &ticket_id);
    }
    changed.record(&mut tx, t).await?;
    tx.commit().await?;
    tracing::info!(tenant = t, message = message_id, reason, "a reply bounced");
    Ok(
        json!({"status": "bounce", "message_id": message_id, "ticket_id": ticket_id, "reason": reason}),
    )
}

/// The customer writing.
async fn mail(state: &AppState, t: &str, m: &Message<'_>) -> Result<Value> {
    let from = m
        .from()
        .and_then(|a| a.first())
        .ok_or_else(|| Error::invalid("the message has no From address"))?;
    let email = from
        .address()
        .ok_or_else(|| Error::invalid("the message's From has no address"))?
        .trim()
        .to_owned();
    let rfc_id = m.message_id().map(bracketed).filter(|id| id.len() <= 250);
    if let Some(id) = &rfc_id
        && let Some(answer) = taken_before(&state.pool, t, id).await?
    {
        return Ok(answer);
    }
    let subject = m
        .subject()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("(no subject)")
        .chars()
        .take(500)
        .collect::<String>();
    let ticket_id = thread(state, t, m, &subject, &email).await?;
    let mut attachments = vec![];
    let mut left_out = vec![];
    for part in m.attachments() {
        let name = part.attachment_name().unwrap_or("attachment").to_owned();
        let bytes = part.contents();
        if bytes.len() > MAX_FILE_BYTES || attachments.len() >= MAX_FILES {
            left_out.push(format!("{name} ({} bytes)", bytes.len()));
            continue;
        }
        let content_type = part.content_type().map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{sub}", ct.ctype()),
            None => ct.ctype().to_owned(),
        });
        attachments.push(InboundAttachment {
            name,
            content_type,
            content: base64::engine::general_purpose::STANDARD.encode(bytes),
        });
    }
    let mut body = m.body_text(0).map(|b| strip_quoted(&b)).unwrap_or_default();
    if !left_out.is_empty() {
        body.push_str(&format!(
            "\n\n[Not kept, over {} files or {} MiB each: {}]",
            MAX_FILES,
            MAX_FILE_BYTES / 1024 / 1024,
            left_out.join(", ")
        ));
    }
    if body.trim().is_empty() {
        body = "(no text)".into();
    }
    let body: String = body.chars().take(100_000).collect();
    let inbound = InboundMessage {
        customer: InboundCustomer {
            email,
            external_id: None,
            name: from.name().map(str::to_owned),
        },
        subject,
        body,
        ticket_id,
        thread_key: None,
        message_id: None,
        channel: Channel::Email,
        language: None,
        attachments,
    };
    // A concurrent request with the same mail (an MTA retrying while the first is still
    // being taken) clashes on the unique index of a customer's Message-ID, or on the customer
    // both would create: once the other has committed, it is a duplicate, or taken again.
    let mut tries = 0;
    let taken = loop {
        let files = check(&inbound)?;
        match take(&state.pool, t, &inbound, files, rfc_id.as_deref()).await {
            Ok(taken) => break taken,
            Err(Error::Refused {
                code: countersign_model::ErrorCode::Conflict,
                ..
            }) if tries == 0 => {
                tries += 1;
                if let Some(id) = &rfc_id
                    && let Some(answer) = taken_before(&state.pool, t, id).await?
                {
                    return Ok(answer);
                }
            }
            Err(e) => return Err(e),
        }
    };
    Ok(
        json!({"status": "taken", "ticket_id": taken.ticket_id, "message_id": taken.message_id,
              "created_ticket": taken.created_ticket}),
    )
}

/// The `duplicate` answer when the customer's mail `rfc_id` was taken before.
async fn taken_before(pool: &sqlx::PgPool, t: &str, rfc_id: &str) -> Result<Option<Value>> {
    let seen: Option<(String, String)> = sqlx::query_as(
        "SELECT id, ticket_id FROM messages
         WHERE tenant_id = $1 AND rfc_message_id = $2 AND author_kind = 'customer'",
    )
    .bind(t)
    .bind(rfc_id)
    .fetch_optional(pool)
    .await?;
    Ok(seen.map(|(message_id, ticket_id)| {
        json!({"status": "duplicate", "message_id": message_id, "ticket_id": ticket_id})
    }))
}

/// The ticket a mail continues: the one holding a message it answers, else the one its
/// subject's token names when it is the same customer's; `None`: a new ticket.
async fn thread(
    state: &AppState,
    t: &str,
    m: &Message<'_>,
    subject: &str,
    email: &str,
) -> Result<Option<String>> {
    // What it answers, then the thread's last references (at most 50 looked up, each of a
    // sane length).
    let mut refs = ids(m.in_reply_to());
    let mut references = ids(m.references());
    references.reverse();
    refs.extend(references);
    refs.retain(|r| r.len() <= 250);
    refs.dedup();
    refs.truncate(50);
    if !refs.is_empty() {
        // Only onto a ticket of the same customer: a known Message-ID in a mail from someone
        // else (copied, forwarded, or forged) opens their own ticket.
        let hit: Option<String> = sqlx::query_scalar(
            "SELECT m.ticket_id FROM messages m
             JOIN tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id
             JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
             WHERE m.tenant_id = $1 AND m.rfc_message_id = ANY($2) AND lower(c.email) = lower($3)
             ORDER BY m.created_at DESC LIMIT 1",
        )
        .bind(t)
        .bind(&refs)
        .bind(email)
        .fetch_optional(&state.pool)
        .await?;
        if hit.is_some() {
            return Ok(hit);
        }
    }
    let token = subject
        .split('[')
        .skip(1)
        .filter_map(|s| s.split_once(']').map(|(id, _)| id))
        .find(|id| countersign_model::TicketId::parse(id).is_ok());
    if let Some(id) = token {
        let same_customer: Option<String> = sqlx::query_scalar(
            "SELECT t.id FROM tickets t JOIN customers c
               ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
             WHERE t.tenant_id = $1 AND t.id = $2 AND lower(c.email) = lower($3)",
        )
        .bind(t)
        .bind(id)
        .bind(email)
        .fetch_optional(&state.pool)
        .await?;
        return Ok(same_customer);
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_history_is_cut_in_every_client_s_form() {
        let gmail = "Thanks, that worked!\n\nOn Mon, Dec 7, 2026 at 10:00 AM Acme Support <\nsupport@acme.test> wrote:\n> Hello Anna,\n> we refunded it.";
        assert_eq!(strip_quoted(gmail), "Thanks, that worked!");
        let outlook = "Merci !\r\n\r\n________________________________\r\nFrom: Acme Support <support@acme.test>\r\nSent: Monday\r\nHello";
        assert_eq!(strip_quoted(outlook), "Merci !");
        let block = "Danke.\n\nFrom: Acme Support\nSent: Montag\nSubject: x";
        assert_eq!(strip_quoted(block), "Danke.");
        let original = "Ok.\n-----Original Message-----\nFrom: x";
        assert_eq!(strip_quoted(original), "Ok.");
        for line in [
            "Le lun. 7 déc. 2026 à 10:00, Acme <support@acme.test> a écrit :",
            "Am Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Acme <support@acme.test>:",
            "El lun, 7 dic 2026 a las 10:00, Acme (<support@acme.test>) escribió:",
        ] {
            assert_eq!(
                strip_quoted(&format!("Gracias\n\n{line}\n> hola")),
                "Gracias",
                "{line}"
            );
        }
        assert_eq!(strip_quoted("Just text\n> trailing quote"), "Just text");
        assert_eq!(
            strip_quoted("I said:\n> quoted inline\nand more"),
            "I said:\n> quoted inline\nand more",
            "a quote inside the text stays"
        );
    }
}
