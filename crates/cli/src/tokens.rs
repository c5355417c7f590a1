//! `countersign token`: MCP client tokens for the HTTP endpoint. The secret is printed once;
//! the desk keeps only its hash.

use crate::desk::Context;
use crate::output::{Table, when, when_opt};
use crate::serve::ScopeArg;
use clap::Subcommand;
use countersign_core::tokens;
use countersign_model::TokenId;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print its secret (once).
    Create {
        /// A name saying who uses it, e.g. "cursor-laptop".
        #[arg(long)]
        name: String,
        /// What the assistant using it may do.
        #[arg(long, value_enum, default_value = "draft")]
        scope: ScopeArg,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token: calls with it are refused from now on.
    Revoke {
        /// The token's id (`tok_…`), from `countersign token list`.
        id: TokenId,
    },
}

pub async fn run(ctx: &Context, command: &TokenCommand) -> anyhow::Result<()> {
    let (store, person) = ctx.open_as_person().await?;
    match command {
        TokenCommand::Create { name, scope } => {
            let (info, secret) = tokens::create(&store, &person, name, (*scope).into()).await?;
            println!(
                "created token {} ({}, scope {}):",
                info.id, info.name, info.scope
            );
            println!("{secret}");
            println!(
                "This secret is shown only now and will not be shown again; the desk keeps only its hash."
            );
        }
        TokenCommand::List => {
            let list = tokens::list(&store).await?;
            let mut table = Table::new(&["ID", "NAME", "SCOPE", "CREATED", "LAST USED", "REVOKED"]);
            for t in &list {
                table.row(vec![
                    t.id.to_string(),
                    t.name.clone(),
                    t.scope.to_string(),
                    when(t.created_at),
                    when_opt(t.last_used_at),
                    when_opt(t.revoked_at),
                ]);
            }
            if table.is_empty() {
                println!("no tokens yet; create one with `countersign token create --name NAME`");
            } else {
                println!("{}", table.render());
            }
        }
        TokenCommand::Revoke { id } => {
            let info = tokens::revoke(&store, &person, id).await?;
            println!(
                "revoked token {} ({}) at {}",
                info.id,
                info.name,
                when_opt(info.revoked_at)
            );
        }
    }
    store.close().await;
    Ok(())
}
