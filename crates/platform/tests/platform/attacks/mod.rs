//! Holes found by attacking the platform over raw HTTP, each kept as the attack that found it
//! (issue "Holes found by attack", items 2, 4 and 11–15).

mod escalations;
mod feed;
mod ingest;
mod mutations;

use serde_json::{Value, json};

fn note(seq: i64, id: &str, ticket: &str, body: &str) -> Value {
    json!({"seq": seq, "id": id, "kind": "add_note",
           "payload": {"ticket_id": ticket, "message_id": format!("msg_{id}"), "body": body,
                       "author": "Alex", "author_kind": "agent"}})
}
