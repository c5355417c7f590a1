//! Integration tests of the desk: one binary, a fresh temp database per test.

mod audit_chain;
mod bad_input;
mod drafts;
mod escalations;
mod reads;
mod replies;
mod support;
mod tokens;
