//! The rules an escalation is raised and decided by: the one place both the desk (which tells
//! the person at once, offline too) and the platform (the authority, which re-checks every
//! mutation) take them from.

use crate::money::{Currency, Money};
use crate::problem::Problem;
use crate::workflow::ProposedAction;

/// What an invoice holds that an escalation on it is measured against (minor units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFacts {
    pub id: String,
    pub customer_id: String,
    pub currency: Currency,
    /// `DRAFT`, `FINALIZED`, `VOIDED`, `SKIPPED`.
    pub invoice_status: String,
    pub total: i64,
    pub amount_paid: i64,
    pub refunded_amount: i64,
}

/// Why an escalation cannot be raised (or approved) as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A wrong shape or value: an `invalid_argument` with this message.
    Invalid(String),
    /// A refusal the person's UI says in their language.
    Problem(Problem),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Invalid(m) => f.write_str(m),
            Self::Problem(p) => p.fmt(f),
        }
    }
}

fn invalid(message: String) -> Refusal {
    Refusal::Invalid(message)
}

/// Whether the action, an invoice and an amount fit together, before anything is looked up:
/// an action that moves money names an invoice and an amount, voiding names an invoice, and
/// an action that moves no money takes no amount.
pub fn check_shape(
    action: ProposedAction,
    has_invoice: bool,
    has_amount: bool,
) -> Result<(), Refusal> {
    match (has_invoice, has_amount) {
        (false, _) if action.moves_money() || action == ProposedAction::VoidInvoice => {
            Err(invalid(format!(
                "`{action}` needs `invoice_id` (or `invoice_number`)"
            )))
        }
        (_, false) if action.moves_money() => Err(invalid(format!(
            "`{action}` needs an `amount`, e.g. \"19.99\""
        ))),
        (_, true) if !action.moves_money() => Err(invalid(format!("`{action}` takes no `amount`"))),
        _ => Ok(()),
    }
}

/// Whether `amount` of `action` fits the invoice as it stands now: the ticket's customer's, in
/// the invoice's currency, positive, at most what was paid and not yet refunded (a refund) or
/// the invoice's total (anything else), and no invoice voided twice. Checked when an
/// escalation is raised and again when it is approved (the invoice may have changed since).
pub fn check_against_invoice(
    action: ProposedAction,
    ticket_id: &str,
    ticket_customer: &str,
    invoice: &InvoiceFacts,
    amount: Option<Money>,
) -> Result<(), Refusal> {
    let id = &invoice.id;
    if invoice.customer_id != ticket_customer {
        return Err(invalid(format!(
            "invoice {id} belongs to another customer than ticket {ticket_id}"
        )));
    }
    if let Some(m) = amount {
        if m.currency() != invoice.currency {
            return Err(invalid(format!(
                "`amount` is in {}, invoice {id} is in {}",
                m.currency(),
                invoice.currency
            )));
        }
        if m.minor() <= 0 {
            return Err(invalid(format!("`amount` must be positive, got {m}")));
        }
        let ceiling = match action {
            ProposedAction::Refund => invoice.amount_paid - invoice.refunded_amount,
            _ => invoice.total,
        };
        if m.minor() > ceiling {
            return Err(Refusal::Problem(Problem::ExceedsInvoice {
                action,
                amount: m,
                invoice: id.clone(),
                allowed: Money::from_minor(ceiling.max(0), invoice.currency),
            }));
        }
    }
    if action == ProposedAction::VoidInvoice && invoice.invoice_status == "VOIDED" {
        return Err(invalid(format!("invoice {id} is already voided")));
    }
    Ok(())
}

/// Whether the person who raised an escalation may approve it too: not one that moves money
/// (two people see every money movement).
pub fn may_approve_own(action: ProposedAction) -> bool {
    !action.moves_money()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::parse("EUR").unwrap())
    }

    fn invoice() -> InvoiceFacts {
        InvoiceFacts {
            id: "inv_1".into(),
            customer_id: "cus_anna".into(),
            currency: Currency::parse("EUR").unwrap(),
            invoice_status: "FINALIZED".into(),
            total: 4900,
            amount_paid: 4900,
            refunded_amount: 1000,
        }
    }

    #[test]
    fn an_amount_fits_the_ticket_customers_invoice_in_its_currency_within_what_is_left() {
        use ProposedAction::*;
        let check = |action, customer: &str, amount| {
            check_against_invoice(action, "tkt_1", customer, &invoice(), amount)
        };
        assert_eq!(check(Refund, "cus_anna", Some(eur(3900))), Ok(()));
        assert!(matches!(
            check(Refund, "cus_anna", Some(eur(3901))),
            Err(Refusal::Problem(Problem::ExceedsInvoice { .. }))
        ));
        assert_eq!(check(CreditNote, "cus_anna", Some(eur(4900))), Ok(()));
        let other = check(Refund, "cus_bob", Some(eur(100))).unwrap_err();
        assert!(other.to_string().contains("another customer"), "{other}");
        let usd = Money::from_minor(99_999_999_999, Currency::parse("USD").unwrap());
        let wrong = check(Refund, "cus_anna", Some(usd)).unwrap_err();
        assert!(wrong.to_string().contains("is in USD"), "{wrong}");
        assert!(check(Refund, "cus_anna", Some(eur(0))).is_err());
        let mut voided = invoice();
        voided.invoice_status = "VOIDED".into();
        assert!(check_against_invoice(VoidInvoice, "tkt_1", "cus_anna", &voided, None).is_err());
    }

    #[test]
    fn money_needs_an_invoice_and_an_amount_and_nothing_else_takes_an_amount() {
        use ProposedAction::*;
        assert!(check_shape(Refund, false, false).is_err());
        assert!(check_shape(Refund, true, false).is_err());
        assert!(check_shape(VoidInvoice, false, false).is_err());
        assert!(check_shape(Other, false, true).is_err());
        assert_eq!(check_shape(Refund, true, true), Ok(()));
        assert_eq!(check_shape(Other, false, false), Ok(()));
        assert!(!may_approve_own(Refund) && may_approve_own(Other));
    }
}
