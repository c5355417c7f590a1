//! The person's side of the review workflow from a terminal: drafts awaiting review, approve
//! (optionally edited), reject, re-review, and escalation decisions. Each command calls one core
//! function; the core checks the role and records the decision with its audit row.

use crate::desk::Context;
use crate::error::CliError;
use crate::output::{Table, preview, when, when_opt};
use clap::{Args, Subcommand};
use countersign_core::workflow::{drafts, escalations};
use countersign_model::workflow::{Decision, Draft, EscalationStatus};
use countersign_model::{DraftId, EscalationId};
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum DraftsCommand {
    /// Drafts waiting for a person (pending review or stale), oldest first.
    List {
        /// At most N drafts (1 to 100).
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: i64,
    },
    /// One draft in full: body, citations, staleness and decision.
    Show {
        /// The draft's id (`dft_…`).
        id: DraftId,
    },
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The draft's id (`dft_…`).
    pub id: DraftId,
    /// Send this text instead of the draft's (your edit).
    #[arg(long, value_name = "TEXT", conflicts_with = "body_file")]
    pub body: Option<String>,
    /// Send the text of this file instead of the draft's (`-` reads stdin).
    #[arg(long, value_name = "PATH")]
    pub body_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusArg {
    /// Waiting for a decision.
    Pending,
    Approved,
    Denied,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DecisionArg {
    /// Do what the escalation asks (your role and the agent cap permitting).
    Approve,
    /// Refuse it; needs --note saying why.
    Deny,
}

#[derive(Debug, Subcommand)]
pub enum EscalationsCommand {
    /// Escalations, oldest first.
    List {
        /// Only escalations in this state.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// At most N escalations (1 to 100).
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: i64,
    },
}

pub async fn drafts(ctx: &Context, command: &DraftsCommand) -> anyhow::Result<()> {
    let store = ctx.open().await?;
    match command {
        DraftsCommand::List { limit } => {
            let list = drafts::awaiting_review(store.pool(), *limit).await?;
            let mut table = Table::new(&[
                "ID",
                "TICKET",
                "STATUS",
                "CONFIDENCE",
                "AUTHOR",
                "FLAGS",
                "CREATED",
                "STALE BECAUSE",
            ]);
            for d in &list {
                table.row(vec![
                    d.id.to_string(),
                    d.ticket_id.to_string(),
                    d.status.to_string(),
                    format!("{:.2}", d.confidence),
                    d.author.client.clone(),
                    match d.ungrounded().count() {
                        0 => "-".to_owned(),
                        n => format!("{n} unbacked"),
                    },
                    when(d.created_at),
                    preview(d.stale_reason.as_deref().unwrap_or("-"), 60),
                ]);
            }
            if table.is_empty() {
                println!("no drafts awaiting review");
            } else {
                println!("{}", table.render());
            }
        }
        DraftsCommand::Show { id } => {
            let d = drafts::find(store.pool(), id).await?;
            print!("{}", render_draft(&d));
        }
    }
    store.close().await;
    Ok(())
}

/// "the figure matches" or "all N figures match" the records.
pub fn all_backed(n: usize) -> String {
    match n {
        1 => "the one figure stated matches the records".to_owned(),
        n => format!("all {n} figures stated match the records"),
    }
}

/// A draft for a person to read.
pub fn render_draft(d: &Draft) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("draft      {}", d.id));
    line(format!(
        "ticket     {} (version {})",
        d.ticket_id, d.ticket_version
    ));
    line(format!("status     {}", d.status));
    if let Some(why) = &d.stale_reason {
        line(format!("stale      {why}"));
    }
    let model = d
        .author
        .model
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    line(format!("author     {}{model}", d.author.client));
    line(format!("confidence {:.2}", d.confidence));
    if let Some(g) = &d.generation {
        let tokens = match (g.input_tokens, g.output_tokens) {
            (Some(i), Some(o)) => format!(", {i} tokens in, {o} out"),
            _ => String::new(),
        };
        let intent = g
            .intent
            .as_deref()
            .map(|i| format!(", read as {i}"))
            .unwrap_or_default();
        line(format!(
            "generated  in {} ms{tokens}{intent}",
            g.duration_ms
        ));
        for f in &g.fallbacks {
            line(format!("fell back  {f}"));
        }
    }
    if !d.claims.is_empty() {
        let failed: Vec<String> = d
            .ungrounded()
            .map(|c| format!("{} {:?}", c.kind, c.text))
            .collect();
        if failed.is_empty() {
            line(format!("grounding  {}", all_backed(d.claims.len())));
        } else {
            line(format!(
                "grounding  NOT BACKED BY ANY RECORD: {}",
                failed.join(", ")
            ));
        }
    }
    if let Some(e) = &d.suggested_escalation {
        line(format!(
            "approving  also raises a {} of {} on invoice {}",
            e.proposed_action, e.amount, e.invoice_id
        ));
    }
    line(format!("created    {}", when(d.created_at)));
    if let Some(by) = &d.decided_by {
        line(format!("decided    by {by} at {}", when_opt(d.decided_at)));
    }
    if let Some(note) = &d.decision_note {
        line(format!("note       {note}"));
    }
    if !d.citations.is_empty() {
        line("citations".into());
        for c in &d.citations {
            let changed = c
                .current_version
                .map(|v| {
                    if v == 0 {
                        " — since removed".to_owned()
                    } else {
                        format!(" — now version {v}")
                    }
                })
                .unwrap_or_default();
            line(format!(
                "  {} {} (version {}){changed}",
                c.kind, c.id, c.version
            ));
        }
    }
    line(String::new());
    line(d.body.trim_end().to_owned());
    if let Some(sent) = d.final_body.as_deref().filter(|f| *f != d.body) {
        line(String::new());
        line("sent as edited:".into());
        line(sent.trim_end().to_owned());
    }
    out
}

fn read_body_file(path: &PathBuf) -> anyhow::Result<String> {
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| {
        CliError::invalid(format!("cannot read the body from {}: {e}", path.display()))
    })?;
    Ok(text)
}

pub async fn approve(ctx: &Context, args: &ApproveArgs) -> anyhow::Result<()> {
    let edited = match (&args.body, &args.body_file) {
        (Some(b), _) => Some(b.clone()),
        (None, Some(path)) => Some(read_body_file(path)?),
        (None, None) => None,
    };
    let (store, person) = ctx.open_as_person().await?;
    let d = drafts::approve(&store, &person, &args.id, edited.as_deref()).await?;
    store.close().await;
    let how = if edited.is_some() {
        " with your edit"
    } else {
        ""
    };
    println!(
        "approved draft {}{how} as {}; the reply to ticket {} is queued to send",
        d.id, person.name, d.ticket_id
    );
    Ok(())
}

pub async fn reject(ctx: &Context, id: &DraftId, reason: &str) -> anyhow::Result<()> {
    let (store, person) = ctx.open_as_person().await?;
    let d = drafts::reject(&store, &person, id, reason).await?;
    store.close().await;
    println!(
        "rejected draft {} (ticket {}) as {}",
        d.id, d.ticket_id, person.name
    );
    Ok(())
}

pub async fn rereview(ctx: &Context, id: &DraftId) -> anyhow::Result<()> {
    let (store, person) = ctx.open_as_person().await?;
    let d = drafts::rereview(&store, &person, id).await?;
    store.close().await;
    println!(
        "draft {} is bound to ticket {} version {} again and awaits review",
        d.id, d.ticket_id, d.ticket_version
    );
    Ok(())
}

pub async fn escalations(ctx: &Context, command: &EscalationsCommand) -> anyhow::Result<()> {
    let store = ctx.open().await?;
    let EscalationsCommand::List { status, limit } = command;
    let status = status.map(|s| match s {
        StatusArg::Pending => EscalationStatus::Pending,
        StatusArg::Approved => EscalationStatus::Approved,
        StatusArg::Denied => EscalationStatus::Denied,
    });
    let list = escalations::list(store.pool(), status, *limit).await?;
    store.close().await;
    let mut table = Table::new(&[
        "ID",
        "TICKET",
        "ACTION",
        "AMOUNT",
        "STATUS",
        "RAISED BY",
        "CREATED",
        "REASON",
    ]);
    for e in &list {
        table.row(vec![
            e.id.to_string(),
            e.ticket_id.to_string(),
            e.proposed_action.to_string(),
            e.amount
                .map(|a| a.to_string())
                .unwrap_or_else(|| "-".into()),
            e.status.to_string(),
            e.raised_by.clone(),
            when(e.created_at),
            preview(&e.reason, 60),
        ]);
    }
    if table.is_empty() {
        println!(
            "no escalations{}",
            status.map(|s| format!(" {s}")).unwrap_or_default()
        );
    } else {
        println!("{}", table.render());
    }
    Ok(())
}

pub async fn decide(
    ctx: &Context,
    id: &EscalationId,
    decision: DecisionArg,
    note: Option<&str>,
) -> anyhow::Result<()> {
    let decision = match decision {
        DecisionArg::Approve => Decision::Approve,
        DecisionArg::Deny => Decision::Deny,
    };
    let (store, person) = ctx.open_as_person().await?;
    let e = escalations::decide(&store, &person, id, decision, note).await?;
    store.close().await;
    println!(
        "escalation {} ({} on ticket {}) {} by {} ({}){}",
        e.id,
        e.proposed_action,
        e.ticket_id,
        e.status,
        person.name,
        person.role,
        e.decision_note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default()
    );
    Ok(())
}
