//! Webhook signatures as Svix makes them (FlexPrice sends its webhooks through Svix):
//! `svix-signature` holds space-separated `v1,<base64 HMAC-SHA256>` entries over
//! `"{svix-id}.{svix-timestamp}.{raw body}"`, keyed by the endpoint secret (`whsec_<base64>`).
//! Any entry may match (a secret being rotated signs twice); the timestamp must be within five
//! minutes of now either way, so a captured delivery cannot be sent again later (and within the
//! five minutes, the platform refuses a `svix-id` it has already taken).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;

/// How far a delivery's timestamp may be from now, either way.
pub const TOLERANCE_SECS: i64 = 300;

/// Why a delivery was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A header is missing or malformed.
    Malformed(&'static str),
    /// The timestamp is too old or too far ahead.
    Stale,
    /// No signature matches.
    BadSignature,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(what) => write!(f, "{what}"),
            Self::Stale => write!(
                f,
                "svix-timestamp is more than {TOLERANCE_SECS} s from now; a delivery is taken only when fresh"
            ),
            Self::BadSignature => f.write_str("no svix-signature matches this body"),
        }
    }
}

/// The signing key of a `whsec_…` secret (the prefix is optional).
pub fn key(secret: &str) -> Option<Vec<u8>> {
    let b64 = secret
        .trim()
        .strip_prefix("whsec_")
        .unwrap_or(secret.trim());
    STANDARD.decode(b64).ok().filter(|k| !k.is_empty())
}

fn sign(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    let pkey = PKey::hmac(key).expect("an HMAC key of any length");
    let mut signer = Signer::new(MessageDigest::sha256(), &pkey).expect("HMAC-SHA256");
    for part in [id.as_bytes(), b".", timestamp.as_bytes(), b".", body] {
        signer.update(part).expect("HMAC update");
    }
    signer.sign_to_vec().expect("HMAC digest")
}

/// The `svix-signature` value for a delivery (for senders and tests).
pub fn signature(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> String {
    format!("v1,{}", STANDARD.encode(sign(key, id, timestamp, body)))
}

/// Checks one delivery's headers against its raw body, at `now` (Unix seconds).
pub fn verify(
    key: &[u8],
    id: Option<&str>,
    timestamp: Option<&str>,
    signatures: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), Refusal> {
    let id = id
        .filter(|i| !i.is_empty() && i.len() <= 256)
        .ok_or(Refusal::Malformed("svix-id is missing"))?;
    let ts_text = timestamp.ok_or(Refusal::Malformed("svix-timestamp is missing"))?;
    let ts: i64 = ts_text
        .trim()
        .parse()
        .map_err(|_| Refusal::Malformed("svix-timestamp is not a number of seconds"))?;
    if now.abs_diff(ts) > TOLERANCE_SECS.unsigned_abs() {
        return Err(Refusal::Stale);
    }
    let signatures = signatures.ok_or(Refusal::Malformed("svix-signature is missing"))?;
    let expected = sign(key, id, ts_text, body);
    let matches = signatures.split_whitespace().any(|entry| {
        entry
            .strip_prefix("v1,")
            .and_then(|b64| STANDARD.decode(b64).ok())
            .is_some_and(|given| {
                given.len() == expected.len() && openssl::memcmp::eq(&given, &expected)
            })
    });
    if matches {
        Ok(())
    } else {
        Err(Refusal::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Svix's published test vector.
    const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
    const TS: &str = "1649367553";
    const BODY: &[u8] = br#"{"email":"test@example.com","username":"test_user"}"#;
    const SIG: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

    #[test]
    fn svix_s_own_example_verifies() {
        let k = key(SECRET).unwrap();
        assert_eq!(signature(&k, ID, TS, BODY), SIG);
        assert_eq!(
            verify(&k, Some(ID), Some(TS), Some(SIG), BODY, 1649367553),
            Ok(())
        );
        // Any of several entries may match (a secret being rotated).
        let two = format!("v1,AAAA {SIG}");
        assert_eq!(
            verify(&k, Some(ID), Some(TS), Some(&two), BODY, 1649367600),
            Ok(())
        );
    }

    #[test]
    fn tampered_stale_and_malformed_deliveries_are_refused() {
        let k = key(SECRET).unwrap();
        let now = 1649367553;
        let tampered = br#"{"email":"test@example.com","username":"test_user2"}"#;
        assert_eq!(
            verify(&k, Some(ID), Some(TS), Some(SIG), tampered, now),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify(&k, Some("msg_other"), Some(TS), Some(SIG), BODY, now),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify(&k, Some(ID), Some(TS), Some(SIG), BODY, now + 301),
            Err(Refusal::Stale)
        );
        assert_eq!(
            verify(&k, Some(ID), Some(TS), Some(SIG), BODY, now - 301),
            Err(Refusal::Stale)
        );
        assert!(matches!(
            verify(&k, None, Some(TS), Some(SIG), BODY, now),
            Err(Refusal::Malformed(_))
        ));
        assert!(matches!(
            verify(&k, Some(ID), Some("yesterday"), Some(SIG), BODY, now),
            Err(Refusal::Malformed(_))
        ));
        assert_eq!(
            verify(&k, Some(ID), Some(TS), Some("v1,not-base64!"), BODY, now),
            Err(Refusal::BadSignature)
        );
        assert_eq!(key("whsec_"), None);
        // A timestamp at the end of i64 is stale, not an overflow that panics the handler.
        let min = i64::MIN.to_string();
        assert_eq!(
            verify(&k, Some(ID), Some(&min), Some(SIG), BODY, now),
            Err(Refusal::Stale)
        );
    }
}
