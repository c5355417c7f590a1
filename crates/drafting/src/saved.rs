//! Saved replies filled from a ticket's records: each variable of
//! [`countersign_model::saved_replies::VARIABLES`] takes its value from the ticket's context,
//! amounts and dates written the way the saved reply's language writes them. A variable the
//! records hold no value for stays as written and is reported, never guessed.

use crate::context::{Context, InvoiceFacts};
use crate::lang::{Lang, date_text, money_text};
use countersign_model::saved_replies::{FilledReply, placeholders};

/// The invoice a saved reply speaks of: the one the customer names, else their newest.
pub fn invoice_in_question(ctx: &Context) -> Option<&InvoiceFacts> {
    ctx.named_invoice().or_else(|| {
        ctx.invoices
            .iter()
            .max_by_key(|i| (i.issue_date, i.number.clone()))
    })
}

/// `template` (a saved reply written in `lang`) with the records of `ctx` filled in; `agent` is
/// the name of the person who inserts it.
pub fn fill(template: &str, lang: Lang, ctx: &Context, agent: &str) -> FilledReply {
    let invoice = invoice_in_question(ctx);
    let mut text = String::with_capacity(template.len() + 64);
    let mut missing: Vec<String> = Vec::new();
    let mut last = 0;
    for (range, name) in placeholders(template) {
        text.push_str(&template[last..range.start]);
        match value(name, lang, ctx, invoice, agent) {
            Some(v) => text.push_str(&v),
            None => {
                text.push_str(&template[range.clone()]);
                if !missing.iter().any(|m| m == name) {
                    missing.push(name.to_owned());
                }
            }
        }
        last = range.end;
    }
    text.push_str(&template[last..]);
    FilledReply { text, missing }
}

fn value(
    name: &str,
    lang: Lang,
    ctx: &Context,
    invoice: Option<&InvoiceFacts>,
    agent: &str,
) -> Option<String> {
    let known = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    match name {
        "customer.name" => known(&ctx.customer.name),
        "customer.first_name" => known(ctx.customer.first_name()),
        "customer.email" => known(&ctx.customer.email),
        "invoice.number" => invoice.map(|i| i.number.clone()),
        "invoice.total" => invoice.map(|i| money_text(lang, i.total)),
        "invoice.amount_due" => invoice.map(|i| money_text(lang, i.amount_due)),
        "invoice.due_date" => invoice.map(|i| date_text(lang, i.due_date)),
        "ticket.id" => known(&ctx.ticket.id),
        "ticket.subject" => known(&ctx.ticket.subject),
        "agent.name" => known(agent),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use countersign_model::saved_replies::VARIABLES;

    #[test]
    fn every_variable_is_filled_from_the_records() {
        let ctx = fixture::context();
        for name in VARIABLES {
            let filled = fill(&format!("{{{{{name}}}}}"), Lang::En, &ctx, "Sam");
            assert!(filled.missing.is_empty(), "{name} has no value");
            assert!(!filled.text.contains("{{"), "{name}: {}", filled.text);
        }
        let filled = fill(
            "Hi {{customer.first_name}}, invoice {{ invoice.number }} of {{invoice.total}} \
             was due {{invoice.due_date}}. {{agent.name}}",
            Lang::De,
            &ctx,
            "Sam",
        );
        assert_eq!(
            filled.text,
            "Hi Ada, invoice INV-2024-0042 of 49,90 € was due 15. März 2024. Sam"
        );
    }

    #[test]
    fn what_the_records_do_not_hold_stays_as_written_and_is_named() {
        let mut ctx = fixture::context();
        ctx.invoices.clear();
        let filled = fill(
            "{{invoice.number}} / {{invoice.total}} / {{invoice.number}} / {{nothing.here}} {{customer.name}}",
            Lang::En,
            &ctx,
            "",
        );
        assert_eq!(
            filled.text,
            "{{invoice.number}} / {{invoice.total}} / {{invoice.number}} / {{nothing.here}} Ada Lovelace"
        );
        assert_eq!(
            filled.missing,
            ["invoice.number", "invoice.total", "nothing.here"]
        );
    }

    #[test]
    fn the_invoice_is_the_one_named_else_the_newest() {
        let mut ctx = fixture::context();
        let mut newer = ctx.invoices[0].clone();
        newer.id = "inv_43".into();
        newer.number = "INV-2024-0043".into();
        newer.issue_date = newer.issue_date.succ_opt().unwrap();
        ctx.invoices.push(newer);
        assert_eq!(invoice_in_question(&ctx).unwrap().id, "inv_42");
        ctx.messages.clear();
        ctx.ticket.subject = "A question".into();
        assert_eq!(invoice_in_question(&ctx).unwrap().id, "inv_43");
    }
}
