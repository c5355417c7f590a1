//! The drafting engine: a ticket's context in, a grounded proposal out. It recognises what a
//! customer asks for in English, Spanish, French or German, writes the offline drafter's reply
//! from the records' exact figures, and checks any draft's figures against the records (the
//! grounding check every draft passes before it is filed).
//!
//! It must not touch a database, the keyring or the network's secrets: the desk (`core`) builds
//! the [`Context`] from its cache and files what comes out through its one `propose` path.

pub mod context;
pub mod grounding;
pub mod intent;
pub mod lang;
pub mod mentions;
pub mod offline;

pub use context::Context;
pub use intent::Intent;
pub use lang::Lang;
pub use offline::{Proposal, SuggestedEscalation};
