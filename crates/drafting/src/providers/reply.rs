//! The model's answer read strictly into a [`Generated`] proposal: one JSON object (code fences
//! or a sentence around it are tolerated, nothing else), a non-empty reply, citations of known
//! kinds, a confidence clamped into `[0, 1]`, and an escalation whose amount is parsed exactly in
//! the currency of the invoice it names, which must be one of the context's. Anything else is
//! [`ProviderError::Malformed`], so core falls back rather than files a guess.

use super::Generated;
use super::error::{ProviderError, excerpt};
use crate::context::Context;
use crate::offline::SuggestedEscalation;
use countersign_model::Money;
use countersign_model::workflow::{CitedKind, ProposedAction};
use serde::Deserialize;

/// The confidence of an answer that states none.
const DEFAULT_CONFIDENCE: f64 = 0.5;

/// What a provider answered, before it is read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Answer {
    /// The model's text.
    pub text: String,
    /// The model stopped at the token limit, so the text may be incomplete.
    pub cut_off: bool,
    pub input_tokens: Option<i64>,
    pub output_tokens: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct Wire {
    reply: String,
    #[serde(default)]
    citations: Option<Vec<WireCitation>>,
    #[serde(default)]
    confidence: Option<f64>,
    #[serde(default)]
    escalation: Option<WireEscalation>,
}

#[derive(Debug, Deserialize)]
struct WireCitation {
    kind: String,
    id: String,
}

#[derive(Debug, Deserialize)]
struct WireEscalation {
    action: String,
    invoice_id: String,
    /// A decimal string such as `"12.50"`; a JSON number is refused (money is never a float).
    amount: String,
    reason: String,
}

/// Reads `answer` into a proposal for the ticket in `ctx`. Tokens are left for the caller.
pub(crate) fn parse(answer: &Answer, ctx: &Context) -> Result<Generated, ProviderError> {
    let malformed = |why: String| ProviderError::Malformed(why);
    let json = json_object(&answer.text);
    let wire: Wire = serde_json::from_str(json).map_err(|e| {
        if answer.cut_off {
            malformed(format!(
                "the answer was cut off at the token limit: {}",
                excerpt(&answer.text)
            ))
        } else if answer.text.trim().is_empty() {
            malformed("the answer is empty".into())
        } else {
            malformed(format!(
                "not the JSON object asked for ({e}): {}",
                excerpt(&answer.text)
            ))
        }
    })?;
    let body = wire.reply.trim();
    if body.is_empty() {
        return Err(malformed("the reply is empty".into()));
    }
    let mut citations: Vec<(CitedKind, String)> = Vec::new();
    for c in wire.citations.unwrap_or_default() {
        let kind = CitedKind::parse(&c.kind.trim().to_ascii_lowercase())
            .map_err(|_| malformed(format!("a citation has an unknown kind {:?}", c.kind)))?;
        let id = c.id.trim().to_owned();
        if id.is_empty() {
            return Err(malformed(format!("a {kind} citation has no id")));
        }
        if !citations.iter().any(|(k, i)| *k == kind && *i == id) {
            citations.push((kind, id));
        }
    }
    let escalation = match wire.escalation {
        Some(e) => Some(escalation(e, ctx)?),
        None => None,
    };
    Ok(Generated {
        body: body.to_owned(),
        citations,
        confidence: wire
            .confidence
            .unwrap_or(DEFAULT_CONFIDENCE)
            .clamp(0.0, 1.0),
        escalation,
        input_tokens: None,
        output_tokens: None,
    })
}

fn escalation(e: WireEscalation, ctx: &Context) -> Result<SuggestedEscalation, ProviderError> {
    let malformed = |why: String| ProviderError::Malformed(why);
    let action = ProposedAction::parse(&e.action.trim().to_ascii_lowercase()).map_err(|_| {
        malformed(format!(
            "the escalation has an unknown action {:?}",
            e.action
        ))
    })?;
    let invoice_id = e.invoice_id.trim();
    let invoice = ctx.invoice(invoice_id).ok_or_else(|| {
        malformed(format!(
            "the escalation cites an invoice not in the context ({invoice_id:?})"
        ))
    })?;
    let currency = invoice.total.currency();
    let amount = Money::parse(&e.amount, currency)
        .map_err(|err| malformed(format!("the escalation's amount is not valid: {err}")))?;
    if amount.is_negative() || (action.moves_money() && amount.minor() == 0) {
        return Err(malformed(format!(
            "the escalation's amount {} {currency} is not a positive amount",
            amount.amount_string()
        )));
    }
    let reason = e.reason.trim();
    if reason.is_empty() {
        return Err(malformed("the escalation gives no reason".into()));
    }
    // What the desk will accept when a person approves: a refund up to what was paid and not
    // refunded, a credit note up to the total; a refund or credit the invoice cannot carry is
    // not a proposal a person could approve.
    let ceiling = match action {
        ProposedAction::Refund => crate::context::refundable(invoice.amount_paid, invoice.refunded),
        ProposedAction::CreditNote | ProposedAction::WaiveFee => Some(invoice.total),
        _ => None,
    };
    if let Some(max) = ceiling
        && amount.minor() > max.minor()
    {
        return Err(malformed(format!(
            "the escalation asks for {} {currency}, more than invoice {} allows ({} {currency})",
            amount.amount_string(),
            invoice.number,
            max.amount_string()
        )));
    }
    Ok(SuggestedEscalation {
        action,
        invoice_id: invoice.id.clone(),
        amount,
        reason: reason.to_owned(),
    })
}

/// The JSON object in `text`: without Markdown code fences, and without a sentence before or
/// after it.
fn json_object(text: &str) -> &str {
    let mut t = text.trim();
    if let Some(rest) = t.strip_prefix("```") {
        let rest = rest.strip_prefix("json").unwrap_or(rest);
        t = rest.strip_suffix("```").unwrap_or(rest).trim();
    }
    if !t.starts_with('{')
        && let (Some(start), Some(end)) = (t.find('{'), t.rfind('}'))
        && start < end
    {
        t = &t[start..=end];
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn read(text: &str) -> Result<Generated, ProviderError> {
        let answer = Answer {
            text: text.into(),
            ..Answer::default()
        };
        parse(&answer, &fixture::context())
    }

    fn malformed(text: &str) -> String {
        match read(text) {
            Err(ProviderError::Malformed(m)) => m,
            other => panic!("{text} should be malformed, got {other:?}"),
        }
    }

    #[test]
    fn a_full_answer_is_read_exactly() {
        let g = read(
            "```json\n{\"reply\":\" Hi Ada \",\"citations\":[{\"kind\":\"invoice\",\"id\":\"inv_42\"},\
             {\"kind\":\"payment\",\"id\":\"pay_2\"},{\"kind\":\"invoice\",\"id\":\"inv_42\"}],\
             \"confidence\":1.7,\"escalation\":{\"action\":\"refund\",\"invoice_id\":\"inv_42\",\
             \"amount\":\"49.90\",\"reason\":\"charged twice\"}}\n```",
        )
        .unwrap();
        assert_eq!(g.body, "Hi Ada");
        assert_eq!(
            g.citations,
            vec![
                (CitedKind::Invoice, "inv_42".to_owned()),
                (CitedKind::Payment, "pay_2".to_owned())
            ],
            "citations are kept once each, in order"
        );
        assert_eq!(g.confidence, 1.0, "confidence is clamped");
        let e = g.escalation.unwrap();
        assert_eq!(e.action, ProposedAction::Refund);
        assert_eq!(
            (e.amount.minor(), e.amount.currency().as_str()),
            (4990, "EUR")
        );
    }

    #[test]
    fn optional_fields_take_their_defaults() {
        let g = read("Here it is: {\"reply\":\"Hello\",\"escalation\":null} Thanks").unwrap();
        assert_eq!(
            (g.confidence, g.citations.len(), g.escalation),
            (0.5, 0, None)
        );
    }

    #[test]
    fn anything_else_is_malformed() {
        assert!(malformed("I cannot answer that.").contains("I cannot answer that."));
        assert!(malformed("{\"reply\":\"  \"}").contains("empty"));
        assert!(
            malformed("{\"reply\":\"x\",\"citations\":[{\"kind\":\"ticket\",\"id\":\"t\"}]}")
                .contains("\"ticket\"")
        );
        let esc = |inv: &str, amount: &str| {
            format!(
                "{{\"reply\":\"x\",\"escalation\":{{\"action\":\"refund\",\"invoice_id\":\"{inv}\",\"amount\":{amount},\"reason\":\"r\"}}}}"
            )
        };
        assert!(malformed(&esc("inv_9", "\"1.00\"")).contains("not in the context"));
        assert!(
            malformed(&esc("inv_42", "49.9")).contains("expected a string"),
            "a float amount is refused"
        );
        assert!(malformed(&esc("inv_42", "\"49.901\"")).contains("amount"));
        assert!(malformed(&esc("inv_42", "\"-1.00\"")).contains("positive"));
        // Invoice inv_42 was paid 49.90 and not refunded: a refund above that cannot be
        // approved, so it is not a proposal (review finding: the approval used to fail).
        assert!(malformed(&esc("inv_42", "\"49.91\"")).contains("more than invoice"));
        assert!(malformed("{\"reply\":\"x\",\"escalation\":{\"action\":\"teleport\",\"invoice_id\":\"inv_42\",\"amount\":\"1.00\",\"reason\":\"r\"}}").contains("teleport"));
        let cut = Answer {
            text: "{\"reply\":\"Hel".into(),
            cut_off: true,
            ..Answer::default()
        };
        assert!(
            matches!(parse(&cut, &fixture::context()), Err(ProviderError::Malformed(m)) if m.contains("cut off"))
        );
    }
}
