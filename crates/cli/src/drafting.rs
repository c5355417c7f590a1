//! `countersign draft <ticket>`: the desk drafts a reply to one ticket and files it for review,
//! printing who wrote it, how long it took and what the grounding check found. `countersign
//! providers …`: the AI providers of the chain that ends with the offline drafter.

use crate::desk::Context;
use crate::error::CliError;
use crate::output::Table;
use crate::review::{all_backed, render_draft};
use clap::{Args, Subcommand};
use countersign_core::drafting::providers;
use countersign_core::drafting::{self, Trigger};
use countersign_model::TicketId;
use countersign_model::ipc::AddProvider;
use std::io::Read;

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The ticket's id (`tkt_…`).
    pub ticket: TicketId,
    /// Use only this provider (then the offline drafter if it fails); `offline` for the
    /// offline drafter alone [default: the whole chain].
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,
    /// Print the filed draft as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProvidersCommand {
    /// The chain, first tried first; the offline drafter always answers last.
    List,
    /// Add a provider at the end of the chain (before the offline drafter).
    Add {
        /// A name for it (letters, digits, '-', '_', '.').
        name: String,
        /// The protocol it speaks.
        #[arg(long, value_enum)]
        kind: KindArg,
        /// e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1 (Ollama),
        /// https://api.anthropic.com [default: the kind's public endpoint].
        #[arg(long, value_name = "URL", default_value = "")]
        base_url: String,
        /// The model, e.g. gpt-4o-mini, llama3.1, claude-sonnet-4-5.
        #[arg(long, value_name = "MODEL")]
        model: String,
        /// Seconds one attempt may take.
        #[arg(long, value_name = "SECS", default_value_t = providers::DEFAULT_TIMEOUT_SECS)]
        timeout: u64,
        /// Read the API key from stdin (kept in the OS keyring, never in a file). A local server
        /// needs none.
        #[arg(long)]
        key_stdin: bool,
    },
    /// Make one tiny call to a provider and say how long it took.
    Test { name: String },
    /// Remove a provider and forget its key.
    Remove { name: String },
    /// Put the chain in this order (name every provider once).
    Order {
        #[arg(required = true)]
        names: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    /// Any OpenAI-compatible chat-completions endpoint: OpenAI, Azure OpenAI, OpenRouter,
    /// Ollama, llama.cpp's server, vLLM, LM Studio.
    OpenaiCompatible,
    /// Anthropic's Messages API.
    Anthropic,
}

impl KindArg {
    fn as_str(self) -> &'static str {
        match self {
            KindArg::OpenaiCompatible => "openai-compatible",
            KindArg::Anthropic => "anthropic",
        }
    }
}

pub async fn providers(ctx: &Context, command: &ProvidersCommand) -> anyhow::Result<()> {
    let (store, person) = ctx.open_as_person().await?;
    let done = run_providers(&store, &person, command).await;
    store.close().await;
    done
}

async fn run_providers(
    store: &countersign_core::Store,
    person: &countersign_model::workflow::Person,
    command: &ProvidersCommand,
) -> anyhow::Result<()> {
    match command {
        ProvidersCommand::List => {
            let mut table = Table::new(&["#", "NAME", "AUTHOR", "BASE URL", "TIMEOUT", "KEY"]);
            for p in providers::list(store.pool()).await? {
                table.row(vec![
                    p.position.to_string(),
                    p.name,
                    p.author,
                    p.base_url,
                    format!("{} s", p.timeout_secs),
                    if p.has_key { "in keyring" } else { "none" }.to_owned(),
                ]);
            }
            table.row(vec![
                "last".into(),
                providers::OFFLINE.into(),
                countersign_drafting::offline::AUTHOR.into(),
                "-".into(),
                "-".into(),
                "not needed".into(),
            ]);
            println!("{}", table.render());
        }
        ProvidersCommand::Add {
            name,
            kind,
            base_url,
            model,
            timeout,
            key_stdin,
        } => {
            let key = if *key_stdin {
                let mut key = String::new();
                std::io::stdin().read_to_string(&mut key).map_err(|e| {
                    CliError::invalid(format!("cannot read the key from stdin: {e}"))
                })?;
                if key.trim().is_empty() {
                    return Err(CliError::invalid("--key-stdin read an empty key").into());
                }
                Some(key)
            } else {
                None
            };
            let p = providers::add(
                store,
                person,
                &AddProvider {
                    name: name.clone(),
                    kind: kind.as_str().to_owned(),
                    base_url: base_url.clone(),
                    model: model.clone(),
                    timeout_secs: Some(*timeout),
                    key,
                },
            )
            .await?;
            println!(
                "added provider {} ({} at {}), number {} in the chain{}",
                p.name,
                p.author,
                p.base_url,
                p.position,
                if p.has_key {
                    "; its key is in the OS keyring"
                } else {
                    ""
                }
            );
            println!("next: `countersign providers test {}`", p.name);
        }
        ProvidersCommand::Test { name } => {
            let took = providers::test(store.pool(), name).await?;
            println!("{name} answered in {} ms", took.as_millis());
        }
        ProvidersCommand::Remove { name } => {
            providers::remove(store, person, name).await?;
            println!("removed provider {name} and forgot its key");
        }
        ProvidersCommand::Order { names } => {
            let list = providers::reorder(store, person, names).await?;
            let order: Vec<String> = list.into_iter().map(|p| p.name).collect();
            println!("chain: {} → offline", order.join(" → "));
        }
    }
    Ok(())
}

pub async fn run(ctx: &Context, args: &DraftArgs) -> anyhow::Result<()> {
    let (store, person) = ctx.open_as_person().await?;
    let draft = drafting::draft_ticket(
        &store,
        &args.ticket,
        Trigger::Person(&person),
        args.provider.as_deref(),
    )
    .await;
    store.close().await;
    let draft = draft?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&draft)?);
        return Ok(());
    }
    let checked = draft.claims.len();
    let failed = draft.ungrounded().count();
    let grounding = match (checked, failed) {
        (0, _) => "states no figure".to_owned(),
        (n, 0) => all_backed(n),
        (n, f) => format!("{f} of {n} figures match no record (flagged)"),
    };
    let took = draft
        .generation
        .as_ref()
        .map(|g| format!(" in {} ms", g.duration_ms))
        .unwrap_or_default();
    eprintln!(
        "drafted {} for ticket {} by {}{took}; grounding: {grounding}",
        draft.id, draft.ticket_id, draft.author.client
    );
    for f in draft.generation.iter().flat_map(|g| &g.fallbacks) {
        eprintln!("  fell back: {f}");
    }
    print!("{}", render_draft(&draft));
    Ok(())
}
