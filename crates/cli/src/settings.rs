//! `countersign settings`: the profile's settings (never secrets), checked by the core.

use crate::desk::Context;
use crate::error::CliError;
use crate::output::Table;
use clap::Subcommand;
use countersign_core::settings::{self, KNOWN};

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Every known setting with its value and meaning.
    List,
    /// Print one setting's value (empty line when unset).
    Get {
        /// One of the keys `countersign settings list` shows.
        key: String,
    },
    /// Change a setting; the value is checked first.
    Set {
        /// One of the keys `countersign settings list` shows.
        key: String,
        value: String,
    },
}

fn check_known(key: &str) -> anyhow::Result<()> {
    if KNOWN.iter().any(|(k, _)| *k == key) {
        Ok(())
    } else {
        let known: Vec<&str> = KNOWN.iter().map(|(k, _)| *k).collect();
        Err(CliError::invalid(format!(
            "unknown setting {key:?}; known: {}",
            known.join(", ")
        ))
        .into())
    }
}

/// What an unset key means.
fn default_of(key: &str) -> String {
    match key {
        settings::PERSON_NAME => "Desk user".into(),
        settings::PERSON_ROLE => "agent".into(),
        settings::AGENT_REFUND_CAP => "0".into(),
        settings::MCP_PORT => settings::DEFAULT_MCP_PORT.to_string(),
        settings::MCP_RATE_PER_MINUTE => settings::DEFAULT_MCP_RATE_PER_MINUTE.to_string(),
        _ => String::new(),
    }
}

pub async fn run(ctx: &Context, command: &SettingsCommand) -> anyhow::Result<()> {
    let store = ctx.open().await?;
    let pool = store.pool();
    match command {
        SettingsCommand::List => {
            let mut table = Table::new(&["KEY", "VALUE", "MEANING"]);
            for (key, meaning) in KNOWN {
                let value = match settings::get(pool, key).await? {
                    Some(v) => v,
                    None => format!("{} (default)", default_of(key)),
                };
                table.row(vec![(*key).to_owned(), value, (*meaning).to_owned()]);
            }
            println!("{}", table.render());
        }
        SettingsCommand::Get { key } => {
            check_known(key)?;
            println!("{}", settings::get(pool, key).await?.unwrap_or_default());
        }
        SettingsCommand::Set { key, value } => {
            settings::set(&store, key, value).await?;
            println!(
                "{key} = {}",
                settings::get(pool, key).await?.unwrap_or_default()
            );
        }
    }
    store.close().await;
    Ok(())
}
