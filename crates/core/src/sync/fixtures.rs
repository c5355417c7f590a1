//! Feed changes as the platform sends them, for the tests of pulling.

use countersign_model::sync::{Entity, RawChange, RawChangesPage};

pub(crate) fn change(seq: i64, entity: Entity, id: &str, version: i64, data: &str) -> RawChange {
    RawChange {
        seq,
        entity,
        id: id.into(),
        version,
        data: serde_json::value::RawValue::from_string(data.into()).unwrap(),
    }
}

pub(crate) fn page(cursor: i64, changes: Vec<RawChange>) -> RawChangesPage {
    RawChangesPage {
        changes,
        cursor,
        has_more: false,
    }
}

pub(crate) fn invoice(seq: i64, version: i64, status: &str, items: &[(&str, i64)]) -> RawChange {
    invoice_record(seq, "inv_p1", version, status, items)
}

pub(crate) fn invoice_record(
    seq: i64,
    id: &str,
    version: i64,
    status: &str,
    items: &[(&str, i64)],
) -> RawChange {
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|(id, amount)| {
            serde_json::json!({"id": id, "description": "Team plan", "quantity": "1",
                               "unit_amount": "41.18", "amount": amount})
        })
        .collect();
    let data = serde_json::json!({
        "id": id, "invoice_number": format!("INV-{}", id.trim_start_matches("inv_").to_uppercase()), "customer_id": "cus_p", "subscription_id": null,
        "invoice_status": "FINALIZED", "payment_status": status, "invoice_type": "SUBSCRIPTION",
        "billing_reason": "SUBSCRIPTION_CYCLE", "currency": "EUR", "amount_due": 4900,
        "amount_paid": 0, "amount_remaining": 4900, "refunded_amount": 0, "subtotal": 4118,
        "total_tax": 782, "total": 4900, "issue_date": "2025-02-01", "due_date": "2025-02-15",
        "paid_at": null, "voided_at": null, "period_start": null, "period_end": null,
        "line_items": items, "updated_at": "2025-02-01T00:00:00.000Z", "version": version
    });
    change(seq, Entity::Invoice, id, version, &data.to_string())
}

pub(crate) fn customer(seq: i64) -> RawChange {
    named_customer(seq, 1, "Anna Schmidt")
}

pub(crate) fn named_customer(seq: i64, version: i64, name: &str) -> RawChange {
    customer_record(seq, "cus_p", version, name)
}

pub(crate) fn customer_record(seq: i64, id: &str, version: i64, name: &str) -> RawChange {
    let data = serde_json::json!({
        "id": id, "external_id": format!("ext-{id}"), "name": name, "email": "anna@example.com",
        "phone": null, "company": "Schmidt GmbH", "address_line1": null, "address_line2": null,
        "address_city": null, "address_state": null, "address_postal_code": null,
        "address_country": "DE", "timezone": null, "status": "active", "metadata": "{}",
        "created_at": "2025-01-01T00:00:00.000Z", "updated_at": "2025-01-01T00:00:00.000Z",
        "version": version
    });
    change(seq, Entity::Customer, id, version, &data.to_string())
}
