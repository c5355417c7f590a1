//! A small ticket context for tests (this crate's and others'): a customer charged twice for one
//! invoice, an internal note, and one knowledge-base article.

use crate::context::*;
use crate::lang::Lang;
use chrono::{NaiveDate, TimeZone, Utc};
use countersign_model::Currency;
use countersign_model::Money;

/// The context of ticket `tkt_1`: Anna, charged twice for invoice INV-2026-000042.
pub fn context() -> Context {
    let eur = Currency::EUR;
    let m = |minor| Money::from_minor(minor, eur);
    let day = |d| NaiveDate::from_ymd_opt(2024, 3, d).unwrap();
    let at = |d| Utc.with_ymd_and_hms(2024, 3, d, 9, 30, 0).unwrap();
    let message = |id: &str, author, internal, body: &str, d| MessageFacts {
        id: id.into(),
        author,
        internal,
        body: body.into(),
        created_at: at(d),
    };
    let payment = |id: &str| PaymentFacts {
        id: id.into(),
        invoice_id: Some("inv_42".into()),
        amount: m(4990),
        refunded: m(0),
        status: "SUCCEEDED".into(),
        error: None,
        created_at: at(2),
        succeeded_at: Some(at(2)),
        failed_at: None,
    };
    Context {
        ticket: TicketFacts {
            id: "tkt_1".into(),
            subject: "Charged twice".into(),
            language: Lang::En,
        },
        customer: CustomerFacts {
            id: "cus_1".into(),
            name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
        },
        messages: vec![
            message(
                "msg_1",
                Author::Customer,
                false,
                "I was charged twice for INV-2024-0042.",
                3,
            ),
            message(
                "msg_2",
                Author::Agent,
                true,
                "Two payments on inv_42, checking.",
                4,
            ),
        ],
        invoices: vec![InvoiceFacts {
            id: "inv_42".into(),
            number: "INV-2024-0042".into(),
            status: "FINALIZED".into(),
            payment_status: "SUCCEEDED".into(),
            total: m(4990),
            total_tax: m(866),
            amount_due: m(4990),
            amount_paid: m(4990),
            amount_remaining: m(0),
            refunded: m(0),
            issue_date: day(1),
            due_date: day(15),
            paid_at: Some(day(2)),
            voided_at: None,
            period_start: None,
            period_end: None,
        }],
        payments: vec![payment("pay_1"), payment("pay_2")],
        subscriptions: Vec::new(),
        articles: vec![ArticleFacts {
            id: "kb_1".into(),
            title: "Duplicate charges".into(),
            body: "A duplicate charge is refunded once a supervisor approves it.".into(),
        }],
    }
}
