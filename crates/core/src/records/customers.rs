//! Customers: lookup by id, external id or e-mail; full-text search; the billing summary.

use super::{
    Cols, clamp_limit, currency, int, json_record, json_records, money, opt_text, parse, text,
};
use crate::store::{date, now, parse_date, parse_ts, parse_ts_opt};
use crate::{Error, Result, fts};
use countersign_model::records::{
    Address, BillingPeriod, Customer, CustomerDetail, CustomerHits, CustomerStatus,
    CustomerSummary, Outstanding, Subscription, SubscriptionStatus, Wallet,
};
use countersign_model::{CustomerId, SubscriptionId, WalletId};
use sqlx::sqlite::SqliteRow;
use sqlx::{SqliteExecutor, SqlitePool};

/// How a caller names a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerRef {
    Id(CustomerId),
    ExternalId(String),
    Email(String),
}

impl std::fmt::Display for CustomerRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::ExternalId(x) => write!(f, "external id {x:?}"),
            Self::Email(e) => write!(f, "e-mail {e:?}"),
        }
    }
}

/// The columns [`customer_from_row`] reads, as a literal for `concat!`.
macro_rules! customer_columns {
    () => {
        "SELECT id, external_id, name, email, phone, company, address_line1, address_line2, \
         address_city, address_state, address_postal_code, address_country, timezone, status, \
         metadata, created_at, updated_at, version, synced_at FROM customers "
    };
}

fn customer_from_row(row: &SqliteRow) -> Result<Customer> {
    Ok(Customer {
        id: parse(CustomerId::parse(&text(row, "id")?))?,
        external_id: text(row, "external_id")?,
        name: text(row, "name")?,
        email: text(row, "email")?,
        phone: opt_text(row, "phone")?,
        company: opt_text(row, "company")?,
        address: Address {
            line1: opt_text(row, "address_line1")?,
            line2: opt_text(row, "address_line2")?,
            city: opt_text(row, "address_city")?,
            state: opt_text(row, "address_state")?,
            postal_code: opt_text(row, "address_postal_code")?,
            country: opt_text(row, "address_country")?,
        },
        timezone: opt_text(row, "timezone")?,
        status: parse(CustomerStatus::parse(&text(row, "status")?))?,
        metadata: parse(serde_json::from_str(&text(row, "metadata")?))?,
        created_at: parse_ts(&text(row, "created_at")?)?,
        updated_at: parse_ts(&text(row, "updated_at")?)?,
        version: int(row, "version")?,
        synced_at: parse_ts_opt(opt_text(row, "synced_at")?.as_deref())?,
    })
}

pub(crate) fn summary_from_row(row: &impl Cols) -> Result<CustomerSummary> {
    Ok(CustomerSummary {
        id: parse(CustomerId::parse(&text(row, "id")?))?,
        external_id: text(row, "external_id")?,
        name: text(row, "name")?,
        email: text(row, "email")?,
        company: opt_text(row, "company")?,
        status: parse(CustomerStatus::parse(&text(row, "status")?))?,
    })
}

/// Finds one customer by id, external id or e-mail (case-insensitive).
pub async fn find(pool: &SqlitePool, by: &CustomerRef) -> Result<Customer> {
    let row =
        match by {
            CustomerRef::Id(id) => {
                sqlx::query(concat!(customer_columns!(), "WHERE id = ?"))
                    .bind(id.as_str())
                    .fetch_optional(pool)
                    .await?
            }
            CustomerRef::ExternalId(x) => {
                sqlx::query(concat!(customer_columns!(), "WHERE external_id = ?"))
                    .bind(x)
                    .fetch_optional(pool)
                    .await?
            }
            CustomerRef::Email(e) => sqlx::query(concat!(
                customer_columns!(),
                "WHERE email = ? COLLATE NOCASE ORDER BY status = 'archived', created_at LIMIT 1"
            ))
            .bind(e.trim())
            .fetch_optional(pool)
            .await?,
        };
    let row = row.ok_or_else(|| Error::not_found("customer", by))?;
    customer_from_row(&row)
}

/// The customer with its billing summary, current subscription, wallets and open tickets, in
/// one statement: the related rows come back as JSON (see `Cols`). `?1` is today's date.
macro_rules! customer_detail {
    ($where:literal) => {
        concat!(
            "SELECT id, external_id, name, email, phone, company, address_line1, address_line2, \
             address_city, address_state, address_postal_code, address_country, timezone, status, \
             metadata, created_at, updated_at, version, synced_at, \
             (SELECT json_group_array(json_object('currency', currency, \
                     'unpaid_count', unpaid_count, 'unpaid_total', unpaid_total, \
                     'overdue_count', overdue_count, 'overdue_total', overdue_total) ORDER BY currency) \
                FROM (SELECT currency, COUNT(*) AS unpaid_count, SUM(amount_remaining) AS unpaid_total, \
                             SUM(due_date < ?1) AS overdue_count, \
                             SUM(CASE WHEN due_date < ?1 THEN amount_remaining ELSE 0 END) AS overdue_total \
                      FROM invoices WHERE customer_id = customers.id \
                        AND invoice_status = 'FINALIZED' AND amount_remaining > 0 \
                      GROUP BY currency)) AS outstanding_json, \
             (SELECT json_object('id', id, 'customer_id', customer_id, 'plan_name', plan_name, \
                     'status', status, 'currency', currency, 'price', price, \
                     'billing_period', billing_period, 'current_period_start', current_period_start, \
                     'current_period_end', current_period_end, \
                     'cancel_at_period_end', cancel_at_period_end, 'started_at', started_at, \
                     'cancelled_at', cancelled_at, 'version', version) \
                FROM subscriptions WHERE customer_id = customers.id AND status != 'cancelled' \
                ORDER BY started_at DESC LIMIT 1) AS subscription_json, \
             (SELECT json_group_array(json_object('id', id, 'customer_id', customer_id, \
                     'currency', currency, 'balance', balance, 'status', status, 'version', version) \
                     ORDER BY currency) \
                FROM wallets WHERE customer_id = customers.id) AS wallets_json, \
             (SELECT COUNT(*) FROM tickets WHERE customer_id = customers.id \
                AND status IN ('open', 'pending')) AS open_tickets \
             FROM customers ",
            $where
        )
    };
}

/// A customer with the billing summary, current subscription, wallets and open ticket count.
pub async fn detail(db: impl SqliteExecutor<'_>, by: &CustomerRef) -> Result<CustomerDetail> {
    let today = date(now().date_naive());
    let query = match by {
        CustomerRef::Id(id) => sqlx::query(customer_detail!("WHERE id = ?2"))
            .bind(today)
            .bind(id.as_str()),
        CustomerRef::ExternalId(x) => sqlx::query(customer_detail!("WHERE external_id = ?2"))
            .bind(today)
            .bind(x.as_str()),
        CustomerRef::Email(e) => sqlx::query(customer_detail!(
            "WHERE email = ?2 COLLATE NOCASE ORDER BY status = 'archived', created_at LIMIT 1"
        ))
        .bind(today)
        .bind(e.trim()),
    };
    let row = query
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::not_found("customer", by))?;
    let outstanding = json_records(&row, "outstanding_json")?
        .iter()
        .map(|o| {
            let cur = currency(o, "currency")?;
            Ok(Outstanding {
                currency: cur,
                unpaid_count: int(o, "unpaid_count")?,
                unpaid_total: money(o, "unpaid_total", cur)?,
                overdue_count: int(o, "overdue_count")?,
                overdue_total: money(o, "overdue_total", cur)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let wallets = json_records(&row, "wallets_json")?
        .iter()
        .map(|w| {
            let cur = currency(w, "currency")?;
            Ok(Wallet {
                id: parse(WalletId::parse(&text(w, "id")?))?,
                customer_id: parse(CustomerId::parse(&text(w, "customer_id")?))?,
                balance: money(w, "balance", cur)?,
                status: text(w, "status")?,
                version: int(w, "version")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CustomerDetail {
        customer: customer_from_row(&row)?,
        outstanding,
        subscription: json_record(&row, "subscription_json")?
            .as_ref()
            .map(subscription_from_row)
            .transpose()?,
        wallets,
        open_tickets: int(&row, "open_tickets")?,
    })
}

fn subscription_from_row(row: &impl Cols) -> Result<Subscription> {
    let cur = currency(row, "currency")?;
    Ok(Subscription {
        id: parse(SubscriptionId::parse(&text(row, "id")?))?,
        customer_id: parse(CustomerId::parse(&text(row, "customer_id")?))?,
        plan_name: text(row, "plan_name")?,
        status: parse(SubscriptionStatus::parse(&text(row, "status")?))?,
        price: money(row, "price", cur)?,
        billing_period: parse(BillingPeriod::parse(&text(row, "billing_period")?))?,
        current_period_start: parse_date(&text(row, "current_period_start")?)?,
        current_period_end: parse_date(&text(row, "current_period_end")?)?,
        cancel_at_period_end: int(row, "cancel_at_period_end")? != 0,
        started_at: parse_ts(&text(row, "started_at")?)?,
        cancelled_at: parse_ts_opt(opt_text(row, "cancelled_at")?.as_deref())?,
        version: int(row, "version")?,
    })
}

/// How many matches a customer search ranks. A word shared by thousands of customers (a common
/// surname) would otherwise make every search rank them all; past this many the caller is told to
/// narrow the query instead.
pub const SEARCH_RANKED: i64 = 256;

/// Full-text search over name, e-mail and company, best matches first. Ranks (bm25) at most
/// [`SEARCH_RANKED`] matches, the first ones in the index, and says whether there were more.
pub async fn search(db: impl SqliteExecutor<'_>, query: &str, limit: i64) -> Result<CustomerHits> {
    if query.len() > fts::MAX_QUERY_LEN {
        return Err(Error::invalid(format!(
            "query is {} bytes; at most {} are accepted",
            query.len(),
            fts::MAX_QUERY_LEN
        )));
    }
    let Some(expr) = fts::match_all_words(query) else {
        return Err(Error::invalid(
            "query has no searchable word; give a name, e-mail or company",
        ));
    };
    // `candidates` are the first SEARCH_RANKED + 1 matches in rowid order (cheap: no ranking);
    // the ranked query is bounded to the rowids of the first SEARCH_RANKED of them. It calls
    // `bm25()` once per row and lets SQLite sort: `ORDER BY rank` (the same bm25 order) has
    // FTS5 prepare a statement of its own for every search, which cost more than the ranking.
    // The hits come back as one row, a JSON array in rank order (see `Cols`).
    // The limits are written, not bound (see `clamp_limit`).
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH candidates AS MATERIALIZED ( \
             SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?1 LIMIT {candidates}), \
         ranked AS MATERIALIZED ( \
             SELECT customers_fts.rowid AS r, bm25(customers_fts) AS score FROM customers_fts \
             WHERE customers_fts MATCH ?1 \
               AND customers_fts.rowid <= (SELECT max(rowid) FROM (SELECT rowid FROM candidates LIMIT {SEARCH_RANKED})) \
             ORDER BY score, r LIMIT {limit}) \
         SELECT (SELECT count(*) FROM candidates) AS candidates, \
                (SELECT json_group_array(json_object('id', c.id, 'external_id', c.external_id, \
                        'name', c.name, 'email', c.email, 'company', c.company, 'status', c.status) \
                        ORDER BY ranked.score, ranked.r) \
                 FROM ranked JOIN customers c ON c.rowid = ranked.r) AS hits",
        candidates = SEARCH_RANKED + 1,
        limit = clamp_limit(limit),
    )))
    .bind(expr)
    .fetch_one(db)
    .await?;
    let more_matches = int(&row, "candidates")? > SEARCH_RANKED;
    Ok(CustomerHits {
        customers: json_records(&row, "hits")?
            .iter()
            .map(summary_from_row)
            .collect::<Result<_>>()?,
        more_matches,
    })
}
