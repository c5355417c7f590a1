//! FlexPrice's objects, as its webhooks and list endpoints send them, in the shape the billing
//! ingest takes ([`crate::ingest::billing::BillingBatch`]): every field read as optional, then
//! checked by the ingest like any other batch.
//!
//! Where FlexPrice and the desk's records differ:
//! - dates the desk keeps as dates (issue, due, periods) come as date-times: their UTC date;
//! - currencies come in lower case (`usd`): upper-cased;
//! - an invoice without a number is shown by its id; a payment status `INITIATED` is `PENDING`;
//! - a payment names its invoice as `destination_type: INVOICE` + `destination_id`, and its
//!   customer only through that invoice (the caller looks it up);
//! - payment methods: `CARD` and `PAYMENT_LINK` (a hosted card checkout) are `card`; `ACH`,
//!   `UPI` (account-to-account) and `OFFLINE` (recorded by hand, wire or cheque) are
//!   `bank_transfer`; `CREDITS` is `wallet`;
//! - a line item's `display_name` is its description and its unit amount is amount ÷ quantity;
//! - a subscription (as `GET /subscriptions/{id}` answers: its webhooks carry neither plan nor
//!   prices) is priced as the sum of its current fixed flat-fee lines, amount × quantity, and
//!   named by its plan; `incomplete` (its first payment not made) is `past_due`. One the desk
//!   cannot show as it is — a draft, a period other than a month or a year, a fixed price that
//!   is tiered or by package — is not kept ([`Unkept`]).

use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::str::FromStr;

/// Which of the desk's records an event's object becomes, by the event type's first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Invoice,
    Payment,
    Customer,
    Wallet,
    Subscription,
    CreditNote,
}

impl Family {
    /// `invoice.update.finalized` → Invoice; `None` for an event type of no family we take.
    pub fn of(event_type: &str) -> Option<Self> {
        Some(match event_type.split('.').next()? {
            "invoice" => Self::Invoice,
            "payment" => Self::Payment,
            "customer" => Self::Customer,
            "wallet" => Self::Wallet,
            "subscription" => Self::Subscription,
            "credit_note" => Self::CreditNote,
            _ => return None,
        })
    }

    /// The envelope's key holding the object.
    pub fn key(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::Payment => "payment",
            Self::Customer => "customer",
            Self::Wallet => "wallet",
            Self::Subscription => "subscription",
            Self::CreditNote => "credit_note",
        }
    }
}

fn s(v: &Value) -> Option<&str> {
    v.as_str().filter(|s| !s.is_empty())
}

/// A date-time or a date, as a date (UTC).
fn date(v: &Value) -> Option<String> {
    let text = s(v)?;
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc).date_naive().to_string());
    }
    NaiveDate::from_str(text).ok().map(|d| d.to_string())
}

fn upper(v: &Value) -> Value {
    s(v).map_or(Value::Null, |c| json!(c.to_ascii_uppercase()))
}

fn first_present<'a>(o: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .map(|k| &o[*k])
        .find(|v| !v.is_null() && s(v) != Some(""))
}

fn or_now(o: &Value, keys: &[&str], now: &str) -> Value {
    first_present(o, keys)
        .cloned()
        .unwrap_or_else(|| json!(now))
}

fn payment_status(v: &Value) -> Value {
    match s(v) {
        Some("INITIATED") => json!("PENDING"),
        _ => v.clone(),
    }
}

pub fn customer(o: &Value, now: &str) -> Value {
    let mut c = Map::new();
    for k in [
        "id",
        "name",
        "email",
        "address_line1",
        "address_line2",
        "address_city",
        "address_state",
        "address_postal_code",
        "address_country",
        "phone",
        "company",
        "timezone",
    ] {
        if let Some(v) = first_present(o, &[k]) {
            c.insert(k.into(), v.clone());
        }
    }
    c.insert(
        "external_id".into(),
        first_present(o, &["external_id", "id"])
            .cloned()
            .unwrap_or(Value::Null),
    );
    if o["metadata"].is_object() {
        c.insert("metadata".into(), o["metadata"].clone());
    }
    if let Some(status) = s(&o["status"]).filter(|st| *st == "archived") {
        c.insert("status".into(), json!(status));
    }
    c.insert("created_at".into(), or_now(o, &["created_at"], now));
    c.insert(
        "updated_at".into(),
        or_now(o, &["updated_at", "created_at"], now),
    );
    Value::Object(c)
}

pub fn invoice(o: &Value, now: &str) -> Result<Value> {
    let issue = date(&o["issue_date"]).or_else(|| date(&o["created_at"]));
    let lines = o["line_items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(line_item)
        .collect::<Result<Vec<_>>>()?;
    Ok(json!({
        "id": o["id"],
        "invoice_number": first_present(o, &["invoice_number", "id"]),
        "customer_id": o["customer_id"],
        "subscription_id": o["subscription_id"],
        "invoice_status": o["invoice_status"],
        "payment_status": payment_status(&o["payment_status"]),
        "invoice_type": o["invoice_type"],
        "billing_reason": first_present(o, &["billing_reason"]).cloned().unwrap_or(json!("MANUAL")),
        "currency": upper(&o["currency"]),
        "amount_due": o["amount_due"],
        "amount_paid": o["amount_paid"],
        "amount_remaining": o["amount_remaining"],
        "refunded_amount": o["refunded_amount"],
        "subtotal": first_present(o, &["subtotal", "total"]),
        "total_tax": first_present(o, &["total_tax", "tax"]).cloned().unwrap_or(json!("0")),
        "total": o["total"],
        "issue_date": issue,
        "due_date": date(&o["due_date"]).or(issue.clone()),
        "paid_at": o["paid_at"],
        "voided_at": o["voided_at"],
        "period_start": date(&o["period_start"]),
        "period_end": date(&o["period_end"]),
        "line_items": lines,
        "updated_at": or_now(o, &["updated_at", "created_at"], now),
    }))
}

fn line_item(l: &Value) -> Result<Value> {
    let amount = s(&l["amount"]).unwrap_or("0");
    let quantity = s(&l["quantity"]).unwrap_or("1");
    let unit = match (Decimal::from_str(amount), Decimal::from_str(quantity)) {
        (Ok(a), Ok(q)) if !q.is_zero() => (a / q).round_dp(6).normalize().to_string(),
        (Ok(_), Ok(_)) => amount.to_owned(),
        _ => {
            return Err(Error::invalid(format!(
                "line item {} has amount {amount:?} and quantity {quantity:?}; both must be decimals",
                l["id"]
            )));
        }
    };
    Ok(json!({
        "id": l["id"],
        "description": first_present(l, &["display_name", "plan_display_name", "price_id"]).cloned().unwrap_or(json!("")),
        "quantity": quantity,
        "unit_amount": unit,
        "amount": amount,
        "period_start": date(&l["period_start"]),
        "period_end": date(&l["period_end"]),
    }))
}

/// The customer of the invoice payment `o` is for, as the platform holds it (FlexPrice names a
/// payment's customer only through its invoice); `None` when it names no invoice or an unknown
/// one.
pub async fn invoice_customer(
    tx: &mut sqlx::PgConnection,
    tenant_id: &str,
    o: &Value,
) -> Result<Option<String>> {
    let (Some("INVOICE"), Some(invoice)) = (s(&o["destination_type"]), s(&o["destination_id"]))
    else {
        return Ok(None);
    };
    Ok(
        sqlx::query_scalar("SELECT customer_id FROM invoices WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(invoice)
            .fetch_optional(&mut *tx)
            .await?,
    )
}

/// `invoice_customer`: the customer of the payment's invoice, when it names one.
pub fn payment(o: &Value, invoice_customer: Option<&str>, now: &str) -> Result<Value> {
    let (invoice_id, customer_id) = match s(&o["destination_type"]) {
        Some("INVOICE") => (o["destination_id"].clone(), json!(invoice_customer)),
        Some("CUSTOMER") => (Value::Null, o["destination_id"].clone()),
        // The older shape, or a batch's.
        _ => (o["invoice_id"].clone(), o["customer_id"].clone()),
    };
    if customer_id.is_null() {
        return Err(Error::invalid(format!(
            "payment {} names invoice {invoice_id} that the platform does not hold; send the invoice first",
            o["id"]
        )));
    }
    let method = match s(&o["payment_method_type"]).or(s(&o["method"])) {
        Some("CARD" | "PAYMENT_LINK" | "card") => "card",
        Some("ACH" | "UPI" | "OFFLINE" | "bank_transfer") => "bank_transfer",
        Some("CREDITS" | "wallet") => "wallet",
        Some("sepa_debit") => "sepa_debit",
        other => {
            return Err(Error::invalid(format!(
                "payment {} has payment_method_type {other:?}; known: CARD, ACH, OFFLINE, CREDITS, PAYMENT_LINK, UPI",
                o["id"]
            )));
        }
    };
    Ok(json!({
        "id": o["id"],
        "customer_id": customer_id,
        "invoice_id": invoice_id,
        "currency": upper(&o["currency"]),
        "amount": o["amount"],
        "method": method,
        "payment_status": payment_status(&o["payment_status"]),
        "error_message": o["error_message"],
        "refunded_amount": o["refunded_amount"],
        "created_at": or_now(o, &["created_at", "succeeded_at", "failed_at"], now),
        "succeeded_at": o["succeeded_at"],
        "failed_at": o["failed_at"],
        "updated_at": or_now(o, &["updated_at", "refunded_at", "succeeded_at", "failed_at", "created_at"], now),
    }))
}

/// Why a FlexPrice object is not kept as a desk's record (it is acknowledged, and said).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unkept(pub String);

/// A subscription as `GET /subscriptions/{id}` answers it (with its plan and its line items'
/// prices), as the ingest takes it.
pub fn subscription(o: &Value, now: &str) -> std::result::Result<Value, Unkept> {
    let id = s(&o["id"]).unwrap_or("?");
    let unkept = |why: String| Unkept(format!("subscription {id}: {why}"));
    let status = match s(&o["subscription_status"]).unwrap_or("") {
        st @ ("active" | "trialing" | "paused" | "cancelled") => st,
        "incomplete" => "past_due",
        other => return Err(unkept(format!("status {other:?} is not kept on desks"))),
    };
    let period = match (
        s(&o["billing_period"]).unwrap_or(""),
        o["billing_period_count"].as_i64().unwrap_or(1),
    ) {
        ("MONTHLY", 1) => "monthly",
        ("ANNUAL", 1) | ("MONTHLY", 12) => "annual",
        (p, n) => {
            return Err(unkept(format!(
                "a billing period of {n} × {p} is not kept on desks"
            )));
        }
    };
    // A line whose end date has come no longer bills.
    let today = date(&json!(now));
    let ended =
        |l: &Value| matches!((date(&l["end_date"]), &today), (Some(end), Some(t)) if end <= *t);
    let mut price = Decimal::ZERO;
    for line in o["line_items"].as_array().into_iter().flatten() {
        if s(&line["price_type"]) != Some("FIXED")
            || s(&line["billing_period"]) == Some("ONETIME")
            || ended(line)
        {
            continue;
        }
        let p = &line["price"];
        if s(&p["billing_model"]).is_some_and(|m| m != "FLAT_FEE") {
            return Err(unkept(format!(
                "line {} is priced {}, which the desk does not show as one figure",
                line["id"], p["billing_model"]
            )));
        }
        let amount = s(&p["amount"]).and_then(|a| Decimal::from_str(a).ok());
        let quantity = s(&line["quantity"]).map_or(Ok(Decimal::ONE), Decimal::from_str);
        match (amount, quantity) {
            (Some(a), Ok(q)) => price += a * q,
            _ => {
                return Err(unkept(format!(
                    "line {} has no decimal price and quantity",
                    line["id"]
                )));
            }
        }
    }
    let plan = o["plan"]["name"]
        .as_str()
        .filter(|n| !n.is_empty())
        .or_else(|| {
            o["line_items"]
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|l| s(&l["plan_display_name"]))
        })
        .or(s(&o["plan_id"]))
        .unwrap_or("");
    Ok(json!({
        "id": o["id"],
        "customer_id": o["customer_id"],
        "plan_name": plan,
        "subscription_status": status,
        "currency": upper(&o["currency"]),
        "price": price.normalize().to_string(),
        "billing_period": period,
        "current_period_start": date(&o["current_period_start"]),
        "current_period_end": date(&o["current_period_end"]),
        "cancel_at_period_end": o["cancel_at_period_end"].as_bool().unwrap_or(false),
        "start_date": first_present(o, &["start_date", "created_at"]),
        "cancelled_at": o["cancelled_at"],
        "updated_at": or_now(o, &["updated_at", "created_at"], now),
    }))
}

pub fn wallet(o: &Value, now: &str) -> Value {
    json!({
        "id": o["id"],
        "customer_id": o["customer_id"],
        "currency": upper(&o["currency"]),
        "balance": o["balance"],
        "wallet_status": o["wallet_status"],
        "updated_at": or_now(o, &["updated_at", "created_at"], now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fake_flexprice::subscription_of;

    #[test]
    fn an_invoice_as_flexprice_sends_it_reads_as_the_ingest_takes_it() {
        let o = json!({"id": "inv_1", "invoice_number": null, "customer_id": "cus_1",
            "invoice_status": "FINALIZED", "payment_status": "INITIATED", "invoice_type": "ONE_OFF",
            "currency": "usd", "amount_due": "30", "amount_paid": "0", "amount_remaining": "30",
            "refunded_amount": "0", "subtotal": "30", "total": "30",
            "issue_date": "2026-12-01T10:00:00Z", "due_date": null,
            "line_items": [{"id": "li_1", "display_name": "Seats", "amount": "30", "quantity": "4"}],
            "created_at": "2026-12-01T10:00:00Z", "updated_at": "2026-12-02T10:00:00Z"});
        let v = invoice(&o, "2026-12-07T00:00:00Z").unwrap();
        assert_eq!(v["invoice_number"], "inv_1");
        assert_eq!(v["payment_status"], "PENDING");
        assert_eq!(v["currency"], "USD");
        assert_eq!(
            (v["issue_date"].as_str(), v["due_date"].as_str()),
            (Some("2026-12-01"), Some("2026-12-01"))
        );
        assert_eq!(v["line_items"][0]["description"], "Seats");
        assert_eq!(v["line_items"][0]["unit_amount"], "7.5");
        assert_eq!(v["total_tax"], "0");
    }

    #[test]
    fn a_payment_takes_its_invoice_and_customer_from_its_destination() {
        let o = json!({"id": "pay_1", "destination_type": "INVOICE", "destination_id": "inv_1",
            "payment_method_type": "ACH", "amount": "30", "currency": "eur", "payment_status": "SUCCEEDED",
            "succeeded_at": "2026-12-03T10:00:00Z"});
        let v = payment(&o, Some("cus_1"), "2026-12-07T00:00:00Z").unwrap();
        assert_eq!(
            (v["invoice_id"].as_str(), v["customer_id"].as_str()),
            (Some("inv_1"), Some("cus_1"))
        );
        assert_eq!(v["method"], "bank_transfer");
        assert_eq!(v["created_at"], "2026-12-03T10:00:00Z");
        assert!(
            payment(&o, None, "2026-12-07T00:00:00Z").is_err(),
            "an unknown invoice is said"
        );
        let mut odd = o.clone();
        odd["payment_method_type"] = json!("BARTER");
        assert!(payment(&odd, Some("cus_1"), "x").is_err());
    }

    #[test]
    fn a_subscription_is_priced_from_its_current_fixed_lines_and_named_by_its_plan() {
        let v = subscription(&subscription_of("sub_1", "cus_1"), "2026-12-07T00:00:00Z").unwrap();
        assert_eq!(
            v["price"], "37.5",
            "3 × 12.5; one-off, usage and ended lines left out"
        );
        assert_eq!(v["plan_name"], "Team");
        assert_eq!(v["currency"], "EUR");
        assert_eq!(v["billing_period"], "monthly");
        assert_eq!(v["current_period_start"], "2026-12-01");
        assert_eq!(v["subscription_status"], "active");
        let mut o = subscription_of("sub_1", "cus_1");
        o["subscription_status"] = json!("incomplete");
        o["billing_period_count"] = json!(12);
        let v = subscription(&o, "2026-12-07T00:00:00Z").unwrap();
        assert_eq!(
            (
                v["subscription_status"].as_str(),
                v["billing_period"].as_str()
            ),
            (Some("past_due"), Some("annual"))
        );
        for (field, value) in [
            ("subscription_status", json!("draft")),
            ("billing_period", json!("WEEKLY")),
        ] {
            let mut o = subscription_of("sub_1", "cus_1");
            o[field] = value;
            assert!(subscription(&o, "2026-12-07T00:00:00Z").is_err(), "{field}");
        }
        let mut tiered = subscription_of("sub_1", "cus_1");
        tiered["line_items"][0]["price"]["billing_model"] = json!("TIERED");
        let why = subscription(&tiered, "2026-12-07T00:00:00Z").unwrap_err();
        assert!(why.0.contains("li_seat"), "{why:?}");
    }

    #[test]
    fn event_types_map_to_their_family() {
        assert_eq!(
            Family::of("invoice.update.finalized"),
            Some(Family::Invoice)
        );
        assert_eq!(Family::of("invoice.payment.overdue"), Some(Family::Invoice));
        assert_eq!(Family::of("credit_note.created"), Some(Family::CreditNote));
        assert_eq!(Family::of("feature.created"), None);
    }
}
