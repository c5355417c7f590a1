//! The desktop's settings page: the person and role, the agent refund cap, the MCP endpoint and
//! the MCP tokens (created with a scope, shown once with client configs, revoked), and whether
//! arriving drafts raise a desktop notification.

use crate::{Result, Store, client_config, settings, tokens};
use countersign_model::TokenId;
use countersign_model::ipc::{CreatedToken, McpStatus, SettingsView};
use countersign_model::workflow::{TokenInfo, TokenScope};

pub async fn view(store: &Store, profile: &str, mcp: McpStatus) -> Result<SettingsView> {
    let pool = store.pool();
    let platform_owned = settings::connected(pool).await?;
    Ok(SettingsView {
        profile: profile.to_owned(),
        person: settings::person(pool).await?,
        // A signed-in profile has no local cap (see `settings`).
        refund_cap: match platform_owned {
            true => None,
            false => settings::get(pool, settings::AGENT_REFUND_CAP).await?,
        },
        platform_owned,
        mcp,
        tokens: tokens::list(store).await?,
        notifications: settings::notifications_enabled(pool).await?,
        auto_draft: settings::drafting_auto(pool).await?,
        auto_providers: settings::drafting_auto_providers(pool).await?,
        providers: crate::drafting::providers::list(pool).await?,
        language: settings::ui_language(pool).await?,
        welcomed: settings::ui_welcomed(pool).await?,
        connect: Vec::new(),
        system_languages: system_languages(),
    })
}

/// Creates a token as the person at the desk; the snippets point at `url` (the live endpoint,
/// or where it would listen).
pub async fn create_token(
    store: &Store,
    name: &str,
    scope: TokenScope,
    url: &str,
) -> Result<CreatedToken> {
    let person = settings::person(store.pool()).await?;
    let (info, secret) = tokens::create(store, &person, name, scope).await?;
    let snippets = client_config::http_snippets(url, &secret);
    Ok(CreatedToken {
        info,
        secret,
        snippets,
    })
}

pub async fn revoke_token(store: &Store, id: &TokenId) -> Result<TokenInfo> {
    let person = settings::person(store.pool()).await?;
    tokens::revoke(store, &person, id).await
}

/// The session's preferred languages, most preferred first, as GLib reads them (`LANGUAGE`,
/// a colon-separated list, then `LC_ALL`, `LC_MESSAGES`, `LANG`). Read here rather than left to
/// the webview: WebKit takes the language from the C library's locale, which stays `C` (English)
/// when the session's locale is not generated on the machine.
pub fn system_languages() -> Vec<String> {
    languages_from(|k| std::env::var(k).ok())
}

fn languages_from(var: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let mut out: Vec<String> = var("LANGUAGE")
        .map(|l| l.split(':').map(str::to_owned).collect())
        .unwrap_or_default();
    out.extend(
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(&var),
    );
    out.retain(|l| !l.is_empty() && l != "C" && l != "POSIX" && !l.starts_with("C."));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_session_languages_are_read_as_glib_reads_them_and_c_is_no_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(name, _)| *name == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            super::languages_from(env(&[("LANGUAGE", "fr_CA:fr"), ("LANG", "es_ES.UTF-8")])),
            ["fr_CA", "fr", "es_ES.UTF-8"]
        );
        assert_eq!(
            super::languages_from(env(&[("LC_ALL", "C.UTF-8"), ("LANG", "de_DE.UTF-8")])),
            ["de_DE.UTF-8"]
        );
        assert!(super::languages_from(env(&[("LANG", "C")])).is_empty());
        assert!(super::languages_from(env(&[])).is_empty());
    }
}
