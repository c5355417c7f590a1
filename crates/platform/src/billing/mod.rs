//! The billing system, both ways: an approved money action executed there exactly once
//! ([`executor`]), through a tenant's connector ([`connector`], its key sealed by
//! [`secrets`]) to FlexPrice ([`flexprice`]).

pub mod connector;
pub mod executor;
pub mod flexprice;
pub mod secrets;

pub use executor::ExecutorConfig;
pub use secrets::SecretsKey;
