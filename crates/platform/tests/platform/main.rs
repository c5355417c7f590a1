//! Integration tests of the platform against a real PostgreSQL: one binary, a fresh database per
//! test, the app served in-process on a loopback port and called over HTTP.
//!
//! With `COUNTERSIGN_TEST_DATABASE_URL` unset, the first test starts a throwaway cluster (see
//! `support::cluster`) that a watchdog stops when this process exits, however it exits.

mod attachments;
mod attacks;
mod bad_input;
mod billing;
mod email;
mod email_in;
mod events;
mod feed;
mod hooks;
mod import;
mod ingest;
mod isolation;
mod me_admin;
mod merge;
mod mutations;
mod openapi;
mod policy;
mod presence;
mod saved_replies;
mod sla;
mod support;
mod ticket_fields;
mod typed;
mod webhooks;
