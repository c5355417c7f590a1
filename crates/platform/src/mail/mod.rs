//! Email, the customer's channel: a tenant's SMTP channel ([`channel`], its password sealed like
//! a billing key), replies composed in the ticket's thread ([`compose`]) and delivered from a
//! queue in PostgreSQL that every platform instance works ([`sender`]); mail that comes in —
//! the customer writing, a bounce, an automatic reply — taken by [`inbound`].

pub mod channel;
pub mod compose;
pub mod inbound;
pub mod sender;

pub use sender::MailConfig;
