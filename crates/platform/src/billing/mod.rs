//! The billing system, both ways: an approved money action executed there exactly once
//! ([`executor`]), through a tenant's connector ([`connector`], its key sealed by
//! [`secrets`]) to FlexPrice ([`flexprice`]); and FlexPrice's changes taken in through its
//! signed webhooks ([`webhooks`], [`svix`], [`objects`]).

pub mod backfill;
pub mod connector;
pub mod executor;
pub mod flexprice;
pub mod objects;
pub mod secrets;
pub mod svix;
pub mod webhooks;

pub use executor::ExecutorConfig;
pub use secrets::SecretsKey;
