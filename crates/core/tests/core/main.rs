//! Integration tests of the desk: one binary, a fresh temp database per test.

mod audit_chain;
mod bad_input;
mod desk_views;
mod drafting;
mod drafting_refunds;
mod drafts;
mod escalations;
mod inbox;
mod merge;
mod one_statement_reads;
mod providers;
mod reads;
mod replies;
mod saved_replies;
mod support;
mod ticket_actions;
mod tokens;
