//! Profile settings kept in the desk (never secrets): who the person at this desk is and in what
//! role (for an offline profile), the agent refund cap, and the MCP endpoint.
//!
//! On a profile signed in to a platform, who the person is and what they may approve come from
//! the platform alone ([`PLATFORM_OWNED`] are read-only here, and the local refund cap does not
//! apply): a desk must not approve locally what the platform refuses. Every change of a setting
//! is audited, in the transaction that makes it.

use crate::audit::{self, ActorKind};
use crate::store::{Store, Tx};
use crate::{Error, Result};
use countersign_model::workflow::{Person, Role};
use countersign_model::{Currency, Money};
use sqlx::SqlitePool;

pub const PERSON_NAME: &str = "person.name";
pub const PERSON_ROLE: &str = "person.role";
/// Decimal amount; agents may approve money-moving escalations up to it, in any currency.
pub const AGENT_REFUND_CAP: &str = "agent.refund_cap";
pub const MCP_PORT: &str = "mcp.port";
/// `true` or `false`: whether the desktop app serves MCP over HTTP in-process.
pub const MCP_ENABLED: &str = "mcp.enabled";
pub const MCP_RATE_PER_MINUTE: &str = "mcp.rate_per_minute";
/// `true` or `false`: whether the desktop app raises a notification when a draft arrives.
pub const NOTIFICATIONS_ENABLED: &str = "notifications.enabled";

/// Whether the desk drafts a reply by itself when a customer writes (default on: the offline
/// drafter needs no network and no key).
pub const DRAFTING_AUTO: &str = "drafting.auto";
/// Whether drafting by itself also asks the profile's AI providers (default off: they may cost
/// money); off, automatic drafts come from the offline drafter.
pub const DRAFTING_AUTO_PROVIDERS: &str = "drafting.auto_providers";
/// The language of the desktop window: `system` (the desktop's; the default) or one of
/// [`LANGUAGES`].
pub const UI_LANGUAGE: &str = "ui.language";
/// `true` once the person has read the window's first-start welcome.
pub const UI_WELCOMED: &str = "ui.welcomed";
/// The languages the desktop window speaks.
pub const LANGUAGES: [&str; 4] = ["en", "es", "fr", "de"];
pub const DEFAULT_MCP_PORT: u16 = 7431;
pub const DEFAULT_MCP_RATE_PER_MINUTE: u32 = 600;

/// The keys a person may set, with what each means.
pub const KNOWN: &[(&str, &str)] = &[
    (PERSON_NAME, "the name decisions are recorded under"),
    (PERSON_ROLE, "agent or supervisor (offline profiles only)"),
    (
        AGENT_REFUND_CAP,
        "largest refund/credit an agent may approve, e.g. 25.00 (0 = supervisors only)",
    ),
    (MCP_PORT, "port of the MCP HTTP endpoint"),
    (
        MCP_ENABLED,
        "true or false: the desktop app serves MCP over HTTP",
    ),
    (
        MCP_RATE_PER_MINUTE,
        "MCP calls allowed per token per minute over HTTP",
    ),
    (
        NOTIFICATIONS_ENABLED,
        "true or false: a desktop notification when a draft arrives",
    ),
    (
        DRAFTING_AUTO,
        "true or false: draft a reply by itself when a customer writes",
    ),
    (
        DRAFTING_AUTO_PROVIDERS,
        "true or false: drafting by itself also asks the AI providers (they may cost money)",
    ),
    (
        UI_LANGUAGE,
        "system, en, es, fr or de: the language of the desktop window",
    ),
    (
        UI_WELCOMED,
        "true or false: the desktop window's first-start welcome was read",
    ),
];

/// The settings a profile signed in to a platform takes from the platform and never sets itself.
pub const PLATFORM_OWNED: [&str; 3] = [PERSON_NAME, PERSON_ROLE, AGENT_REFUND_CAP];

/// Whether the profile is connected to a platform (it has signed in once; signed out, it still
/// holds that tenant's desk and takes its people and rules from there).
pub async fn connected(db: impl sqlx::SqliteExecutor<'_>) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM settings WHERE key = 'sync.url')")
            .fetch_one(db)
            .await?,
    )
}

pub async fn get(db: impl sqlx::SqliteExecutor<'_>, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(db)
            .await?,
    )
}

/// Checks `value` for `key`, then stores it with an audit row of who changed what, in one
/// transaction. Refused for [`PLATFORM_OWNED`] keys on a profile connected to a platform.
pub async fn set(store: &Store, key: &str, value: &str) -> Result<()> {
    let value = value.trim();
    check(key, value)?;
    let mut tx = store.write().await?;
    if PLATFORM_OWNED.contains(&key) && connected(&mut *tx).await? {
        return Err(Error::Forbidden(format!(
            "{key} comes from the platform on a profile signed in to one; it changes there, \
             by the tenant's admin, not on this desk"
        )));
    }
    let before: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *tx)
    .await?;
    let actor: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(PERSON_NAME)
        .fetch_optional(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        &audit::Record {
            actor_kind: ActorKind::Human,
            actor: actor.as_deref().unwrap_or("Desk user"),
            token_id: None,
            action: "change_setting",
            subject: Some(key),
            arguments: &serde_json::json!({"from": before, "to": value}),
            outcome: "ok",
            duration_us: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `value` is acceptable for `key`.
fn check(key: &str, value: &str) -> Result<()> {
    match key {
        PERSON_NAME => {
            if value.is_empty() || value.chars().count() > 100 {
                return Err(Error::invalid("a name has 1 to 100 characters"));
            }
        }
        PERSON_ROLE => {
            Role::parse(value)?;
        }
        AGENT_REFUND_CAP => {
            let m = Money::parse(value, Currency::EUR)?;
            if m.is_negative() {
                return Err(Error::invalid("the refund cap cannot be negative"));
            }
        }
        MCP_PORT => {
            value
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| Error::invalid(format!("{value:?} is not a TCP port (1-65535)")))?;
        }
        MCP_ENABLED
        | NOTIFICATIONS_ENABLED
        | DRAFTING_AUTO
        | DRAFTING_AUTO_PROVIDERS
        | UI_WELCOMED => {
            if !matches!(value, "true" | "false") {
                return Err(Error::invalid(format!("{value:?} is not true or false")));
            }
        }
        UI_LANGUAGE => {
            if value != "system" && !LANGUAGES.contains(&value) {
                return Err(Error::invalid(format!(
                    "{value:?} is not a language of the window: system, {}",
                    LANGUAGES.join(", ")
                )));
            }
        }
        MCP_RATE_PER_MINUTE => {
            value
                .parse::<u32>()
                .ok()
                .filter(|r| *r > 0)
                .ok_or_else(|| {
                    Error::invalid(format!("{value:?} is not a positive whole number"))
                })?;
        }
        other => {
            return Err(Error::invalid(format!(
                "unknown setting {other:?}; known: {}",
                KNOWN.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    Ok(())
}

/// The person at this desk, as configured for the profile. Their id is the platform's agent id
/// on a signed-in desk; offline, the id of the tenant's agent of that name, or the name itself
/// on a desk that knows no agents.
pub async fn person(pool: &SqlitePool) -> Result<Person> {
    let name = get(pool, PERSON_NAME)
        .await?
        .unwrap_or_else(|| "Desk user".into());
    let role = match get(pool, PERSON_ROLE).await? {
        Some(r) => Role::parse(&r).map_err(crate::store::corrupt)?,
        None => Role::Agent,
    };
    let signed_in = crate::sync::state::get(pool, crate::sync::state::ME)
        .await?
        .and_then(|me| serde_json::from_str::<countersign_model::sync::Me>(&me).ok());
    let id = match signed_in {
        Some(me) => me.agent.id,
        None => sqlx::query_scalar("SELECT id FROM agents WHERE name = ? ORDER BY id LIMIT 1")
            .bind(&name)
            .fetch_optional(pool)
            .await?
            .unwrap_or_else(|| name.clone()),
    };
    Ok(Person { id, name, role })
}

pub async fn mcp_port(pool: &SqlitePool) -> Result<u16> {
    Ok(get(pool, MCP_PORT)
        .await?
        .and_then(|p| p.parse().ok())
        .unwrap_or(DEFAULT_MCP_PORT))
}

/// Whether the desktop app serves MCP over HTTP (on unless set to `false`).
pub async fn mcp_enabled(pool: &SqlitePool) -> Result<bool> {
    Ok(get(pool, MCP_ENABLED).await?.as_deref() != Some("false"))
}

/// Whether the desktop app notifies of arriving drafts (on unless set to `false`).
pub async fn notifications_enabled(pool: &SqlitePool) -> Result<bool> {
    Ok(get(pool, NOTIFICATIONS_ENABLED).await?.as_deref() != Some("false"))
}

/// Whether the desk drafts by itself when a customer writes (on unless set to `false`).
pub async fn drafting_auto(pool: &SqlitePool) -> Result<bool> {
    Ok(get(pool, DRAFTING_AUTO).await?.as_deref() != Some("false"))
}

/// Whether drafting by itself also asks the AI providers (off unless set to `true`).
pub async fn drafting_auto_providers(pool: &SqlitePool) -> Result<bool> {
    Ok(get(pool, DRAFTING_AUTO_PROVIDERS).await?.as_deref() == Some("true"))
}

/// The language of the desktop window: `system` unless one was chosen.
pub async fn ui_language(pool: &SqlitePool) -> Result<String> {
    Ok(get(pool, UI_LANGUAGE)
        .await?
        .unwrap_or_else(|| "system".into()))
}

/// Whether the person has read the first-start welcome (off until they close it).
pub async fn ui_welcomed(pool: &SqlitePool) -> Result<bool> {
    Ok(get(pool, UI_WELCOMED).await?.as_deref() == Some("true"))
}

pub async fn mcp_rate_per_minute(pool: &SqlitePool) -> Result<u32> {
    Ok(get(pool, MCP_RATE_PER_MINUTE)
        .await?
        .and_then(|p| p.parse().ok())
        .unwrap_or(DEFAULT_MCP_RATE_PER_MINUTE))
}

/// The agent cap expressed in `currency`; `None` when agents may approve nothing. A profile
/// connected to a platform has no local cap: the platform lets only supervisors decide.
/// The escalation policy this desk decides by: on a desk signed in to a platform, the tenant's,
/// as the feed brought it (the default until it has); on a desk of its own, the agent refund
/// cap of this profile for the money actions in `currency`.
pub(crate) async fn escalation_policy(
    tx: &mut Tx,
    currency: Option<Currency>,
) -> Result<countersign_model::escalation_rules::Policy> {
    use countersign_model::escalation_rules::Policy;
    use countersign_model::workflow::ProposedAction;
    if connected(&mut **tx).await? {
        let body: Option<String> =
            sqlx::query_scalar("SELECT body FROM policies WHERE id = 'escalations'")
                .fetch_optional(&mut **tx)
                .await?;
        return match body {
            Some(b) => serde_json::from_str(&b).map_err(crate::store::corrupt),
            None => Ok(Policy::default()),
        };
    }
    let mut policy = Policy::default();
    if let Some(c) = currency
        && let Some(cap) = agent_refund_cap(tx, c).await?
    {
        let agent = policy
            .caps
            .entry(Role::Agent.as_str().to_owned())
            .or_default();
        for action in ProposedAction::ALL.iter().filter(|a| a.moves_money()) {
            agent
                .entry(action.as_str().to_owned())
                .or_default()
                .insert(c.as_str().to_owned(), cap.amount_string());
        }
    }
    Ok(policy)
}

pub(crate) async fn agent_refund_cap(tx: &mut Tx, currency: Currency) -> Result<Option<Money>> {
    if connected(&mut **tx).await? {
        return Ok(None);
    }
    let v: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(AGENT_REFUND_CAP)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(v) = v else { return Ok(None) };
    // The cap is a plain decimal; read it with the currency's precision, rounding down.
    let places = currency.exponent() as usize;
    let (whole, frac) = v.split_once('.').unwrap_or((&v, ""));
    let frac: String = frac.chars().take(places).collect();
    let text = if frac.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{frac}")
    };
    let cap = Money::parse(&text, currency).map_err(crate::store::corrupt)?;
    Ok((cap.minor() > 0).then_some(cap))
}
