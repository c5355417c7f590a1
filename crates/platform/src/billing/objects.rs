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
//! - a line item's `display_name` is its description and its unit amount is amount ÷ quantity.

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
