//! Each billing record checked as the billing system would hold it (ISO 4217 currencies, no
//! negative amounts, paid + remaining = due, refunds within what was paid, decimal quantities,
//! periods in order, bounded text) and rendered as the row the upserts take, amounts in minor
//! units.

use super::{CustomerIn, InvoiceIn, PaymentIn, SubscriptionIn, WalletIn};
use crate::error::{Error, Result};
use crate::ingest::{bounded, text};
use countersign_model::{Currency, Money};
use serde_json::{Value, json};

fn minor(what: &str, amount: &str, currency: Currency) -> Result<i64> {
    Money::parse(amount, currency)
        .map(Money::minor)
        .map_err(|e| Error::invalid(format!("{what}: {e}")))
}

/// An amount the billing system never has below zero (totals, payments, balances, prices).
fn non_negative(what: &str, amount: &str, currency: Currency) -> Result<i64> {
    let m = minor(what, amount, currency)?;
    if m < 0 {
        return Err(Error::invalid(format!(
            "{what} must not be negative, got {amount:?}"
        )));
    }
    Ok(m)
}

/// A decimal that is not money (a quantity, a unit price of metered usage): digits with an
/// optional point, at most 32 characters, not negative.
fn decimal(what: &str, v: &str) -> Result<()> {
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok = v.len() <= 32
        && !whole.is_empty()
        && digits(whole)
        && digits(fraction)
        && !(v.contains('.') && fraction.is_empty());
    if !ok {
        return Err(Error::invalid(format!(
            "{what} must be a non-negative decimal such as \"1\" or \"0.25\", got {v:.40?}"
        )));
    }
    Ok(())
}

fn ordered<T: PartialOrd + std::fmt::Debug>(
    what: &str,
    start: Option<T>,
    end: Option<T>,
) -> Result<()> {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(Error::invalid(format!("{what} ends before it starts")));
    }
    Ok(())
}

pub(super) fn customer_row(c: &CustomerIn) -> Result<Value> {
    text("customer name", &c.name, 500)?;
    text("customer email", &c.email, 320)?;
    if !c.email.contains('@') {
        return Err(Error::invalid(format!(
            "customer {} email must be an address",
            c.id
        )));
    }
    text("customer external_id", &c.external_id, 200)?;
    for (what, v, max) in [
        ("phone", &c.phone, 50),
        ("company", &c.company, 200),
        ("address_line1", &c.address_line1, 200),
        ("address_line2", &c.address_line2, 200),
        ("address_city", &c.address_city, 100),
        ("address_state", &c.address_state, 100),
        ("address_postal_code", &c.address_postal_code, 20),
        ("address_country", &c.address_country, 100),
        ("timezone", &c.timezone, 64),
    ] {
        bounded(&format!("customer {} {what}", c.id), v.as_deref(), max)?;
    }
    if !c.metadata.is_object() || c.metadata.to_string().len() > MAX_METADATA_BYTES {
        return Err(Error::invalid(format!(
            "customer {} metadata must be an object of at most {MAX_METADATA_BYTES} bytes",
            c.id
        )));
    }
    ordered(
        &format!("customer {} (created_at to updated_at)", c.id),
        Some(c.created_at),
        Some(c.updated_at),
    )?;
    serde_json::to_value(c).map_err(|e| Error::invalid(e.to_string()))
}

/// The largest `metadata` object a customer may carry, as JSON.
const MAX_METADATA_BYTES: usize = 16 * 1024;

pub(super) fn subscription_row(s: &SubscriptionIn) -> Result<Value> {
    text("subscription plan_name", &s.plan_name, 200)?;
    ordered(
        &format!("subscription {} current period", s.id),
        Some(s.current_period_start),
        Some(s.current_period_end),
    )?;
    let what = format!("subscription {} price", s.id);
    Ok(json!({
        "id": s.id, "customer_id": s.customer_id, "plan_name": s.plan_name,
        "status": s.subscription_status, "currency": s.currency,
        "price": non_negative(&what, &s.price, s.currency)?, "billing_period": s.billing_period,
        "current_period_start": s.current_period_start, "current_period_end": s.current_period_end,
        "cancel_at_period_end": s.cancel_at_period_end, "started_at": s.start_date,
        "cancelled_at": s.cancelled_at, "updated_at": s.updated_at,
    }))
}

pub(super) fn wallet_row(w: &WalletIn) -> Result<Value> {
    text("wallet_status", &w.wallet_status, 50)?;
    let what = format!("wallet {} balance", w.id);
    Ok(json!({
        "id": w.id, "customer_id": w.customer_id, "currency": w.currency,
        "balance": non_negative(&what, &w.balance, w.currency)?, "status": w.wallet_status,
        "updated_at": w.updated_at,
    }))
}

/// The most line items one invoice may carry.
const MAX_LINE_ITEMS: usize = 1000;

pub(super) fn invoice_row(i: &InvoiceIn) -> Result<Value> {
    let c = i.currency;
    let what = |field: &str| format!("invoice {} {field}", i.id);
    if i.line_items.len() > MAX_LINE_ITEMS {
        return Err(Error::invalid(format!(
            "invoice {} has {} line items; at most {MAX_LINE_ITEMS}",
            i.id,
            i.line_items.len()
        )));
    }
    let items = i
        .line_items
        .iter()
        .map(|li| {
            text("line item id", &li.id, 64)?;
            text("line item description", &li.description, 1000)?;
            decimal(&what("line item quantity"), &li.quantity)?;
            decimal(&what("line item unit_amount"), &li.unit_amount)?;
            ordered(
                &format!("line item {} period", li.id),
                li.period_start,
                li.period_end,
            )?;
            Ok(json!({
                "id": li.id, "description": li.description, "quantity": li.quantity,
                "unit_amount": li.unit_amount,
                "amount": non_negative(&what("line item amount"), &li.amount, c)?,
                "period_start": li.period_start, "period_end": li.period_end,
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    text("invoice_number", &i.invoice_number, 100)?;
    text("billing_reason", &i.billing_reason, 100)?;
    bounded(&what("subscription_id"), i.subscription_id.as_deref(), 128)?;
    ordered(&what("period"), i.period_start, i.period_end)?;
    let amount = |field: &str, v: &str| non_negative(&what(field), v, c);
    let due = amount("amount_due", &i.amount_due)?;
    let paid = amount("amount_paid", &i.amount_paid)?;
    let remaining = amount("amount_remaining", &i.amount_remaining)?;
    let refunded = amount(
        "refunded_amount",
        i.refunded_amount.as_deref().unwrap_or("0"),
    )?;
    if paid + remaining != due {
        return Err(Error::invalid(format!(
            "invoice {}: amount_paid ({}) and amount_remaining ({}) must add up to amount_due ({})",
            i.id, i.amount_paid, i.amount_remaining, i.amount_due
        )));
    }
    if refunded > paid {
        return Err(Error::invalid(format!(
            "invoice {}: refunded_amount ({}) is more than amount_paid ({})",
            i.id,
            i.refunded_amount.as_deref().unwrap_or("0"),
            i.amount_paid
        )));
    }
    Ok(json!({
        "id": i.id, "invoice_number": i.invoice_number, "customer_id": i.customer_id,
        "subscription_id": i.subscription_id, "invoice_status": i.invoice_status,
        "payment_status": i.payment_status, "invoice_type": i.invoice_type,
        "billing_reason": i.billing_reason, "currency": c,
        "amount_due": due, "amount_paid": paid, "amount_remaining": remaining,
        "refunded_amount": refunded,
        "subtotal": amount("subtotal", &i.subtotal)?,
        "total_tax": amount("total_tax", &i.total_tax)?,
        "total": amount("total", &i.total)?,
        "issue_date": i.issue_date, "due_date": i.due_date, "paid_at": i.paid_at,
        "voided_at": i.voided_at, "period_start": i.period_start, "period_end": i.period_end,
        "line_items": items, "updated_at": i.updated_at,
    }))
}

/// The most attempts a payment may report.
const MAX_ATTEMPTS: i32 = 1000;

pub(super) fn payment_row(p: &PaymentIn) -> Result<Value> {
    let c = p.currency;
    let what = |field: &str| format!("payment {} {field}", p.id);
    if !(0..=MAX_ATTEMPTS).contains(&p.attempts) {
        return Err(Error::invalid(format!(
            "payment {} attempts must be 0 to {MAX_ATTEMPTS}, got {}",
            p.id, p.attempts
        )));
    }
    bounded(&what("error_message"), p.error_message.as_deref(), 1000)?;
    let amount = non_negative(&what("amount"), &p.amount, c)?;
    let refunded = non_negative(
        &what("refunded_amount"),
        p.refunded_amount.as_deref().unwrap_or("0"),
        c,
    )?;
    if refunded > amount {
        return Err(Error::invalid(format!(
            "payment {}: refunded_amount is more than the amount paid",
            p.id
        )));
    }
    Ok(json!({
        "id": p.id, "customer_id": p.customer_id, "invoice_id": p.invoice_id, "currency": c,
        "amount": amount, "method": p.method,
        "payment_status": p.payment_status, "error_message": p.error_message, "attempts": p.attempts,
        "refunded_amount": refunded,
        "created_at": p.created_at, "succeeded_at": p.succeeded_at, "failed_at": p.failed_at,
        "updated_at": p.updated_at,
    }))
}
