//! A ticket's drafting context read from the desk in two statements. The first reads the ticket,
//! its customer, the thread, the invoices the thread (or a draft) names plus the customer's
//! recent ones, their payments and the customer's recent payments, and the customer's
//! subscriptions; the second, the knowledge-base articles in the ticket's language that best
//! match its subject (full text). Bounded: at most [`RECENT`] recent invoices and payments,
//! [`THREAD`] messages and [`ARTICLES`] articles, whatever the desk holds.

use crate::records::{JsonRecord, currency, int, json_records, money, opt_text, text};
use crate::store::{parse_date, parse_date_opt, parse_ts, parse_ts_opt};
use crate::{Error, Result};
use countersign_drafting::context::{
    ArticleFacts, Author, CustomerFacts, InvoiceFacts, MessageFacts, PaymentFacts,
    SubscriptionFacts, TicketFacts,
};
use countersign_drafting::{Context, Lang};
use sqlx::SqliteConnection;

/// How many of the customer's most recent invoices, and payments, the context holds besides the
/// ones named.
pub const RECENT: i64 = 24;
/// How many of the thread's newest messages the context holds.
pub const THREAD: i64 = 50;
/// How many knowledge-base articles the context holds, best match first.
pub const ARTICLES: i64 = 3;

/// The context of `ticket`. `also_named` is text whose invoice numbers must be in the context
/// too (a draft being checked); `cited` are record ids a draft cites.
pub async fn load(
    conn: &mut SqliteConnection,
    ticket: &str,
    also_named: &str,
    cited: &[&str],
) -> Result<Context> {
    let cited = serde_json::to_string(cited).map_err(|e| Error::Internal(e.to_string()))?;
    let row = sqlx::query(
        "WITH t AS (SELECT id, subject, language, customer_id FROM tickets WHERE id = ?1), \
         inv AS (SELECT i.* FROM invoices i, t WHERE i.customer_id = t.customer_id AND ( \
             i.id IN (SELECT id FROM invoices WHERE customer_id = t.customer_id \
                      ORDER BY issue_date DESC, id DESC LIMIT ?4) \
             OR instr(t.subject, i.invoice_number) > 0 \
             OR instr(?2, i.invoice_number) > 0 \
             OR i.id IN (SELECT value FROM json_each(?3)) \
             OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id \
                        AND instr(m.body, i.invoice_number) > 0))), \
         pay AS (SELECT p.* FROM payments p WHERE p.invoice_id IN (SELECT id FROM inv) \
             UNION SELECT * FROM (SELECT p.* FROM payments p, t WHERE p.customer_id = t.customer_id \
                                  ORDER BY p.created_at DESC LIMIT ?4)) \
         SELECT t.id, t.subject, t.language, c.id AS customer_id, c.name, c.email, \
           (SELECT json_group_array(json_object('rid', rowid, 'id', id, 'author_kind', author_kind, \
                'visibility', visibility, 'body', body, 'created_at', created_at)) \
              FROM (SELECT rowid, * FROM messages WHERE ticket_id = t.id ORDER BY rowid DESC LIMIT ?5)) \
              AS messages, \
           (SELECT json_group_array(json_object('id', id, 'invoice_number', invoice_number, \
                'invoice_status', invoice_status, 'payment_status', payment_status, 'currency', currency, \
                'total', total, 'total_tax', total_tax, 'amount_due', amount_due, 'amount_paid', amount_paid, \
                'amount_remaining', amount_remaining, 'refunded_amount', refunded_amount, \
                'issue_date', issue_date, 'due_date', due_date, 'paid_at', paid_at, 'voided_at', voided_at, \
                'period_start', period_start, 'period_end', period_end)) FROM inv) AS invoices, \
           (SELECT json_group_array(json_object('id', id, 'invoice_id', invoice_id, 'currency', currency, \
                'amount', amount, 'refunded_amount', refunded_amount, 'payment_status', payment_status, \
                'error_message', error_message, 'created_at', created_at, 'succeeded_at', succeeded_at, \
                'failed_at', failed_at)) FROM pay) AS payments, \
           (SELECT json_group_array(json_object('id', id, 'plan_name', plan_name, 'status', status, \
                'currency', currency, 'price', price, 'billing_period', billing_period, \
                'current_period_start', current_period_start, 'current_period_end', current_period_end, \
                'cancel_at_period_end', cancel_at_period_end, 'started_at', started_at, \
                'cancelled_at', cancelled_at)) FROM subscriptions WHERE customer_id = c.id) AS subscriptions \
         FROM t JOIN customers c ON c.id = t.customer_id",
    )
    .bind(ticket)
    .bind(also_named)
    .bind(cited)
    .bind(RECENT)
    .bind(THREAD)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::not_found("ticket", ticket))?;

    let mut thread: Vec<(i64, MessageFacts)> = json_records(&row, "messages")?
        .iter()
        .map(|m| Ok((int(m, "rid")?, message(m)?)))
        .collect::<Result<_>>()?;
    thread.sort_by_key(|(rid, _)| *rid);
    let mut invoices: Vec<InvoiceFacts> = json_records(&row, "invoices")?
        .iter()
        .map(invoice)
        .collect::<Result<_>>()?;
    invoices.sort_by(|a, b| (b.issue_date, &b.id).cmp(&(a.issue_date, &a.id)));
    let language = text(&row, "language")?;
    let subject = text(&row, "subject")?;
    let articles = match crate::fts::match_any_word(&subject) {
        Some(expr) => articles(conn, &expr, &language).await?,
        None => Vec::new(),
    };
    Ok(Context {
        ticket: TicketFacts {
            id: text(&row, "id")?,
            subject,
            language: Lang::from_tag(&language),
        },
        customer: CustomerFacts {
            id: text(&row, "customer_id")?,
            name: text(&row, "name")?,
            email: text(&row, "email")?,
        },
        messages: thread.into_iter().map(|(_, m)| m).collect(),
        invoices,
        payments: json_records(&row, "payments")?
            .iter()
            .map(payment)
            .collect::<Result<_>>()?,
        subscriptions: json_records(&row, "subscriptions")?
            .iter()
            .map(subscription)
            .collect::<Result<_>>()?,
        articles,
    })
}

/// The knowledge-base articles in the ticket's language that best match `expr`.
async fn articles(
    conn: &mut SqliteConnection,
    expr: &str,
    language: &str,
) -> Result<Vec<ArticleFacts>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT a.id, a.title, a.body FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid \
         WHERE kb_fts MATCH ?1 AND a.language = ?2 ORDER BY rank LIMIT ?3",
    )
    .bind(expr)
    .bind(language)
    .bind(ARTICLES)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, body)| ArticleFacts { id, title, body })
        .collect())
}

fn message(m: &JsonRecord) -> Result<MessageFacts> {
    Ok(MessageFacts {
        id: text(m, "id")?,
        author: match text(m, "author_kind")?.as_str() {
            "customer" => Author::Customer,
            "agent" => Author::Agent,
            _ => Author::Other,
        },
        internal: text(m, "visibility")? == "internal",
        body: text(m, "body")?,
        created_at: parse_ts(&text(m, "created_at")?)?,
    })
}

fn day(m: &JsonRecord, col: &str) -> Result<Option<chrono::NaiveDate>> {
    Ok(parse_ts_opt(opt_text(m, col)?.as_deref())?.map(|t| t.date_naive()))
}

fn invoice(m: &JsonRecord) -> Result<InvoiceFacts> {
    let cur = currency(m, "currency")?;
    Ok(InvoiceFacts {
        id: text(m, "id")?,
        number: text(m, "invoice_number")?,
        status: text(m, "invoice_status")?,
        payment_status: text(m, "payment_status")?,
        total: money(m, "total", cur)?,
        total_tax: money(m, "total_tax", cur)?,
        amount_due: money(m, "amount_due", cur)?,
        amount_paid: money(m, "amount_paid", cur)?,
        amount_remaining: money(m, "amount_remaining", cur)?,
        refunded: money(m, "refunded_amount", cur)?,
        issue_date: parse_date(&text(m, "issue_date")?)?,
        due_date: parse_date(&text(m, "due_date")?)?,
        paid_at: day(m, "paid_at")?,
        voided_at: day(m, "voided_at")?,
        period_start: parse_date_opt(opt_text(m, "period_start")?.as_deref())?,
        period_end: parse_date_opt(opt_text(m, "period_end")?.as_deref())?,
    })
}

fn payment(m: &JsonRecord) -> Result<PaymentFacts> {
    let cur = currency(m, "currency")?;
    Ok(PaymentFacts {
        id: text(m, "id")?,
        invoice_id: opt_text(m, "invoice_id")?,
        amount: money(m, "amount", cur)?,
        refunded: money(m, "refunded_amount", cur)?,
        status: text(m, "payment_status")?,
        error: opt_text(m, "error_message")?,
        created_at: parse_ts(&text(m, "created_at")?)?,
        succeeded_at: parse_ts_opt(opt_text(m, "succeeded_at")?.as_deref())?,
        failed_at: parse_ts_opt(opt_text(m, "failed_at")?.as_deref())?,
    })
}

fn subscription(m: &JsonRecord) -> Result<SubscriptionFacts> {
    let cur = currency(m, "currency")?;
    Ok(SubscriptionFacts {
        id: text(m, "id")?,
        plan_name: text(m, "plan_name")?,
        status: text(m, "status")?,
        price: money(m, "price", cur)?,
        billing_period: text(m, "billing_period")?,
        current_period_start: parse_date(&text(m, "current_period_start")?)?,
        current_period_end: parse_date(&text(m, "current_period_end")?)?,
        cancel_at_period_end: int(m, "cancel_at_period_end")? != 0,
        started_at: parse_ts(&text(m, "started_at")?)?.date_naive(),
        cancelled_at: day(m, "cancelled_at")?,
    })
}
