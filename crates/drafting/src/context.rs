//! What the engine knows about a ticket when it drafts or checks a draft: the thread, the
//! customer, and the billing records the thread is about. The desk fills it from its cache; the
//! engine never reads a database.

use crate::lang::Lang;
use crate::mentions;
use chrono::{DateTime, NaiveDate, Utc};
use countersign_model::Money;

#[derive(Debug, Clone)]
pub struct Context {
    pub ticket: TicketFacts,
    pub customer: CustomerFacts,
    /// The thread, oldest first.
    pub messages: Vec<MessageFacts>,
    /// The invoices the thread names, then the customer's most recent ones.
    pub invoices: Vec<InvoiceFacts>,
    /// Payments of those invoices, and the customer's failed or refunded ones.
    pub payments: Vec<PaymentFacts>,
    pub subscriptions: Vec<SubscriptionFacts>,
    /// Knowledge-base articles that match the thread, best first.
    pub articles: Vec<ArticleFacts>,
}

#[derive(Debug, Clone)]
pub struct TicketFacts {
    pub id: String,
    pub subject: String,
    pub language: Lang,
}

#[derive(Debug, Clone)]
pub struct CustomerFacts {
    pub id: String,
    pub name: String,
    pub email: String,
}

impl CustomerFacts {
    /// The name to greet: the first word of a person's name.
    pub fn first_name(&self) -> &str {
        self.name.split_whitespace().next().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    Customer,
    Agent,
    Other,
}

#[derive(Debug, Clone)]
pub struct MessageFacts {
    pub id: String,
    pub author: Author,
    pub internal: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct InvoiceFacts {
    pub id: String,
    pub number: String,
    /// `DRAFT`, `FINALIZED`, `VOIDED`, `SKIPPED`.
    pub status: String,
    /// `PENDING`, `SUCCEEDED`, `FAILED`, `REFUNDED`, `PARTIALLY_REFUNDED`, …
    pub payment_status: String,
    pub total: Money,
    pub total_tax: Money,
    pub amount_due: Money,
    pub amount_paid: Money,
    pub amount_remaining: Money,
    pub refunded: Money,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub paid_at: Option<NaiveDate>,
    pub voided_at: Option<NaiveDate>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct PaymentFacts {
    pub id: String,
    pub invoice_id: Option<String>,
    pub amount: Money,
    pub refunded: Money,
    /// `SUCCEEDED`, `FAILED`, `PENDING`, `REFUNDED`, …
    pub status: String,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub succeeded_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
}

impl PaymentFacts {
    pub fn succeeded(&self) -> bool {
        self.status.eq_ignore_ascii_case("succeeded")
    }

    pub fn failed(&self) -> bool {
        self.status.eq_ignore_ascii_case("failed")
    }
}

#[derive(Debug, Clone)]
pub struct SubscriptionFacts {
    pub id: String,
    pub plan_name: String,
    pub status: String,
    pub price: Money,
    /// `monthly` or `annual`.
    pub billing_period: String,
    pub current_period_start: NaiveDate,
    pub current_period_end: NaiveDate,
    pub cancel_at_period_end: bool,
    pub started_at: NaiveDate,
    pub cancelled_at: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct ArticleFacts {
    pub id: String,
    pub title: String,
    pub body: String,
}

/// A kind of fact a record holds, for the grounding check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Invoice,
    Payment,
    Subscription,
}

impl Context {
    /// The customer's messages, newest last, public only.
    pub fn customer_messages(&self) -> impl Iterator<Item = &MessageFacts> {
        self.messages
            .iter()
            .filter(|m| m.author == Author::Customer && !m.internal)
    }

    /// What the customer wrote, subject first.
    pub fn customer_text(&self) -> String {
        let mut text = self.ticket.subject.clone();
        for m in self.customer_messages() {
            text.push('\n');
            text.push_str(&m.body);
        }
        text
    }

    /// What the customer asks for, read from the subject and their messages.
    pub fn intent(&self) -> crate::Intent {
        let mut body = String::new();
        for m in self.customer_messages() {
            body.push_str(&m.body);
            body.push('\n');
        }
        crate::intent::classify(&self.ticket.subject, &body).0
    }

    /// The prefixes this desk's invoice numbers start with.
    pub fn invoice_prefixes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in self
            .invoices
            .iter()
            .filter_map(|i| mentions::invoice_prefix(&i.number))
        {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// The invoice the customer names: by its number, else by an amount they quote.
    pub fn named_invoice(&self) -> Option<&InvoiceFacts> {
        let found = mentions::find(&self.customer_text(), &self.invoice_prefixes());
        found
            .invoice_numbers
            .iter()
            .find_map(|n| self.invoice_by_number(n))
            .or_else(|| {
                found.amounts.iter().find_map(|a| {
                    self.invoices.iter().find(|i| {
                        i.total.currency() == a.currency
                            && i.total.to_decimal().normalize() == a.value
                    })
                })
            })
    }

    pub fn invoice(&self, id: &str) -> Option<&InvoiceFacts> {
        self.invoices.iter().find(|i| i.id == id)
    }

    pub fn invoice_by_number(&self, number: &str) -> Option<&InvoiceFacts> {
        self.invoices
            .iter()
            .find(|i| i.number.eq_ignore_ascii_case(number))
    }

    pub fn payments_of<'s, 'i>(
        &'s self,
        invoice_id: &'i str,
    ) -> impl Iterator<Item = &'s PaymentFacts> + use<'s, 'i> {
        self.payments
            .iter()
            .filter(move |p| p.invoice_id.as_deref() == Some(invoice_id))
    }

    /// Every amount the records state, with the record that states it: each amount field, and
    /// what is still refundable (paid less refunded) of an invoice or a payment.
    pub fn amounts(&self) -> Vec<(RecordKind, &str, Money)> {
        let mut out = Vec::new();
        for i in &self.invoices {
            for m in [
                i.total,
                i.total_tax,
                i.amount_due,
                i.amount_paid,
                i.amount_remaining,
                i.refunded,
            ]
            .into_iter()
            .chain(refundable(i.amount_paid, i.refunded))
            {
                out.push((RecordKind::Invoice, i.id.as_str(), m));
            }
        }
        for p in &self.payments {
            for m in [p.amount, p.refunded]
                .into_iter()
                .chain(refundable(p.amount, p.refunded))
            {
                out.push((RecordKind::Payment, p.id.as_str(), m));
            }
        }
        for s in &self.subscriptions {
            out.push((RecordKind::Subscription, s.id.as_str(), s.price));
        }
        out
    }

    /// Every date the records state, with the record that states it.
    pub fn dates(&self) -> Vec<(RecordKind, &str, NaiveDate)> {
        let mut out = Vec::new();
        for i in &self.invoices {
            let dates = [Some(i.issue_date), Some(i.due_date), i.paid_at, i.voided_at];
            for d in dates
                .into_iter()
                .chain([i.period_start, i.period_end])
                .flatten()
            {
                out.push((RecordKind::Invoice, i.id.as_str(), d));
            }
        }
        for p in &self.payments {
            let times = [Some(p.created_at), p.succeeded_at, p.failed_at];
            for t in times.into_iter().flatten() {
                out.push((RecordKind::Payment, p.id.as_str(), t.date_naive()));
            }
        }
        for s in &self.subscriptions {
            let dates = [
                Some(s.current_period_start),
                Some(s.current_period_end),
                Some(s.started_at),
                s.cancelled_at,
            ];
            for d in dates.into_iter().flatten() {
                out.push((RecordKind::Subscription, s.id.as_str(), d));
            }
        }
        out
    }
}

/// What is left to refund of `paid` after `refunded`, when both are in one currency.
pub fn refundable(paid: Money, refunded: Money) -> Option<Money> {
    (paid.currency() == refunded.currency())
        .then(|| Money::from_minor(paid.minor() - refunded.minor(), paid.currency()))
}
