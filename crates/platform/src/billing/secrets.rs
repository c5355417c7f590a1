//! The platform's secrets key: what seals a tenant's billing API key at rest. It comes from the
//! platform's environment (`COUNTERSIGN_SECRETS_KEY`, 64 hex digits) and is never stored in the
//! database, so a copy of the database alone does not yield any tenant's key.
//!
//! Sealed = 12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag, with the tenant id as
//! associated data: a sealed key copied onto another tenant's row does not open.

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

    /// Seals `secret` for `tenant_id`.
    pub fn seal(&self, tenant_id: &str, secret: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE];
        openssl::rand::rand_bytes(&mut nonce).expect("the system's random source");
        let mut tag = [0u8; TAG];
        let sealed = encrypt_aead(
            Cipher::aes_256_gcm(),
            &self.0,
            Some(&nonce),
            tenant_id.as_bytes(),
            secret.as_bytes(),
            &mut tag,
        )
        .expect("AES-256-GCM with a 32-byte key and a 12-byte nonce");
        [&nonce[..], &sealed, &tag].concat()
    }

    /// Opens what [`Self::seal`] sealed for `tenant_id`; `None` when it was sealed under another
    /// key or for another tenant, or was altered.
    pub fn open(&self, tenant_id: &str, sealed: &[u8]) -> Option<String> {
        if sealed.len() < NONCE + TAG {
            return None;
        }
        let (nonce, rest) = sealed.split_at(NONCE);
        let (data, tag) = rest.split_at(rest.len() - TAG);
        let plain = decrypt_aead(
            Cipher::aes_256_gcm(),
            &self.0,
            Some(nonce),
            tenant_id.as_bytes(),
            data,
            tag,
        )
        .ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::SecretsKey;

    fn key(byte: &str) -> SecretsKey {
        SecretsKey::from_hex(&byte.repeat(32)).unwrap()
    }

    #[test]
    fn a_sealed_key_opens_only_for_its_tenant_and_its_key() {
        let k = key("ab");
        let sealed = k.seal("ten_a", "sk_live_secret");
        assert!(!String::from_utf8_lossy(&sealed).contains("sk_live_secret"));
        assert_eq!(k.open("ten_a", &sealed).as_deref(), Some("sk_live_secret"));
        assert_eq!(k.open("ten_b", &sealed), None);
        assert_eq!(key("cd").open("ten_a", &sealed), None);
        let mut altered = sealed.clone();
        altered[14] ^= 1;
        assert_eq!(k.open("ten_a", &altered), None);
        assert_ne!(
            k.seal("ten_a", "sk_live_secret"),
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
