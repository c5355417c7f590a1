//! Turning the desktop's IPC requests into the core's inputs, so the shell stays a one-liner per
//! command: the parsing rules (an invoice named by id or by printed number) live here.

use crate::Result;
use crate::records::invoices::InvoiceRef;
use crate::workflow::escalations::NewEscalation;
use countersign_model::InvoiceId;
use countersign_model::ipc::RaiseEscalation;

/// An invoice given as `inv_…` is an id; anything else is its printed number.
pub fn invoice_ref(text: &str) -> Result<InvoiceRef> {
    let text = text.trim();
    if text.starts_with(InvoiceId::PREFIX) {
        Ok(InvoiceRef::Id(InvoiceId::parse(text)?))
    } else {
        Ok(InvoiceRef::Number(text.to_owned()))
    }
}

pub fn new_escalation(req: RaiseEscalation) -> Result<NewEscalation> {
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    Ok(NewEscalation {
        ticket_id: req.ticket_id,
        reason: req.reason,
        proposed_action: req.proposed_action,
        invoice: if blank(&req.invoice) {
            None
        } else {
            req.invoice.as_deref().map(invoice_ref).transpose()?
        },
        amount: if blank(&req.amount) { None } else { req.amount },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_is_named_by_id_or_by_number() {
        assert!(matches!(invoice_ref("inv_42").unwrap(), InvoiceRef::Id(_)));
        assert!(
            matches!(invoice_ref(" INV-2024-0007 ").unwrap(), InvoiceRef::Number(n) if n == "INV-2024-0007")
        );
        assert!(
            invoice_ref("inv_a b").is_err(),
            "a malformed id is refused, not looked up as a number"
        );
    }
}
