//! The offline drafter: the last link of every provider chain, needing no network and no key.
//! It recognises the customer's request, finds the records it is about, and writes a reply in
//! the customer's language with the records' exact figures, citing each record it used. When
//! money must move it suggests the escalation a person would raise. What it cannot recognise
//! gets an honest holding reply at low confidence, never an invented answer.

mod texts;

use crate::context::{Context, InvoiceFacts, PaymentFacts, SubscriptionFacts, refundable};
use crate::intent::Intent;
use crate::lang::{Lang, date_text, money_text};
use chrono::NaiveDate;
use countersign_model::Money;
use countersign_model::workflow::{CitedKind, ProposedAction};
use texts::{Texts, texts};

/// Who the offline drafter signs its drafts as.
pub const AUTHOR: &str = "countersign/offline";

/// A reply the engine proposes, not yet filed.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub intent: Intent,
    pub body: String,
    /// The records the reply relies on.
    pub citations: Vec<(CitedKind, String)>,
    pub confidence: f64,
    pub escalation: Option<SuggestedEscalation>,
}

/// An escalation a person would raise alongside the reply, because money must move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestedEscalation {
    pub action: ProposedAction,
    pub invoice_id: String,
    pub amount: Money,
    pub reason: String,
}

/// Drafts a reply to the ticket in `ctx`.
pub fn draft(ctx: &Context) -> Proposal {
    let intent = ctx.intent();
    let mut w = Writer {
        ctx,
        lang: ctx.ticket.language,
        t: texts(ctx.ticket.language),
        citations: Vec::new(),
    };
    let (paragraph, confidence, escalation) = w.answer(intent);
    let greeting = fill(
        w.t.greeting,
        &[("first", ctx.customer.first_name().to_owned())],
    );
    Proposal {
        intent,
        body: format!("{greeting}\n\n{paragraph}\n\n{}", w.t.sign_off),
        citations: w.citations,
        confidence,
        escalation,
    }
}

struct Writer<'a> {
    ctx: &'a Context,
    lang: Lang,
    t: &'static Texts,
    citations: Vec<(CitedKind, String)>,
}

type Answer = (String, f64, Option<SuggestedEscalation>);

impl<'a> Writer<'a> {
    fn answer(&mut self, intent: Intent) -> Answer {
        let answered = match intent {
            Intent::DuplicateCharge => self.named().map(|i| self.duplicate(i)),
            Intent::FailedPayment => self
                .named()
                .or_else(|| self.newest(|i| i.payment_status.eq_ignore_ascii_case("failed")))
                .map(|i| self.failed(i)),
            Intent::Overdue => self
                .named()
                .or_else(|| self.newest(|i| i.amount_remaining.minor() > 0))
                .map(|i| self.overdue(i)),
            Intent::Refund => self.named().map(|i| self.refund(i)),
            Intent::InvoiceCopy => self
                .named()
                .or_else(|| self.newest(|_| true))
                .map(|i| self.copy(i)),
            Intent::Vat => self
                .named()
                .or_else(|| self.newest(|_| true))
                .map(|i| self.vat(i)),
            Intent::Cancel => self.subscription().map(|s| self.cancel(s)),
            Intent::PlanChange => self.subscription().map(|s| self.plan(s)),
            Intent::Other => None,
        };
        answered.flatten().unwrap_or_else(|| {
            if matches!(intent, Intent::DuplicateCharge | Intent::Refund) {
                (self.t.ask_invoice.to_owned(), 0.35, None)
            } else {
                (self.t.holding.to_owned(), 0.2, None)
            }
        })
    }

    fn money(&self, m: Money) -> String {
        money_text(self.lang, m)
    }

    fn date(&self, d: NaiveDate) -> String {
        date_text(self.lang, d)
    }

    fn cite(&mut self, kind: CitedKind, id: &str) {
        if !self.citations.iter().any(|(k, i)| *k == kind && i == id) {
            self.citations.push((kind, id.to_owned()));
        }
    }

    fn named(&self) -> Option<&'a InvoiceFacts> {
        self.ctx.named_invoice()
    }

    fn newest(&self, keep: impl Fn(&InvoiceFacts) -> bool) -> Option<&'a InvoiceFacts> {
        self.ctx
            .invoices
            .iter()
            .filter(|i| keep(i))
            .max_by_key(|i| (i.issue_date, i.number.clone()))
    }

    fn subscription(&self) -> Option<&'a SubscriptionFacts> {
        self.ctx
            .subscriptions
            .iter()
            .filter(|s| !s.status.eq_ignore_ascii_case("cancelled"))
            .max_by_key(|s| s.started_at)
    }

    fn succeeded(&self, invoice: &str) -> Vec<&'a PaymentFacts> {
        let mut paid: Vec<&PaymentFacts> = self
            .ctx
            .payments_of(invoice)
            .filter(|p| p.succeeded())
            .collect();
        paid.sort_by_key(|p| (p.succeeded_at.unwrap_or(p.created_at), p.id.clone()));
        paid
    }

    /// When the invoice was paid: its own record, else its last successful payment.
    fn paid_on(&self, i: &InvoiceFacts) -> Option<NaiveDate> {
        i.paid_at.or_else(|| {
            self.succeeded(&i.id)
                .last()
                .map(|p| p.succeeded_at.unwrap_or(p.created_at).date_naive())
        })
    }

    fn duplicate(&mut self, i: &'a InvoiceFacts) -> Option<Answer> {
        let paid = self.succeeded(&i.id);
        self.cite(CitedKind::Invoice, &i.id);
        if let [first, second, ..] = paid[..] {
            let duplicate = refundable(second.amount, second.refunded)?;
            self.cite(CitedKind::Payment, &first.id);
            self.cite(CitedKind::Payment, &second.id);
            let on = |p: &PaymentFacts| p.succeeded_at.unwrap_or(p.created_at).date_naive();
            let text = fill(
                self.t.duplicate_found,
                &[
                    ("number", i.number.clone()),
                    ("amount", self.money(second.amount)),
                    ("first_paid", self.date(on(first))),
                    ("second_paid", self.date(on(second))),
                    ("duplicate", self.money(duplicate)),
                ],
            );
            let escalation = (duplicate.minor() > 0).then(|| SuggestedEscalation {
                action: ProposedAction::Refund,
                invoice_id: i.id.clone(),
                amount: duplicate,
                reason: format!(
                    "Duplicate payment {} of {} on invoice {}: refund it to the original payment method.",
                    second.id, duplicate, i.number
                ),
            });
            return Some((text, 0.85, escalation));
        }
        let (amount, on) = match paid.first() {
            Some(p) => {
                self.cite(CitedKind::Payment, &p.id);
                (
                    p.amount,
                    p.succeeded_at.unwrap_or(p.created_at).date_naive(),
                )
            }
            None if i.amount_paid.minor() > 0 => (i.amount_paid, i.paid_at?),
            None => return None,
        };
        let text = fill(
            self.t.duplicate_single,
            &[
                ("number", i.number.clone()),
                ("amount", self.money(amount)),
                ("paid", self.date(on)),
            ],
        );
        Some((text, 0.75, None))
    }

    fn now_paid(&mut self, i: &'a InvoiceFacts) -> Option<Answer> {
        let paid = self.paid_on(i)?;
        let text = fill(
            self.t.now_paid,
            &[
                ("number", i.number.clone()),
                ("amount", self.money(i.amount_paid)),
                ("paid", self.date(paid)),
            ],
        );
        Some((text, 0.8, None))
    }

    fn failed(&mut self, i: &'a InvoiceFacts) -> Option<Answer> {
        self.cite(CitedKind::Invoice, &i.id);
        if i.amount_remaining.minor() == 0 && i.amount_paid.minor() > 0 {
            return self.now_paid(i);
        }
        let failure = self
            .ctx
            .payments_of(&i.id)
            .filter(|p| p.failed())
            .max_by_key(|p| (p.failed_at.unwrap_or(p.created_at), p.id.clone()));
        let head = match failure {
            Some(p) if p.error.as_deref().is_some_and(|e| !e.trim().is_empty()) => {
                self.cite(CitedKind::Payment, &p.id);
                fill(
                    self.t.failed_reason,
                    &[
                        ("amount", self.money(p.amount)),
                        ("number", i.number.clone()),
                        (
                            "date",
                            self.date(p.failed_at.unwrap_or(p.created_at).date_naive()),
                        ),
                        (
                            "error",
                            p.error.clone().unwrap_or_default().trim().to_owned(),
                        ),
                    ],
                )
            }
            _ => fill(
                self.t.failed_plain,
                &[
                    ("amount", self.money(i.amount_remaining)),
                    ("number", i.number.clone()),
                ],
            ),
        };
        let tail = fill(self.t.failed_tail, &[("number", i.number.clone())]);
        Some((format!("{head} {tail}"), 0.8, None))
    }

    fn overdue(&mut self, i: &'a InvoiceFacts) -> Option<Answer> {
        self.cite(CitedKind::Invoice, &i.id);
        if i.amount_remaining.minor() == 0 {
            return self.now_paid(i);
        }
        let text = fill(
            self.t.overdue,
            &[
                ("number", i.number.clone()),
                ("amount", self.money(i.total)),
                ("due", self.date(i.due_date)),
                ("remaining", self.money(i.amount_remaining)),
            ],
        );
        Some((text, 0.8, None))
    }

    fn refund(&mut self, i: &'a InvoiceFacts) -> Option<Answer> {
        self.cite(CitedKind::Invoice, &i.id);
        let refundable = refundable(i.amount_paid, i.refunded)?;
        if refundable.minor() <= 0 && i.refunded.minor() > 0 {
            let text = fill(
                self.t.refund_done,
                &[
                    ("number", i.number.clone()),
                    ("refunded", self.money(i.refunded)),
                ],
            );
            return Some((text, 0.7, None));
        }
        if i.amount_paid.minor() == 0 {
            let text = fill(
                self.t.nothing_to_refund,
                &[
                    ("number", i.number.clone()),
                    ("remaining", self.money(i.amount_remaining)),
                ],
            );
            return Some((text, 0.6, None));
        }
        let paid = self.paid_on(i)?;
        let text = fill(
            self.t.refund,
            &[
                ("amount", self.money(refundable)),
                ("number", i.number.clone()),
                ("paid", self.date(paid)),
            ],
        );
        let escalation = SuggestedEscalation {
            action: ProposedAction::Refund,
            invoice_id: i.id.clone(),
            amount: refundable,
            reason: format!(
                "The customer asks for a refund of invoice {} ({refundable} paid and not refunded).",
                i.number
            ),
        };
        Some((text, 0.75, Some(escalation)))
    }

    fn copy(&mut self, i: &'a InvoiceFacts) -> Option<Answer> {
        self.cite(CitedKind::Invoice, &i.id);
        let mut values = vec![
            ("number", i.number.clone()),
            ("issued", self.date(i.issue_date)),
            ("amount", self.money(i.total)),
        ];
        let head = match self.paid_on(i) {
            Some(paid) if i.amount_remaining.minor() == 0 => {
                values.push(("paid", self.date(paid)));
                fill(self.t.copy_paid, &values)
            }
            _ => {
                values.push(("due", self.date(i.due_date)));
                fill(self.t.copy_open, &values)
            }
        };
        Some((format!("{head} {}", self.t.copy_tail), 0.8, None))
    }

    fn vat(&mut self, i: &'a InvoiceFacts) -> Option<Answer> {
        self.cite(CitedKind::Invoice, &i.id);
        let text = fill(
            self.t.vat,
            &[
                ("number", i.number.clone()),
                ("issued", self.date(i.issue_date)),
                ("amount", self.money(i.total)),
            ],
        );
        Some((text, 0.7, None))
    }

    fn cancel(&mut self, s: &'a SubscriptionFacts) -> Option<Answer> {
        self.cite(CitedKind::Customer, &self.ctx.customer.id);
        let template = if s.cancel_at_period_end {
            self.t.cancel_already
        } else {
            self.t.cancel
        };
        let text = fill(
            template,
            &[
                ("plan", s.plan_name.clone()),
                ("period_end", self.date(s.current_period_end)),
            ],
        );
        Some((text, 0.75, None))
    }

    fn plan(&mut self, s: &'a SubscriptionFacts) -> Option<Answer> {
        self.cite(CitedKind::Customer, &self.ctx.customer.id);
        let template = if s.billing_period.eq_ignore_ascii_case("annual") {
            self.t.plan_annual
        } else {
            self.t.plan_monthly
        };
        let head = fill(
            template,
            &[
                ("plan", s.plan_name.clone()),
                ("price", self.money(s.price)),
            ],
        );
        Some((format!("{head} {}", self.t.plan_tail), 0.6, None))
    }
}

/// `template` with each `{key}` replaced by its value.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}
