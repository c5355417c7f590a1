//! The platform's secrets key: what seals a tenant's billing API key at rest. It comes from the
//! platform's environment (`COUNTERSIGN_SECRETS_KEY`, 64 hex digits) and is never stored in the
//! database, so a copy of the database alone does not yield any tenant's key.
//!
//! Sealed = 12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag, with what the secret is bound
//! to as associated data (its purpose, the tenant, and for an API key the URL it may be sent
//! to): a sealed secret copied onto another tenant's row, swapped with the other secret, or
//! left behind a base URL someone changed in the database does not open.

use openssl::symm::{Cipher, decrypt_aead, encrypt_aead};
use std::fmt;

/// The environment variable the key is read from.
pub const ENV: &str = "COUNTERSIGN_SECRETS_KEY";

const NONCE: usize = 12;
const TAG: usize = 16;

/// A 256-bit key. Its `Debug` never shows it.
#[derive(Clone)]
pub struct SecretsKey([u8; 32]);

impl fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretsKey(…)")
    }
}

impl SecretsKey {
    /// Parses 64 hex digits (as `openssl rand -hex 32` prints them).
    pub fn from_hex(s: &str) -> Result<Self, String> {
        let bytes = hex::decode(s.trim()).map_err(|_| {
            format!("{ENV} must be 64 hex digits (e.g. from `openssl rand -hex 32`)")
        })?;
        let key: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            format!(
                "{ENV} must be 64 hex digits (32 bytes), got {} bytes",
                b.len()
            )
        })?;
        Ok(Self(key))
    }

    /// The key in the environment, if one is set; an error if it is set but malformed.
    pub fn from_env() -> Result<Option<Self>, String> {
        match std::env::var(ENV) {
            Ok(v) if !v.trim().is_empty() => Self::from_hex(&v).map(Some),
            _ => Ok(None),
        }
    }

    /// Seals `secret`, bound to `bound_to` (see [`binding`]).
    pub fn seal(&self, bound_to: &str, secret: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE];
        openssl::rand::rand_bytes(&mut nonce).expect("the system's random source");
        let mut tag = [0u8; TAG];
        let sealed = encrypt_aead(
            Cipher::aes_256_gcm(),
            &self.0,
            Some(&nonce),
            bound_to.as_bytes(),
            secret.as_bytes(),
            &mut tag,
        )
        .expect("AES-256-GCM with a 32-byte key and a 12-byte nonce");
        [&nonce[..], &sealed, &tag].concat()
    }

    /// Opens what [`Self::seal`] sealed bound to `bound_to`; `None` when it was sealed under
    /// another key or bound to anything else, or was altered.
    pub fn open(&self, bound_to: &str, sealed: &[u8]) -> Option<String> {
        if sealed.len() < NONCE + TAG {
            return None;
        }
        let (nonce, rest) = sealed.split_at(NONCE);
        let (data, tag) = rest.split_at(rest.len() - TAG);
        let plain = decrypt_aead(
            Cipher::aes_256_gcm(),
            &self.0,
            Some(nonce),
            bound_to.as_bytes(),
            data,
            tag,
        )
        .ok()?;
        String::from_utf8(plain).ok()
    }
}

/// What a tenant's secret is bound to: its purpose (`api_key`, `webhook_secret`), the tenant,
/// and for an API key the base URL it is sent to.
pub fn binding(purpose: &str, tenant_id: &str, base_url: &str) -> String {
    format!("{purpose}\0{tenant_id}\0{base_url}")
}

#[cfg(test)]
mod tests {
    use super::{SecretsKey, binding};

    fn key(byte: &str) -> SecretsKey {
        SecretsKey::from_hex(&byte.repeat(32)).unwrap()
    }

    #[test]
    fn a_sealed_key_opens_only_bound_as_it_was_and_under_its_key() {
        let k = key("ab");
        let bound = binding("api_key", "ten_a", "https://us.api.flexprice.io/v1");
        let sealed = k.seal(&bound, "sk_live_secret");
        assert!(!String::from_utf8_lossy(&sealed).contains("sk_live_secret"));
        assert_eq!(k.open(&bound, &sealed).as_deref(), Some("sk_live_secret"));
        for other in [
            binding("api_key", "ten_b", "https://us.api.flexprice.io/v1"),
            binding("api_key", "ten_a", "https://attacker.example/v1"),
            binding("webhook_secret", "ten_a", ""),
        ] {
            assert_eq!(k.open(&other, &sealed), None, "{other:?}");
        }
        assert_eq!(key("cd").open(&bound, &sealed), None);
        let mut altered = sealed.clone();
        altered[14] ^= 1;
        assert_eq!(k.open(&bound, &altered), None);
        assert_ne!(
            k.seal(&bound, "sk_live_secret"),
            sealed,
            "a fresh nonce each time"
        );
    }

    #[test]
    fn a_malformed_key_is_refused_with_what_to_do() {
        assert!(SecretsKey::from_hex("abc").unwrap_err().contains("64 hex"));
        assert!(
            SecretsKey::from_hex(&"ab".repeat(16))
                .unwrap_err()
                .contains("16 bytes")
        );
        assert!(format!("{:?}", key("ab")).contains('…'));
    }
}
