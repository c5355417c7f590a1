//! Record ids. Each is a newtype built by parsing: a prefix that names the record kind, then
//! 1–60 characters of `[A-Za-z0-9_-]`. A malformed id cannot reach the store.

use crate::ParseError;
use std::fmt;
use std::str::FromStr;

/// The longest id accepted, prefix included.
pub const MAX_ID_LEN: usize = 64;

fn check_id(what: &'static str, prefix: &str, s: &str) -> Result<(), ParseError> {
    let Some(rest) = s.strip_prefix(prefix) else {
        return Err(ParseError::new(
            what,
            format!("expected an id starting with `{prefix}`"),
        ));
    };
    if rest.is_empty() || s.len() > MAX_ID_LEN {
        return Err(ParseError::new(
            what,
            format!(
                "expected `{prefix}` and 1 to {} characters",
                MAX_ID_LEN - prefix.len()
            ),
        ));
    }
    if !rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(ParseError::new(
            what,
            "only letters, digits, `_` and `-` are allowed",
        ));
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(try_from = "String", into = "String")]
        #[schemars(with = "String")]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            /// Parses an id; `Err` says what is wrong with it.
            pub fn parse(s: &str) -> Result<Self, ParseError> {
                check_id($what, $prefix, s)?;
                Ok(Self(s.to_owned()))
            }

            /// Builds the id `{prefix}{suffix}`; the suffix must be a valid id tail.
            pub fn from_suffix(suffix: impl fmt::Display) -> Self {
                let id = format!("{}{}", $prefix, suffix);
                debug_assert!(check_id($what, $prefix, &id).is_ok(), "bad id {id}");
                Self(id)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                check_id($what, $prefix, &s)?;
                Ok(Self(s))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(/// A customer (`cus_…`).
    CustomerId, "cus_", "customer_id");
id_type!(/// An invoice (`inv_…`); not its human-facing invoice number.
    InvoiceId, "inv_", "invoice_id");
id_type!(/// A subscription (`sub_…`).
    SubscriptionId, "sub_", "subscription_id");
id_type!(/// A payment attempt (`pay_…`).
    PaymentId, "pay_", "payment_id");
id_type!(/// A prepaid wallet (`wal_…`).
    WalletId, "wal_", "wallet_id");
id_type!(/// A support ticket (`tkt_…`).
    TicketId, "tkt_", "ticket_id");
id_type!(/// One message of a ticket's thread (`msg_…`).
    MessageId, "msg_", "message_id");
id_type!(/// A knowledge-base article (`kb_…`).
    ArticleId, "kb_", "article_id");
id_type!(/// An AI-proposed reply awaiting review (`dft_…`).
    DraftId, "dft_", "draft_id");
id_type!(/// A request for a supervisor's decision (`esc_…`).
    EscalationId, "esc_", "escalation_id");
id_type!(/// An MCP client token (`tok_…`); the id, never the secret.
    TokenId, "tok_", "token_id");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_only_with_their_prefix_and_safe_characters() {
        assert!(CustomerId::parse("cus_00042").is_ok());
        assert!(CustomerId::parse("inv_00042").is_err(), "wrong prefix");
        assert!(CustomerId::parse("cus_").is_err(), "empty tail");
        assert!(
            CustomerId::parse("cus_a'b").is_err(),
            "quote is not allowed"
        );
        assert!(
            CustomerId::parse("cus_a b").is_err(),
            "space is not allowed"
        );
        assert!(
            CustomerId::parse(&format!("cus_{}", "x".repeat(61))).is_err(),
            "too long"
        );
        assert!(CustomerId::parse(&format!("cus_{}", "x".repeat(60))).is_ok());
    }

    #[test]
    fn ids_deserialize_through_the_parser() {
        let bad: Result<TicketId, _> = serde_json::from_str("\"tkt_; DROP TABLE\"");
        assert!(bad.is_err(), "serde must reject what the parser rejects");
        let good: TicketId = serde_json::from_str("\"tkt_9\"").unwrap();
        assert_eq!(good.as_str(), "tkt_9");
    }
}
