//! The OS keyring (keyring crate): where platform tokens and AI provider keys live — never in
//! SQLite, config files or logs. This module probes the keyring and keeps each profile's
//! platform token and provider keys; it must never print or log a secret.

/// The keyring service name every Countersign secret is stored under.
pub const SERVICE: &str = "countersign";

/// Probes the OS keyring by reading an entry that does not exist. `Ok` describes the working
/// store; `Err` explains, in a sentence a person can act on, why secrets cannot be kept.
///
/// Blocking (it may talk to D-Bus or a system service): call it from a blocking thread.
pub fn keyring_status() -> Result<String, String> {
    let store = store_name();
    let entry = match keyring::Entry::new(SERVICE, "doctor-probe") {
        Ok(entry) => entry,
        Err(keyring::Error::NoDefaultStore) => {
            let why = match keyring::Entry::store_status() {
                Err(e) => e.to_string(),
                Ok(()) => "no default credential store".to_owned(),
            };
            return Err(format!("no OS keyring is available ({why}); {}", remedy()));
        }
        Err(e) => {
            return Err(format!(
                "the OS keyring ({store}) cannot be used: {e}; {}",
                remedy()
            ));
        }
    };
    match entry.get_password() {
        Ok(_) | Err(keyring::Error::NoEntry) => Ok(format!("{store} is reachable")),
        Err(keyring::Error::NoStorageAccess(e)) => Err(format!(
            "the OS keyring ({store}) is locked or refused access ({e}); unlock it, e.g. by logging in to a desktop session"
        )),
        Err(keyring::Error::PlatformFailure(e)) => Err(format!(
            "the OS keyring ({store}) failed ({e}); {}",
            remedy()
        )),
        Err(e) => Err(format!(
            "the OS keyring ({store}) answered unexpectedly: {e}"
        )),
    }
}

fn store_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "the macOS Keychain"
    } else if cfg!(windows) {
        "the Windows Credential Manager"
    } else {
        "the Secret Service"
    }
}

fn remedy() -> &'static str {
    if cfg!(target_os = "macos") || cfg!(windows) {
        "platform tokens and AI provider keys cannot be stored until it works"
    } else {
        "on Linux a Secret Service provider (GNOME Keyring, KWallet, KeePassXC) must run on the session D-Bus; without it platform tokens and AI provider keys cannot be stored"
    }
}

/// The keyring account a profile's platform token is kept under: one per device (profile).
fn platform_account(device_id: &str) -> String {
    format!("platform-token:{device_id}")
}

fn keyring_error(e: keyring::Error) -> crate::Error {
    let store = store_name();
    crate::Error::Unavailable(match e {
        keyring::Error::NoStorageAccess(e) => format!(
            "the OS keyring ({store}) is locked or refused access ({e}); unlock it, e.g. by logging in to a desktop session"
        ),
        keyring::Error::NoDefaultStore => format!("no OS keyring is available; {}", remedy()),
        e => format!("the OS keyring ({store}) failed: {e}; {}", remedy()),
    })
}

/// Keeps `secret` in the OS keyring under `account`. Blocking: call from a blocking thread.
pub fn store_secret(account: &str, secret: &str) -> crate::Result<()> {
    keyring::Entry::new(SERVICE, account)
        .and_then(|e| e.set_password(secret))
        .map_err(keyring_error)
}

/// The secret kept under `account`, `None` when there is none. Blocking.
pub fn secret(account: &str) -> crate::Result<Option<String>> {
    match keyring::Entry::new(SERVICE, account).and_then(|e| e.get_password()) {
        Ok(t) => Ok(Some(t)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Forgets the secret kept under `account`; none kept is fine. Blocking.
pub fn delete_secret(account: &str) -> crate::Result<()> {
    match keyring::Entry::new(SERVICE, account).and_then(|e| e.delete_credential()) {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Runs a keyring call on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::Result<T> + Send + 'static,
) -> crate::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| crate::Error::Internal(format!("keyring task failed: {e}")))?
}

/// Keeps the platform token of a device in the OS keyring. Blocking: call from a blocking thread.
pub fn store_platform_token(device_id: &str, token: &str) -> crate::Result<()> {
    store_secret(&platform_account(device_id), token)
}

/// The platform token of a device, `None` when signed out. Blocking.
pub fn platform_token(device_id: &str) -> crate::Result<Option<String>> {
    secret(&platform_account(device_id))
}

/// Forgets the platform token of a device (signing out). Blocking.
pub fn delete_platform_token(device_id: &str) -> crate::Result<()> {
    delete_secret(&platform_account(device_id))
}
