//! `countersign attachment save ID`: a file a customer sent, fetched from the platform and saved
//! as a plain file; nothing opens it.

use crate::desk::Context;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// Save a file a customer sent (`att_…`, listed on its message) from the platform.
    Save {
        id: String,
        /// The folder to save into [default: your downloads folder].
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
}

pub async fn run(ctx: &Context, command: &AttachmentCommand) -> anyhow::Result<()> {
    let AttachmentCommand::Save { id, to } = command;
    let (store, person) = ctx.open_as_person().await?;
    let saved = countersign_core::attachments::save(&store, &person, id, to.as_deref()).await;
    store.close().await;
    println!("{}", saved?.display());
    Ok(())
}
