//! The rules an escalation is raised and decided by: the one place both the desk (which tells
//! the person at once, offline too) and the platform (the authority, which re-checks every
//! mutation) take them from.

use crate::money::{Currency, Money};
use crate::problem::Problem;
use crate::workflow::{Decision, ProposedAction, Role};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// A tenant's rules for who approves what: set on the platform, carried to every desk by the
/// feed, applied by both ([`may_approve`]). Amounts are decimal strings per ISO currency.
///
/// Read leniently (a desk older than its platform ignores what it does not know yet); an
/// operator's policy is read with [`Policy::from_operator`], which refuses unknown fields.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Policy {
    /// Per role (`agent`, `supervisor`), per money action (`refund`, `credit_note`, `waive_fee`),
    /// the most that role approves, per currency: `{"agent": {"refund": {"EUR": "50.00"}}}`. An
    /// agent approves only what a cap here allows (their own escalations too: the cap is the
    /// tenant's consent to that); a supervisor without a cap for it approves any amount.
    #[serde(default)]
    pub caps: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    /// Above this amount (per currency), two different supervisors approve before anything is
    /// executed.
    #[serde(default)]
    pub two_person_above: BTreeMap<String, String>,
    /// Whether a supervisor may approve a money escalation they raised themselves (default: no;
    /// two people see every money movement).
    #[serde(default)]
    pub self_approval: bool,
}

/// What an approval amounts to under the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// Decided: it is approved.
    Final,
    /// The first of two: it waits for another supervisor's.
    FirstOfTwo,
}

impl Policy {
    /// An operator's policy: only the fields there are (a misspelt one is a mistake, not a
    /// field to ignore), each checked ([`Self::check`]).
    pub fn from_operator(v: &serde_json::Value) -> Result<Self, String> {
        const FIELDS: [&str; 3] = ["caps", "two_person_above", "self_approval"];
        let o = v.as_object().ok_or("a policy is a JSON object")?;
        if let Some(unknown) = o.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(format!(
                "unknown field `{unknown}`; a policy has {}",
                FIELDS.join(", ")
            ));
        }
        let p: Self = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
        p.check()?;
        Ok(p)
    }

    /// Every key and amount checked: known roles, money actions and currencies, positive amounts.
    pub fn check(&self) -> Result<(), String> {
        for (role, actions) in &self.caps {
            Role::parse(role).map_err(|e| format!("caps: {e}"))?;
            for (action, amounts) in actions {
                let a = ProposedAction::parse(action).map_err(|e| format!("caps.{role}: {e}"))?;
                if !a.moves_money() {
                    return Err(format!(
                        "caps.{role}.{action}: only money actions (refund, credit_note, waive_fee) have caps"
                    ));
                }
                check_amounts(&format!("caps.{role}.{action}"), amounts)?;
            }
        }
        check_amounts("two_person_above", &self.two_person_above)
    }

    /// The most `role` approves of `action` in `currency`, if the policy says.
    pub fn cap(&self, role: Role, action: ProposedAction, currency: Currency) -> Option<Money> {
        amount_in(
            self.caps.get(role.as_str())?.get(action.as_str())?,
            currency,
        )
    }

    /// The amount above which two supervisors approve, in `currency`, if the policy says.
    pub fn two_person_threshold(&self, currency: Currency) -> Option<Money> {
        amount_in(&self.two_person_above, currency)
    }
}

fn check_amounts(what: &str, amounts: &BTreeMap<String, String>) -> Result<(), String> {
    for (currency, amount) in amounts {
        let c = Currency::parse(currency).map_err(|e| format!("{what}: {e}"))?;
        let m = Money::parse(amount, c).map_err(|e| format!("{what}.{currency}: {e}"))?;
        if m.minor() <= 0 {
            return Err(format!(
                "{what}.{currency} must be positive, got {amount:?}"
            ));
        }
    }
    Ok(())
}

fn amount_in(amounts: &BTreeMap<String, String>, currency: Currency) -> Option<Money> {
    amounts
        .iter()
        .find(|(c, _)| Currency::parse(c).ok() == Some(currency))
        .and_then(|(_, a)| Money::parse(a, currency).ok())
}

/// Whether a person may approve an escalation of `action` for `amount` under `policy`: their
/// `role` and agent id `me`, whether they raised it, and `first`, the agent id of the first
/// approval it already has. The one rule desks (offline too) and the platform approve by.
pub fn may_approve(
    policy: &Policy,
    role: Role,
    me: &str,
    raised_by_me: bool,
    action: ProposedAction,
    amount: Option<Money>,
    first: Option<&str>,
) -> Result<Approval, Problem> {
    // An agent's cap is the tenant's consent to small money movements by one person; above it,
    // a supervisor approves, and not one they raised unless the tenant allows it.
    if role == Role::Supervisor && action.moves_money() && raised_by_me && !policy.self_approval {
        return Err(Problem::ApproveOwn { action });
    }
    let two_person = amount.filter(|a| {
        policy
            .two_person_threshold(a.currency())
            .is_some_and(|t| a.minor() > t.minor())
    });
    match role {
        Role::Agent => {
            let cap = amount.and_then(|a| policy.cap(Role::Agent, action, a.currency()));
            let within = matches!((amount, cap), (Some(a), Some(c)) if a.minor() <= c.minor());
            if !action.moves_money() || !within || two_person.is_some() {
                return Err(Problem::SupervisorOnly {
                    decision: Decision::Approve,
                    action,
                    amount,
                    cap,
                });
            }
        }
        Role::Supervisor => {
            if let Some(a) = amount
                && let Some(cap) = policy.cap(Role::Supervisor, action, a.currency())
                && a.minor() > cap.minor()
            {
                return Err(Problem::OverCap {
                    action,
                    amount: a,
                    cap,
                });
            }
        }
    }
    match (two_person, first) {
        (None, _) => Ok(Approval::Final),
        (Some(_), None) => Ok(Approval::FirstOfTwo),
        (Some(amount), Some(f)) if f == me => Err(Problem::SecondApprover { action, amount }),
        (Some(_), Some(_)) => Ok(Approval::Final),
    }
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
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::parse("EUR").unwrap())
    }

    fn policy() -> Policy {
        serde_json::from_value(serde_json::json!({
            "caps": {"agent": {"refund": {"EUR": "50.00"}}, "supervisor": {"refund": {"EUR": "5000"}}},
            "two_person_above": {"EUR": "500.00"}
        }))
        .unwrap()
    }

    use ProposedAction::{Refund, VoidInvoice};
    use Role::{Agent, Supervisor};

    #[test]
    fn an_agent_approves_within_their_cap_and_no_further() {
        let p = policy();
        assert_eq!(
            may_approve(&p, Agent, "a1", false, Refund, Some(eur(5000)), None),
            Ok(Approval::Final)
        );
        assert!(matches!(
            may_approve(&p, Agent, "a1", false, Refund, Some(eur(5001)), None),
            Err(Problem::SupervisorOnly { cap: Some(c), .. }) if c == eur(5000)
        ));
        // No cap for credit notes in EUR, none for USD, and never a void.
        assert!(
            may_approve(
                &p,
                Agent,
                "a1",
                false,
                ProposedAction::CreditNote,
                Some(eur(100)),
                None
            )
            .is_err()
        );
        let usd = Money::from_minor(100, Currency::parse("USD").unwrap());
        assert!(may_approve(&p, Agent, "a1", false, Refund, Some(usd), None).is_err());
        assert!(may_approve(&p, Agent, "a1", false, VoidInvoice, None, None).is_err());
        // Their own too: the cap is the tenant's consent to one-person refunds that small.
        assert_eq!(
            may_approve(&p, Agent, "a1", true, Refund, Some(eur(5000)), None),
            Ok(Approval::Final)
        );
        // With no policy at all an agent approves nothing.
        assert!(
            may_approve(
                &Policy::default(),
                Agent,
                "a1",
                false,
                Refund,
                Some(eur(1)),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn above_the_threshold_two_different_supervisors_approve() {
        let p = policy();
        assert_eq!(
            may_approve(&p, Supervisor, "s1", false, Refund, Some(eur(50000)), None),
            Ok(Approval::Final)
        );
        assert_eq!(
            may_approve(&p, Supervisor, "s1", false, Refund, Some(eur(50001)), None),
            Ok(Approval::FirstOfTwo)
        );
        assert_eq!(
            may_approve(
                &p,
                Supervisor,
                "s1",
                false,
                Refund,
                Some(eur(50001)),
                Some("s1")
            ),
            Err(Problem::SecondApprover {
                action: Refund,
                amount: eur(50001)
            })
        );
        assert_eq!(
            may_approve(
                &p,
                Supervisor,
                "s2",
                false,
                Refund,
                Some(eur(50001)),
                Some("s1")
            ),
            Ok(Approval::Final)
        );
        // Above the supervisor's own cap nobody approves it.
        assert!(matches!(
            may_approve(
                &p,
                Supervisor,
                "s2",
                false,
                Refund,
                Some(eur(500001)),
                Some("s1")
            ),
            Err(Problem::OverCap { .. })
        ));
    }

    #[test]
    fn approving_ones_own_money_escalation_is_the_tenant_s_choice_default_no() {
        let mut p = policy();
        assert_eq!(
            may_approve(&p, Supervisor, "s1", true, Refund, Some(eur(100)), None),
            Err(Problem::ApproveOwn { action: Refund })
        );
        assert_eq!(
            may_approve(&p, Supervisor, "s1", true, VoidInvoice, None, None),
            Ok(Approval::Final)
        );
        p.self_approval = true;
        assert_eq!(
            may_approve(&p, Supervisor, "s1", true, Refund, Some(eur(100)), None),
            Ok(Approval::Final)
        );
    }

    #[test]
    fn a_policy_is_checked_before_it_is_taken() {
        assert_eq!(policy().check(), Ok(()));
        for bad in [
            serde_json::json!({"caps": {"manager": {"refund": {"EUR": "1"}}}}),
            serde_json::json!({"caps": {"agent": {"void_invoice": {"EUR": "1"}}}}),
            serde_json::json!({"caps": {"agent": {"refund": {"XXX": "1"}}}}),
            serde_json::json!({"caps": {"agent": {"refund": {"EUR": "-1"}}}}),
            serde_json::json!({"two_person_above": {"EUR": "1.234"}}),
        ] {
            let p: Policy = serde_json::from_value(bad.clone()).unwrap();
            assert!(p.check().is_err(), "{bad}");
        }
        assert!(
            Policy::from_operator(&serde_json::json!({"cap": {}})).is_err(),
            "an operator's typo is refused"
        );
        assert!(
            serde_json::from_value::<Policy>(serde_json::json!({"caps": {}, "added_later": 1}))
                .is_ok(),
            "a desk reads a newer platform's policy"
        );
    }
}
