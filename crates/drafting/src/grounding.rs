//! The grounding check: every amount, invoice number and date a draft states must match a
//! record of the ticket's context. Whoever wrote the draft (an assistant over MCP, a provider,
//! the offline drafter), what fails is reported claim by claim, never hidden.

use crate::context::Context;
use crate::mentions;
use countersign_model::workflow::{Claim, ClaimKind};

/// Checks what `body` states against `ctx`. Returns every claim found, in order: amounts, then
/// invoice numbers, then dates.
pub fn check(ctx: &Context, body: &str) -> Vec<Claim> {
    let found = mentions::find(body, &ctx.invoice_prefixes());
    let amounts = ctx.amounts();
    let dates = ctx.dates();
    let mut claims = Vec::new();
    for a in found.amounts {
        let grounded = amounts
            .iter()
            .any(|(_, _, m)| m.currency() == a.currency && m.to_decimal().normalize() == a.value);
        claims.push(Claim {
            kind: ClaimKind::Amount,
            text: a.text,
            grounded,
        });
    }
    for n in found.invoice_numbers {
        claims.push(Claim {
            kind: ClaimKind::InvoiceNumber,
            grounded: ctx.invoice_by_number(&n).is_some(),
            text: n,
        });
    }
    for d in found.dates {
        let grounded = d
            .readings
            .iter()
            .any(|r| dates.iter().any(|(_, _, known)| known == r));
        claims.push(Claim {
            kind: ClaimKind::Date,
            text: d.text,
            grounded,
        });
    }
    claims
}

/// Whether every claim is backed by a record.
pub fn holds(claims: &[Claim]) -> bool {
    claims.iter().all(|c| c.grounded)
}

/// The confidence a draft whose claims do not all hold is filed with, at most.
pub const UNGROUNDED_CONFIDENCE: f64 = 0.2;
