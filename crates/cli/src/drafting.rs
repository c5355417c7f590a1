//! `countersign draft <ticket>`: the desk drafts a reply to one ticket and files it for review,
//! printing who wrote it, how long it took and what the grounding check found.

use crate::desk::Context;
use crate::review::{all_backed, render_draft};
use clap::Args;
use countersign_core::drafting::{self, Trigger};
use countersign_model::TicketId;

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The ticket's id (`tkt_…`).
    pub ticket: TicketId,
    /// Print the filed draft as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(ctx: &Context, args: &DraftArgs) -> anyhow::Result<()> {
    let (store, person) = ctx.open_as_person().await?;
    let draft = drafting::draft_ticket(&store, &args.ticket, Trigger::Person(&person)).await;
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
    print!("{}", render_draft(&draft));
    Ok(())
}
