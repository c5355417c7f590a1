//! What the records' states read as, in the person's language: `Finalized`, `Partially
//! refunded`, `Pendiente`, never the raw `FINALIZED / PARTIALLY_REFUNDED`. One function per kind,
//! each an exhaustive match, so a new state cannot go unlabelled.

use countersign_model::records::{
    BillingPeriod, Channel, Delivery, DeliveryState, InvoiceStatus, PaymentMethod, PaymentStatus,
    SubscriptionStatus, TicketPriority, TicketStatus,
};
use countersign_model::workflow::{
    CitedKind, ClaimKind, DraftStatus, EscalationStatus, Execution, ExecutionReport,
    ProposedAction, Role, TokenScope,
};

pub fn ticket_status(s: TicketStatus) -> String {
    match s {
        TicketStatus::Open => tr!("ticket-status-open"),
        TicketStatus::Pending => tr!("ticket-status-pending"),
        TicketStatus::Solved => tr!("ticket-status-solved"),
        TicketStatus::Closed => tr!("ticket-status-closed"),
    }
}

pub fn priority(p: TicketPriority) -> String {
    match p {
        TicketPriority::Low => tr!("priority-low"),
        TicketPriority::Normal => tr!("priority-normal"),
        TicketPriority::High => tr!("priority-high"),
        TicketPriority::Urgent => tr!("priority-urgent"),
    }
}

pub fn channel(c: Channel) -> String {
    match c {
        Channel::Email => tr!("channel-email"),
        Channel::Chat => tr!("channel-chat"),
        Channel::Web => tr!("channel-web"),
        Channel::Phone => tr!("channel-phone"),
    }
}

pub fn invoice_status(s: InvoiceStatus) -> String {
    match s {
        InvoiceStatus::Draft => tr!("invoice-status-draft"),
        InvoiceStatus::Finalized => tr!("invoice-status-finalized"),
        InvoiceStatus::Voided => tr!("invoice-status-voided"),
        InvoiceStatus::Skipped => tr!("invoice-status-skipped"),
    }
}

pub fn payment_status(s: PaymentStatus) -> String {
    match s {
        PaymentStatus::Pending => tr!("payment-status-pending"),
        PaymentStatus::Processing => tr!("payment-status-processing"),
        PaymentStatus::Succeeded => tr!("payment-status-succeeded"),
        PaymentStatus::Failed => tr!("payment-status-failed"),
        PaymentStatus::Refunded => tr!("payment-status-refunded"),
        PaymentStatus::PartiallyRefunded => tr!("payment-status-partially-refunded"),
        PaymentStatus::Overpaid => tr!("payment-status-overpaid"),
        PaymentStatus::Voided => tr!("payment-status-voided"),
    }
}

pub fn subscription_status(s: SubscriptionStatus) -> String {
    match s {
        SubscriptionStatus::Active => tr!("subscription-status-active"),
        SubscriptionStatus::Trialing => tr!("subscription-status-trialing"),
        SubscriptionStatus::PastDue => tr!("subscription-status-past-due"),
        SubscriptionStatus::Paused => tr!("subscription-status-paused"),
        SubscriptionStatus::Cancelled => tr!("subscription-status-cancelled"),
    }
}

pub fn billing_period(p: BillingPeriod) -> String {
    match p {
        BillingPeriod::Monthly => tr!("billing-period-monthly"),
        BillingPeriod::Annual => tr!("billing-period-annual"),
    }
}

pub fn payment_method(m: PaymentMethod) -> String {
    match m {
        PaymentMethod::Card => tr!("payment-method-card"),
        PaymentMethod::SepaDebit => tr!("payment-method-sepa-debit"),
        PaymentMethod::BankTransfer => tr!("payment-method-bank-transfer"),
        PaymentMethod::Wallet => tr!("payment-method-wallet"),
    }
}

pub fn proposed_action(a: ProposedAction) -> String {
    match a {
        ProposedAction::Refund => tr!("action-refund"),
        ProposedAction::CreditNote => tr!("action-credit-note"),
        ProposedAction::VoidInvoice => tr!("action-void-invoice"),
        ProposedAction::WaiveFee => tr!("action-waive-fee"),
        ProposedAction::Other => tr!("action-other"),
    }
}

pub fn escalation_status(s: EscalationStatus) -> String {
    match s {
        EscalationStatus::Pending => tr!("escalation-status-pending"),
        EscalationStatus::Approved => tr!("escalation-status-approved"),
        EscalationStatus::Denied => tr!("escalation-status-denied"),
    }
}

/// What became of an approved escalation in the billing system.
pub fn execution(x: &ExecutionReport) -> String {
    let reason = x.error.clone().unwrap_or_default();
    match x.state {
        Execution::Unconnected => tr!("execution-unconnected"),
        Execution::Queued if x.error.is_some() => tr!("execution-retrying", reason = reason),
        Execution::Queued => tr!("execution-queued"),
        Execution::Executed => tr!(
            "execution-executed",
            reference = x.reference.clone().unwrap_or_default()
        ),
        Execution::Failed => tr!("execution-failed", reason = reason),
    }
}

/// A reply's way to the customer, as the platform reports it.
pub fn delivery(d: &Delivery) -> String {
    let reason = d.detail.clone().unwrap_or_default();
    match d.state {
        DeliveryState::Unconnected => tr!("delivery-unconnected"),
        DeliveryState::Queued if d.detail.is_some() => tr!("delivery-retrying", reason = reason),
        DeliveryState::Queued => tr!("delivery-queued"),
        DeliveryState::Sent => match reason.strip_prefix("unconfirmed: ") {
            Some(why) => tr!("delivery-sent-unconfirmed", reason = why.to_owned()),
            None => tr!("delivery-sent"),
        },
        DeliveryState::Failed => tr!("delivery-failed", reason = reason),
    }
}

pub fn draft_status(s: DraftStatus) -> String {
    match s {
        DraftStatus::PendingReview => tr!("draft-status-pending-review"),
        DraftStatus::Stale => tr!("draft-status-stale"),
        DraftStatus::Approved => tr!("draft-status-approved"),
        DraftStatus::Rejected => tr!("draft-status-rejected"),
    }
}

pub fn role(r: Role) -> String {
    match r {
        Role::Agent => tr!("role-agent"),
        Role::Supervisor => tr!("role-supervisor"),
    }
}

pub fn token_scope(s: TokenScope) -> String {
    match s {
        TokenScope::Read => tr!("token-scope-read"),
        TokenScope::Draft => tr!("token-scope-draft"),
    }
}

pub fn cited_kind(k: CitedKind) -> String {
    match k {
        CitedKind::Customer => tr!("cited-customer"),
        CitedKind::Invoice => tr!("cited-invoice"),
        CitedKind::Payment => tr!("cited-payment"),
        CitedKind::Message => tr!("cited-message"),
        CitedKind::KbArticle => tr!("cited-article"),
    }
}

pub fn claim_kind(k: ClaimKind) -> String {
    match k {
        ClaimKind::Amount => tr!("claim-amount"),
        ClaimKind::InvoiceNumber => tr!("claim-invoice-number"),
        ClaimKind::Date => tr!("claim-date"),
    }
}

/// What the drafter read a ticket as (`duplicate_charge` → "a duplicate charge"); an intent
/// this UI does not know yet reads as its name.
pub fn intent(name: &str) -> String {
    match name {
        "duplicate_charge" => tr!("intent-duplicate-charge"),
        "failed_payment" => tr!("intent-failed-payment"),
        "overdue" => tr!("intent-overdue"),
        "refund" => tr!("intent-refund"),
        "vat" => tr!("intent-vat"),
        "invoice_copy" => tr!("intent-invoice-copy"),
        "cancel" => tr!("intent-cancel"),
        "plan_change" => tr!("intent-plan-change"),
        "other" => tr!("intent-other"),
        other => other.replace('_', " "),
    }
}
