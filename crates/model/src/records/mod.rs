//! The records a desk caches from the support platform, shaped after FlexPrice's public billing
//! API (customers, invoices with line items, payments, subscriptions, wallets) and a help desk's
//! tickets and messages. Every synced record carries its `version`.

use crate::ids::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares a closed set of lower- or upper-case string values with parse/as_str.
#[macro_export]
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            pub fn parse(s: &str) -> Result<Self, $crate::ParseError> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::ParseError::new(
                        stringify!($name),
                        format!("expected one of {}, got {s:?}", [$($text),+].join(", ")),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }
    };
}

string_enum!(CustomerStatus { Active = "active", Archived = "archived" });
string_enum!(InvoiceStatus { Draft = "DRAFT", Finalized = "FINALIZED", Voided = "VOIDED", Skipped = "SKIPPED" });
string_enum!(PaymentStatus {
    Pending = "PENDING", Processing = "PROCESSING", Succeeded = "SUCCEEDED", Failed = "FAILED",
    Refunded = "REFUNDED", PartiallyRefunded = "PARTIALLY_REFUNDED", Overpaid = "OVERPAID", Voided = "VOIDED",
});
string_enum!(InvoiceType { Subscription = "SUBSCRIPTION", OneOff = "ONE_OFF", Credit = "CREDIT" });
string_enum!(BillingReason {
    SubscriptionCreate = "SUBSCRIPTION_CREATE", SubscriptionCycle = "SUBSCRIPTION_CYCLE",
    SubscriptionUpdate = "SUBSCRIPTION_UPDATE", Manual = "MANUAL",
});
string_enum!(SubscriptionStatus {
    Active = "active", Trialing = "trialing", PastDue = "past_due", Paused = "paused", Cancelled = "cancelled",
});
string_enum!(BillingPeriod { Monthly = "monthly", Annual = "annual" });
string_enum!(PaymentMethod { Card = "card", SepaDebit = "sepa_debit", BankTransfer = "bank_transfer", Wallet = "wallet" });
string_enum!(TicketStatus { Open = "open", Pending = "pending", Solved = "solved", Closed = "closed" });
string_enum!(TicketPriority { Low = "low", Normal = "normal", High = "high", Urgent = "urgent" });

impl TicketStatus {
    /// Whether a person may move a ticket from this status to `next`: open, pending (waiting on
    /// the customer) and solved move among themselves (solved → open reopens); only a solved
    /// ticket closes; a closed ticket is final (a customer writing again starts a new one).
    /// The one rule the desk checks before queueing a change and the platform before applying it.
    pub fn may_become(self, next: TicketStatus) -> bool {
        use TicketStatus::*;
        match (self, next) {
            (a, b) if a == b => false,
            (Closed, _) => false,
            (Solved, Closed) => true,
            (_, Closed) => false,
            _ => true,
        }
    }
}
string_enum!(Channel { Email = "email", Chat = "chat", Web = "web", Phone = "phone" });
string_enum!(AuthorKind { Customer = "customer", Agent = "agent", Ai = "ai", System = "system" });
string_enum!(Visibility { Public = "public", Internal = "internal" });
string_enum!(DeliveryState { Unconnected = "unconnected", Queued = "queued", Sent = "sent", Failed = "failed" });

mod billing;
mod support;

pub use billing::*;
pub use support::*;

/// One page of a list; pass `next_cursor` back as `cursor` for the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::TicketStatus::{self, *};

    #[test]
    fn a_ticket_moves_open_pending_solved_then_closes_and_closed_is_final() {
        let may = |a: TicketStatus, b: TicketStatus| a.may_become(b);
        for (a, b) in [
            (Open, Pending),
            (Pending, Open),
            (Open, Solved),
            (Pending, Solved),
            (Solved, Open),
            (Solved, Pending),
            (Solved, Closed),
        ] {
            assert!(may(a, b), "{a} → {b}");
        }
        for (a, b) in [
            (Open, Closed),
            (Pending, Closed),
            (Closed, Open),
            (Closed, Solved),
        ] {
            assert!(!may(a, b), "{a} → {b} must be refused");
        }
        for s in TicketStatus::ALL {
            assert!(!may(*s, *s), "{s} → {s} changes nothing");
        }
    }
}
