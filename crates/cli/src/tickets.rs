//! `countersign ticket …`: what a person does to a ticket from the terminal — its status,
//! priority, assignee, snooze, a merge — through the same core decisions as the window, on the
//! ticket as the desk holds it now.

use crate::desk::Context;
use clap::Subcommand;
use countersign_core::records::tickets;
use countersign_core::workflow::{merge, ticket_actions};
use countersign_model::TicketId;
use countersign_model::records::{TicketPriority, TicketStatus};

fn status(s: &str) -> Result<TicketStatus, String> {
    TicketStatus::parse(s).map_err(|e| e.to_string())
}

fn priority(s: &str) -> Result<TicketPriority, String> {
    TicketPriority::parse(s).map_err(|e| e.to_string())
}

fn time(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.to_utc())
        .map_err(|e| format!("expected a time like 2026-12-08T09:00:00+01:00: {e}"))
}

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// Move a ticket: open, pending (waiting on the customer), solved, closed.
    Status {
        /// The ticket (`tkt_…`).
        id: TicketId,
        #[arg(value_parser = status)]
        status: TicketStatus,
    },
    /// Give a ticket a priority: low, normal, high, urgent.
    Priority {
        /// The ticket (`tkt_…`).
        id: TicketId,
        #[arg(value_parser = priority)]
        priority: TicketPriority,
    },
    /// Give a ticket to an agent of the tenant (by id, `agt_…`), to yourself, or to nobody.
    Assign {
        /// The ticket (`tkt_…`).
        id: TicketId,
        /// The agent's id.
        #[arg(long, value_name = "AGENT", conflicts_with_all = ["me", "nobody"], required_unless_present_any = ["me", "nobody"])]
        to: Option<String>,
        /// To yourself.
        #[arg(long)]
        me: bool,
        /// To nobody.
        #[arg(long)]
        nobody: bool,
    },
    /// Set a ticket aside until a time (RFC 3339), or wake it.
    Snooze {
        /// The ticket (`tkt_…`).
        id: TicketId,
        #[arg(long, value_parser = time, conflicts_with = "wake", required_unless_present = "wake")]
        until: Option<chrono::DateTime<chrono::Utc>>,
        /// Wake it now.
        #[arg(long)]
        wake: bool,
    },
    /// Merge a ticket into another ticket of the same customer: its thread, drafts and
    /// escalations move there and it is closed, pointing to it. Queued for the platform.
    Merge {
        /// The ticket merged away (`tkt_…`).
        id: TicketId,
        /// The ticket that stays.
        #[arg(long, value_name = "TICKET")]
        into: TicketId,
    },
}

pub async fn run(ctx: &Context, command: &TicketCommand) -> anyhow::Result<()> {
    let (store, person) = ctx.open_as_person().await?;
    // From a terminal the person decides on the ticket as the desk holds it now.
    let seen = |id: TicketId| {
        let store = store.clone();
        async move { tickets::find(store.pool(), &id).await.map(|t| t.version) }
    };
    let done = match command {
        TicketCommand::Status { id, status } => {
            let v = seen(id.clone()).await?;
            ticket_actions::set_status(&store, &person, id, *status, v)
                .await
                .map(|()| format!("ticket {id} is {status} now"))
        }
        TicketCommand::Priority { id, priority } => {
            ticket_actions::set_priority(&store, &person, id, *priority)
                .await
                .map(|()| format!("ticket {id} has priority {priority} now"))
        }
        TicketCommand::Assign { id, to, me, nobody } => {
            let v = seen(id.clone()).await?;
            let to = match (to, me, nobody) {
                (_, true, _) => Some(person.id.clone()),
                (_, _, true) => None,
                (to, ..) => to.clone(),
            };
            ticket_actions::assign(&store, &person, id, to.as_deref(), v)
                .await
                .map(|()| match &to {
                    Some(a) => format!("ticket {id} is assigned to {a} now"),
                    None => format!("ticket {id} is assigned to nobody now"),
                })
        }
        TicketCommand::Snooze { id, until, .. } => {
            let v = seen(id.clone()).await?;
            ticket_actions::snooze(&store, &person, id, *until, v)
                .await
                .map(|()| match until {
                    Some(t) => format!("ticket {id} is snoozed until {}", t.to_rfc3339()),
                    None => format!("ticket {id} is awake"),
                })
        }
        TicketCommand::Merge { id, into } => {
            let (v, into_v) = (seen(id.clone()).await?, seen(into.clone()).await?);
            merge::merge(&store, &person, id, v, into, into_v)
                .await
                .map(|()| format!("merged ticket {id} into {into}"))
        }
    };
    store.close().await;
    println!("{} as {}; queued for the platform", done?, person.name);
    Ok(())
}
