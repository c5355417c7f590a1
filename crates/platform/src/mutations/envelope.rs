//! A mutation's envelope, checked before anything is claimed or stored: bounded keys, bounded
//! text, no NUL anywhere (PostgreSQL cannot store one in text, and one such mutation must not
//! block the batch it came in), and the request's fingerprint that ties its id to it.

use super::MAX_KEY_LEN;
use super::effects::MAX_BODY_CHARS;
use countersign_model::sync::Mutation;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The payload fields that hold prose (a reply, a reason, a note): up to [`MAX_BODY_CHARS`].
const PROSE_FIELDS: [&str; 3] = ["body", "reason", "note"];
/// Every other text in a payload (ids, names, codes): at most this many characters.
pub const MAX_FIELD_CHARS: usize = 500;
/// The most records a mutation may cite in `based_on`.
pub const MAX_BASED_ON: usize = 64;

/// Why the mutation is refused before it is looked at, if it is.
pub fn check(m: &Mutation) -> Result<(), String> {
    if m.id.is_empty() || m.id.len() > MAX_KEY_LEN || m.id.chars().any(char::is_control) {
        return Err(format!(
            "a mutation id must be 1 to {MAX_KEY_LEN} characters, without control characters"
        ));
    }
    if m.kind.len() > 64 || m.kind.contains('\0') {
        return Err("kind is not a mutation kind".into());
    }
    if m.based_on.len() > MAX_BASED_ON {
        return Err(format!(
            "based_on cites {} records; at most {MAX_BASED_ON}",
            m.based_on.len()
        ));
    }
    if let Some(key) = m
        .based_on
        .keys()
        .find(|k| k.is_empty() || k.len() > 200 || k.contains('\0'))
    {
        return Err(format!(
            "based_on key {:?} must be 1 to 200 characters, without NUL",
            key.replace('\0', "\\0")
        ));
    }
    match &m.payload {
        Value::Object(fields) => fields.iter().try_for_each(|(name, value)| {
            let max = if PROSE_FIELDS.contains(&name.as_str()) {
                MAX_BODY_CHARS
            } else {
                MAX_FIELD_CHARS
            };
            check_value(name, value, max)
        }),
        _ => Err("payload must be a JSON object".into()),
    }
}

/// Every string (and key) in `v`: no NUL, at most `max` characters.
fn check_value(field: &str, v: &Value, max: usize) -> Result<(), String> {
    match v {
        Value::String(s) => {
            if s.contains('\0') {
                return Err(format!("payload field {field} contains a NUL character"));
            }
            // Bytes bound characters from above: count them only when it could matter.
            if s.len() > max && s.chars().count() > max {
                return Err(format!(
                    "payload field {field} is longer than {max} characters"
                ));
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(|i| check_value(field, i, max)),
        Value::Object(o) => o.iter().try_for_each(|(k, i)| {
            if k.contains('\0') || k.len() > MAX_FIELD_CHARS {
                return Err(format!("payload field {field} has an unacceptable key"));
            }
            check_value(field, i, MAX_FIELD_CHARS)
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

/// The SHA-256 (hex) of what the mutation asks for — its kind, payload and `based_on` as
/// canonical JSON (object keys sorted) — so a resent id can be told from a reused one.
pub fn request_sha256(m: &Mutation) -> String {
    let mut canonical = String::new();
    canonical.push_str(&serde_json::to_string(&m.kind).unwrap_or_default());
    canonical.push('\n');
    write_canonical(&mut canonical, &m.payload);
    canonical.push('\n');
    // A BTreeMap: its keys are in order already.
    canonical.push_str(&serde_json::to_string(&m.based_on).unwrap_or_default());
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

fn write_canonical(out: &mut String, v: &Value) {
    match v {
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                write_canonical(out, &o[k]);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, item);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mutation(payload: Value) -> Mutation {
        Mutation {
            seq: 1,
            id: "mut_1".into(),
            kind: "add_note".into(),
            payload,
            based_on: Default::default(),
        }
    }

    #[test]
    fn the_fingerprint_ignores_key_order_and_sees_every_value() {
        let a = mutation(json!({"ticket_id": "tkt_1", "body": "hi", "n": {"x": 1, "y": [1, 2]}}));
        let b = mutation(json!({"n": {"y": [1, 2], "x": 1}, "body": "hi", "ticket_id": "tkt_1"}));
        assert_eq!(request_sha256(&a), request_sha256(&b));
        let c = mutation(json!({"ticket_id": "tkt_1", "body": "hi!", "n": {"x": 1, "y": [1, 2]}}));
        assert_ne!(request_sha256(&a), request_sha256(&c), "another body");
        let mut d = a.clone();
        d.kind = "send_reply".into();
        assert_ne!(request_sha256(&a), request_sha256(&d), "another kind");
        let mut e = a.clone();
        e.based_on.insert("ticket:tkt_1".into(), 3);
        assert_ne!(request_sha256(&a), request_sha256(&e), "another based_on");
    }

    #[test]
    fn nul_and_oversized_text_are_refused_anywhere_in_the_envelope() {
        assert!(check(&mutation(json!({"body": "fine", "ticket_id": "tkt_1"}))).is_ok());
        for bad in [
            json!({"body": "a\u{0}b"}),
            json!({"amount": {"currency": "E\u{0}R"}}),
            json!({"author": "x".repeat(MAX_FIELD_CHARS + 1)}),
            json!({"body": "x".repeat(MAX_BODY_CHARS + 1)}),
            json!({"list": ["ok", "n\u{0}"]}),
            json!("not an object"),
        ] {
            assert!(check(&mutation(bad.clone())).is_err(), "{bad:.80}");
        }
        let mut m = mutation(json!({}));
        m.based_on.insert("ticket:\u{0}".into(), 1);
        assert!(check(&m).is_err(), "a NUL in based_on");
        let mut m = mutation(json!({}));
        m.id = "mut_\u{0}".into();
        assert!(check(&m).is_err(), "a NUL in the id");
        assert!(
            check(&mutation(json!({"body": "é".repeat(MAX_BODY_CHARS)}))).is_ok(),
            "the bound is in characters, not bytes"
        );
    }
}
