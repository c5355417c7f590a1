//! The IPC commands: one line each into `countersign-core`, errors mapped once into
//! `{code, message}` (driver details are logged, never shown). Each runs in a span named after
//! it (arguments are not recorded: they carry customers' words); a refusal is logged at info.

use crate::Desk;
use countersign_core::drafting::{self, Trigger, providers};
use countersign_core::records::invoices::{self, InvoiceRef};
use countersign_core::records::{kb, tickets};
use countersign_core::saved_replies as saved;
use countersign_core::workflow::{
    Proposer, drafts, escalations, merge, notes, replies, ticket_actions,
};
use countersign_core::{
    activity, customer_panel, desk_settings, desk_status, escalation_queue, inbox, ipc_inputs,
    settings, sync,
};
use countersign_model::ipc::*;
use countersign_model::records::{Article, InvoiceDetail, Message, Page, Ticket, TicketRow};
use countersign_model::saved_replies::{
    FillReply, FilledReply, SaveReply, SavedReply, SavedReplyQuery,
};
use countersign_model::sync::{PresenceEntry, SyncNotice};
use countersign_model::workflow::{
    Draft, Escalation, Person, ProviderInfo, TicketDetail, TokenInfo,
};
use countersign_model::{ArticleId, CustomerId, DraftId, InvoiceId, TicketId};
use tauri::State;

mod configure;
pub use configure::*;

type Reply<T> = Result<T, IpcError>;

/// Maps a core error to what the UI sees, logging what it must not see.
fn ipc(e: countersign_core::Error) -> IpcError {
    if e.code() == countersign_model::ErrorCode::Internal {
        tracing::error!(error = %e, "command failed");
    }
    IpcError {
        code: e.code(),
        message: e.detail(),
        problem: e.problem(),
    }
}

impl Desk {
    async fn person(&self) -> Reply<Person> {
        settings::person(self.store.pool()).await.map_err(ipc)
    }
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn desk_status(desk: State<'_, Desk>) -> Reply<DeskStatus> {
    let mcp = desk.mcp.status().await;
    desk_status::load(&desk.store, &desk.profile, mcp)
        .await
        .map_err(ipc)
}

/// The platform's refusals and conflicts, newest first; `acknowledge` marks them read.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn sync_notices(desk: State<'_, Desk>, acknowledge: bool) -> Reply<Vec<SyncNotice>> {
    sync::notices(&desk.store, acknowledge).await.map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn inbox(desk: State<'_, Desk>, req: InboxQuery) -> Reply<Page<TicketRow>> {
    inbox::page(desk.store.pool(), &desk.person().await?, &req)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn ticket(desk: State<'_, Desk>, id: TicketId) -> Reply<TicketDetail> {
    tickets::detail(desk.store.pool(), &id).await.map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn approve_draft(desk: State<'_, Desk>, req: ApproveDraft) -> Reply<Draft> {
    let edited = req.edited_body.as_deref();
    drafts::approve(&desk.store, &desk.person().await?, &req.draft_id, edited)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn reject_draft(desk: State<'_, Desk>, req: RejectDraft) -> Reply<Draft> {
    drafts::reject(
        &desk.store,
        &desk.person().await?,
        &req.draft_id,
        &req.reason,
    )
    .await
    .map_err(ipc)
}

/// "Draft with AI": the desk drafts a reply to the ticket now.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn draft_with_ai(desk: State<'_, Desk>, req: DraftWithAi) -> Reply<Draft> {
    let person = desk.person().await?;
    drafting::draft_ticket(&desk.store, &req.ticket_id, Trigger::Person(&person), None)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn rereview_draft(desk: State<'_, Desk>, id: DraftId) -> Reply<Draft> {
    drafts::rereview(&desk.store, &desk.person().await?, &id)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn write_reply(desk: State<'_, Desk>, req: WriteReply) -> Reply<Message> {
    replies::write(
        &desk.store,
        &desk.person().await?,
        &req.ticket_id,
        &req.body,
    )
    .await
    .map_err(ipc)
}

/// Moves a ticket to another status, as the person saw it.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn set_ticket_status(desk: State<'_, Desk>, req: SetTicketStatus) -> Reply<()> {
    let person = desk.person().await?;
    ticket_actions::set_status(
        &desk.store,
        &person,
        &req.ticket_id,
        req.status,
        req.seen_version,
    )
    .await
    .map_err(ipc)
}

/// Gives a ticket to an agent of the tenant, or to nobody, as the person saw it.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn assign_ticket(desk: State<'_, Desk>, req: AssignTicket) -> Reply<()> {
    let person = desk.person().await?;
    let to = req.assignee.as_deref();
    ticket_actions::assign(&desk.store, &person, &req.ticket_id, to, req.seen_version)
        .await
        .map_err(ipc)
}

/// Sets a ticket aside until a time, or wakes it, as the person saw it.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn snooze_ticket(desk: State<'_, Desk>, req: SnoozeTicket) -> Reply<()> {
    let person = desk.person().await?;
    ticket_actions::snooze(
        &desk.store,
        &person,
        &req.ticket_id,
        req.until,
        req.seen_version,
    )
    .await
    .map_err(ipc)
}

/// The tenant's agents a ticket can go to, and which is the person at the desk.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn team(desk: State<'_, Desk>) -> Reply<Team> {
    let person = desk.person().await?;
    ticket_actions::team(&desk.store, &person)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn set_ticket_priority(desk: State<'_, Desk>, req: SetTicketPriority) -> Reply<()> {
    let person = desk.person().await?;
    ticket_actions::set_priority(&desk.store, &person, &req.ticket_id, req.priority)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn add_note(desk: State<'_, Desk>, req: AddNote) -> Reply<Message> {
    let person = desk.person().await?;
    notes::add(
        &desk.store,
        Proposer::Person(&person),
        &req.ticket_id,
        &req.body,
    )
    .await
    .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn raise_escalation(desk: State<'_, Desk>, req: RaiseEscalation) -> Reply<Escalation> {
    let person = desk.person().await?;
    let input = ipc_inputs::new_escalation(req).map_err(ipc)?;
    escalations::raise(&desk.store, Proposer::Person(&person), &input)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn decide_escalation(desk: State<'_, Desk>, req: DecideEscalation) -> Reply<Escalation> {
    let (id, note) = (&req.escalation_id, req.note.as_deref());
    escalations::decide(&desk.store, &desk.person().await?, id, req.decision, note)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn retry_execution(
    desk: State<'_, Desk>,
    escalation_id: countersign_model::EscalationId,
) -> Reply<Escalation> {
    escalations::retry_execution(&desk.store, &desk.person().await?, &escalation_id)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn escalations(desk: State<'_, Desk>, req: EscalationQuery) -> Reply<Vec<EscalationRow>> {
    escalation_queue::list(desk.store.pool(), req.status)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn customer_panel(desk: State<'_, Desk>, id: CustomerId) -> Reply<CustomerPanel> {
    customer_panel::load(desk.store.pool(), &id)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn invoice(desk: State<'_, Desk>, id: InvoiceId) -> Reply<InvoiceDetail> {
    invoices::detail(desk.store.pool(), &InvoiceRef::Id(id))
        .await
        .map_err(ipc)
}

/// The tickets of the same customer this ticket can be merged into.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn merge_candidates(desk: State<'_, Desk>, id: TicketId) -> Reply<Vec<Ticket>> {
    tickets::merge_candidates(desk.store.pool(), &id)
        .await
        .map_err(ipc)
}

/// Merges a ticket into another of the same customer, both as the person saw them.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn merge_ticket(desk: State<'_, Desk>, req: MergeTicket) -> Reply<()> {
    let person = desk.person().await?;
    merge::merge(
        &desk.store,
        &person,
        &req.ticket_id,
        req.seen_version,
        &req.into,
        req.into_version,
    )
    .await
    .map_err(ipc)
}

/// Saves a file a customer sent, fetched from the platform, into the downloads folder; returns
/// where it went. Nothing opens it.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn save_attachment(desk: State<'_, Desk>, id: String) -> Reply<String> {
    let person = desk.person().await?;
    countersign_core::attachments::save(&desk.store, &person, &id, None)
        .await
        .map(|p| p.display().to_string())
        .map_err(ipc)
}

/// The person's colleagues on `id` now (from the platform's event stream).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn presence(desk: State<'_, Desk>, id: TicketId) -> Reply<Vec<PresenceEntry>> {
    let person = desk.person().await?;
    sync::presence::on_ticket(&desk.store, &person, &id)
        .await
        .map_err(ipc)
}

/// Tells the platform the person is on `ticket` now, reading or replying (or on none).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn announce_presence(
    desk: State<'_, Desk>,
    ticket: Option<TicketId>,
    replying: bool,
) -> Reply<bool> {
    sync::presence::announce(&desk.store, ticket.as_ref(), replying)
        .await
        .map_err(ipc)
}

/// The saved replies in use that match a search, the ticket's language first.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn saved_replies(desk: State<'_, Desk>, q: SavedReplyQuery) -> Reply<Vec<SavedReply>> {
    saved::search(&desk.store, &q).await.map_err(ipc)
}

/// A saved reply filled with the ticket's records, for the reply box; sends nothing.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn fill_saved_reply(desk: State<'_, Desk>, req: FillReply) -> Reply<FilledReply> {
    let person = desk.person().await?;
    saved::fill(&desk.store, &person, &req.ticket_id, &req.reply_id)
        .await
        .map_err(ipc)
}

/// Keeps a personal saved reply on this desk.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn save_reply(desk: State<'_, Desk>, req: SaveReply) -> Reply<SavedReply> {
    let person = desk.person().await?;
    saved::save_personal(&desk.store, &person, &req)
        .await
        .map_err(ipc)
}

/// Deletes one of the person's own saved replies.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn delete_reply(desk: State<'_, Desk>, id: String) -> Reply<()> {
    let person = desk.person().await?;
    saved::delete_personal(&desk.store, &person, &id)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn kb_article(desk: State<'_, Desk>, id: ArticleId) -> Reply<Article> {
    kb::find(desk.store.pool(), &id).await.map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn activity(desk: State<'_, Desk>, filter: Option<String>) -> Reply<ActivityView> {
    activity::load(desk.store.pool(), filter.as_deref())
        .await
        .map_err(ipc)
}
