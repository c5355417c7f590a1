//! Tool arguments as assistants send them, and their parsing into core types. Names are plain
//! and the same across tools (`query`, `limit`, `cursor`, `customer_id`, `ticket_id`, …).
//! Numbers are never optional (serde defaults instead) and never unsigned.

use chrono::NaiveDate;
use countersign_core::records::customers::CustomerRef;
use countersign_core::records::invoices::{InvoiceFilter, InvoiceRef};
use countersign_core::records::tickets::TicketFilter;
use countersign_core::workflow::drafts::{CitationRef, NewDraft};
use countersign_core::workflow::escalations::NewEscalation;
use countersign_core::{Error, Result};
use countersign_model::records::{InvoiceStatus, PaymentStatus, TicketStatus};
use countersign_model::workflow::{CitedKind, ProposedAction};
use countersign_model::{CustomerId, InvoiceId, TicketId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

fn default_limit() -> i64 {
    20
}

fn default_search_limit() -> i64 {
    10
}

fn none_if_blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_date(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(format!(
            "`{field}` must be a date like 2026-01-31, got {s:?}"
        ))
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SearchCustomersArgs {
    /// Words to find in the customer's name, e-mail or company, e.g. "schmidt" or "acme gmbh".
    pub query: String,
    /// At most this many results (1-100, default 10).
    #[serde(default = "default_search_limit")]
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GetCustomerArgs {
    /// The customer's id, e.g. "cus_000123". Give exactly one of customer_id, external_id, email.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// The billing system's id for the customer.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The customer's e-mail address (case-insensitive).
    #[serde(default)]
    pub email: Option<String>,
}

impl GetCustomerArgs {
    pub fn customer_ref(&self) -> Result<CustomerRef> {
        match (
            none_if_blank(&self.customer_id),
            none_if_blank(&self.external_id),
            none_if_blank(&self.email),
        ) {
            (Some(id), None, None) => Ok(CustomerRef::Id(CustomerId::parse(id)?)),
            (None, Some(x), None) => Ok(CustomerRef::ExternalId(x.to_owned())),
            (None, None, Some(e)) => Ok(CustomerRef::Email(e.to_owned())),
            _ => Err(Error::invalid(
                "give exactly one of `customer_id`, `external_id` or `email`",
            )),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ListInvoicesArgs {
    /// Only this customer's invoices, e.g. "cus_000123".
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Invoice status: DRAFT, FINALIZED, VOIDED or SKIPPED.
    #[serde(default)]
    pub status: Option<String>,
    /// Payment status: PENDING, PROCESSING, SUCCEEDED, FAILED, REFUNDED, PARTIALLY_REFUNDED, OVERPAID or VOIDED.
    #[serde(default)]
    pub payment_status: Option<String>,
    /// Issued on or after this date (YYYY-MM-DD).
    #[serde(default)]
    pub issued_from: Option<String>,
    /// Issued on or before this date (YYYY-MM-DD).
    #[serde(default)]
    pub issued_to: Option<String>,
    /// Only finalized invoices with money remaining past their due date.
    #[serde(default)]
    pub overdue: bool,
    /// The `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Page size (1-100, default 20).
    #[serde(default = "default_limit")]
    pub limit: i64,
}

impl ListInvoicesArgs {
    pub fn filter(&self) -> Result<InvoiceFilter> {
        Ok(InvoiceFilter {
            customer_id: none_if_blank(&self.customer_id)
                .map(CustomerId::parse)
                .transpose()?,
            invoice_status: none_if_blank(&self.status)
                .map(|s| InvoiceStatus::parse(&s.to_ascii_uppercase()))
                .transpose()?,
            payment_status: none_if_blank(&self.payment_status)
                .map(|s| PaymentStatus::parse(&s.to_ascii_uppercase()))
                .transpose()?,
            issued_from: none_if_blank(&self.issued_from)
                .map(|d| parse_date("issued_from", d))
                .transpose()?,
            issued_to: none_if_blank(&self.issued_to)
                .map(|d| parse_date("issued_to", d))
                .transpose()?,
            overdue_only: self.overdue,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GetInvoiceArgs {
    /// The invoice's id, e.g. "inv_0000123". Give invoice_id or invoice_number.
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// The number printed on the invoice, e.g. "INV-2026-000123".
    #[serde(default)]
    pub invoice_number: Option<String>,
}

impl GetInvoiceArgs {
    pub fn invoice_ref(&self) -> Result<InvoiceRef> {
        invoice_ref(&self.invoice_id, &self.invoice_number)?
            .ok_or_else(|| Error::invalid("give `invoice_id` or `invoice_number`"))
    }
}

fn invoice_ref(id: &Option<String>, number: &Option<String>) -> Result<Option<InvoiceRef>> {
    match (none_if_blank(id), none_if_blank(number)) {
        (Some(id), None) => Ok(Some(InvoiceRef::Id(InvoiceId::parse(id)?))),
        (None, Some(n)) => Ok(Some(InvoiceRef::Number(n.to_owned()))),
        (None, None) => Ok(None),
        (Some(_), Some(_)) => Err(Error::invalid(
            "give `invoice_id` or `invoice_number`, not both",
        )),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ListTicketsArgs {
    /// Ticket status: open, pending, solved or closed.
    #[serde(default)]
    pub status: Option<String>,
    /// Only this customer's tickets.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Only tickets assigned to this person.
    #[serde(default)]
    pub assignee: Option<String>,
    /// Only tickets assigned to nobody.
    #[serde(default)]
    pub unassigned: bool,
    /// Only tickets with a draft waiting for a person's review.
    #[serde(default)]
    pub needs_review: bool,
    /// Words to find; each must match the subject, a message, the customer's name, e-mail or
    /// company, or the start of one of the customer's invoice numbers.
    #[serde(default)]
    pub query: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Page size (1-100, default 20).
    #[serde(default = "default_limit")]
    pub limit: i64,
}

impl ListTicketsArgs {
    pub fn filter(&self) -> Result<TicketFilter> {
        Ok(TicketFilter {
            status: none_if_blank(&self.status)
                .map(|s| TicketStatus::parse(&s.to_ascii_lowercase()))
                .transpose()?,
            customer_id: none_if_blank(&self.customer_id)
                .map(CustomerId::parse)
                .transpose()?,
            assignee: none_if_blank(&self.assignee).map(str::to_owned),
            unassigned: self.unassigned,
            query: none_if_blank(&self.query).map(str::to_owned),
            needs_review: self.needs_review,
            // An assistant sees snoozed tickets too; each says until when (`snoozed_until`).
            snoozed: None,
            breaks_next: false,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GetTicketArgs {
    /// The ticket's id, e.g. "tkt_000042".
    pub ticket_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SearchKbArgs {
    /// Words to find in knowledge-base articles, e.g. "double charge refund".
    pub query: String,
    /// Only articles in this language: en, es, fr or de.
    #[serde(default)]
    pub language: Option<String>,
    /// At most this many results (1-100, default 10).
    #[serde(default = "default_search_limit")]
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CitationArg {
    /// customer, invoice, payment, message or kb_article.
    pub kind: String,
    /// The record's id, e.g. "inv_0000123".
    pub id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DraftReplyArgs {
    /// The ticket to answer.
    pub ticket_id: String,
    /// The reply to the customer, in the customer's language. A person reviews it before it is sent.
    pub body: String,
    /// How sure you are that the reply is right and complete, from 0 to 1.
    pub confidence: f64,
    /// The records the reply relies on (invoices, payments, messages, KB articles...).
    #[serde(default)]
    pub citations: Vec<CitationArg>,
    /// The model that wrote the draft, if you know it.
    #[serde(default)]
    pub model: Option<String>,
}

impl DraftReplyArgs {
    pub fn new_draft(&self) -> Result<NewDraft> {
        Ok(NewDraft {
            ticket_id: TicketId::parse(self.ticket_id.trim())?,
            body: self.body.clone(),
            confidence: self.confidence,
            citations: self
                .citations
                .iter()
                .map(|c| {
                    Ok(CitationRef {
                        kind: CitedKind::parse(c.kind.trim())?,
                        id: c.id.trim().to_owned(),
                    })
                })
                .collect::<Result<_>>()?,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RaiseEscalationArgs {
    /// The ticket this is about.
    pub ticket_id: String,
    /// Why a supervisor should act, with the facts you checked.
    pub reason: String,
    /// refund, credit_note, void_invoice, waive_fee or other.
    pub proposed_action: String,
    /// The invoice concerned (needed for refund, credit_note, waive_fee and void_invoice).
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// The invoice concerned, by its printed number, instead of invoice_id.
    #[serde(default)]
    pub invoice_number: Option<String>,
    /// The amount, as a decimal string in the invoice's currency, e.g. "19.99" (refund, credit_note, waive_fee).
    #[serde(default, deserialize_with = "decimal_text")]
    #[schemars(with = "Option<String>")]
    pub amount: Option<String>,
}

impl RaiseEscalationArgs {
    pub fn new_escalation(&self) -> Result<NewEscalation> {
        Ok(NewEscalation {
            ticket_id: TicketId::parse(self.ticket_id.trim())?,
            reason: self.reason.clone(),
            proposed_action: ProposedAction::parse(self.proposed_action.trim())?,
            invoice: invoice_ref(&self.invoice_id, &self.invoice_number)?,
            amount: none_if_blank(&self.amount).map(str::to_owned),
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AddInternalNoteArgs {
    /// The ticket to annotate.
    pub ticket_id: String,
    /// The note, for the support team only; the customer never sees it.
    pub body: String,
}

/// The most significant digits a JSON number (an IEEE double) carries exactly.
const EXACT_DIGITS: usize = 15;

/// An amount is a decimal string; some clients (the MCP Inspector's `amount=49.00`) send a JSON
/// number instead. A number is taken as written when it is exact, and refused otherwise rather
/// than rounded: money is never approximated.
fn decimal_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        String(String),
        Number(serde_json::Number),
    }
    let Some(v) = Option::<Text>::deserialize(d)? else {
        return Ok(None);
    };
    match v {
        Text::String(s) => Ok(Some(s)),
        Text::Number(n) => {
            let text = n.to_string();
            let digits = text
                .chars()
                .take_while(|c| *c != 'e' && *c != 'E')
                .filter(char::is_ascii_digit)
                .collect::<String>();
            let significant = digits.trim_start_matches('0').len();
            if significant > EXACT_DIGITS || text.contains(['e', 'E']) {
                return Err(serde::de::Error::custom(format!(
                    "amount {text} is not exact as a JSON number; send it as a decimal string, e.g. \"19.99\""
                )));
            }
            Ok(Some(text))
        }
    }
}

/// Prompt arguments arrive as strings.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TicketPromptArgs {
    /// The ticket to draft a reply for, e.g. "tkt_000042".
    pub ticket_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TriagePromptArgs {
    /// How many open tickets to triage (default "20").
    #[serde(default)]
    pub limit: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn amount(v: serde_json::Value) -> std::result::Result<Option<String>, String> {
        serde_json::from_value::<RaiseEscalationArgs>(json!({
            "ticket_id": "tkt_1", "reason": "r", "proposed_action": "refund", "amount": v
        }))
        .map(|a| a.amount)
        .map_err(|e| e.to_string())
    }

    #[test]
    fn amounts_are_strings_or_exact_numbers() {
        assert_eq!(amount(json!("19.99")), Ok(Some("19.99".into())));
        assert_eq!(amount(json!(19.99)), Ok(Some("19.99".into())));
        assert_eq!(amount(json!(49)), Ok(Some("49".into())));
        assert_eq!(amount(json!(null)), Ok(None));
        let err = amount(json!(0.1234567890123456)).unwrap_err();
        assert!(err.contains("send it as a decimal string"), "{err}");
        let err = amount(json!(1e300)).unwrap_err();
        assert!(err.contains("not exact"), "{err}");
        assert!(amount(json!(true)).is_err());
    }

    #[test]
    fn the_schema_still_asks_for_a_string() {
        let schema = serde_json::to_value(schemars::schema_for!(RaiseEscalationArgs)).unwrap();
        let ty = &schema["properties"]["amount"]["type"];
        assert_eq!(ty, &json!(["string", "null"]), "{schema}");
    }
}
