//! Fake AI providers for tests (feature `testing`): real HTTP servers on 127.0.0.1 answering as
//! the OpenAI-compatible and Anthropic APIs do, success and error bodies alike, scripted request
//! by request. This crate's tests, the desk's and the end-to-end tests all use these.

pub mod fake;
pub mod flavor;
