//! `countersign ticket …`: what a person does to a ticket from the terminal, through the same
//! core decisions as the window.

use crate::desk::Context;
use clap::Subcommand;
use countersign_core::records::tickets;
use countersign_core::workflow::merge;
use countersign_model::TicketId;

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
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
    let TicketCommand::Merge { id, into } = command;
    let (store, person) = ctx.open_as_person().await?;
    // From a terminal the person decides on the tickets as the desk holds them now.
    let seen = tickets::find(store.pool(), id).await?.version;
    let into_seen = tickets::find(store.pool(), into).await?.version;
    let merged = merge::merge(&store, &person, id, seen, into, into_seen).await;
    store.close().await;
    merged?;
    println!(
        "merged ticket {id} into {into} as {}; queued for the platform",
        person.name
    );
    Ok(())
}
