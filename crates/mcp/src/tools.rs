//! The tools and prompts. Read tools return records; proposal tools file drafts, escalations
//! and internal notes for a person to review. No tool sends, approves, refunds, voids or edits
//! billing data — there is none to call.

use crate::args::*;
use crate::server::{DeskServer, tool_error};
use countersign_core::Result;
use countersign_core::records::{customers, invoices, kb, tickets};
use countersign_core::workflow::{Proposer, drafts, escalations, notes};
use countersign_model::TicketId;
use countersign_model::records::{
    ArticleHit, CustomerDetail, CustomerHits, InvoiceDetail, InvoiceSummary, Message, Page,
    TicketRow,
};
use countersign_model::workflow::{Draft, Escalation, TicketDetail};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{Json, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Knowledge-base articles matching a search, best first.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ArticleHits {
    pub articles: Vec<ArticleHit>,
}

#[tool_router(vis = "pub(crate)")]
impl DeskServer {
    #[tool(
        description = "Find customers by name, e-mail or company (full-text, every word must match). Returns ids to use with get_customer.",
        annotations(
            title = "Search customers",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn search_customers(
        &self,
        Parameters(a): Parameters<SearchCustomersArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<CustomerHits>, CallToolResult> {
        let call = self.caller(&ctx, "search_customers", &a);
        self.finish_read(call, None, move |db| {
            Box::pin(async move { customers::search(db, &a.query, a.limit).await })
        })
        .await
    }

    #[tool(
        description = "One customer by customer_id, external_id or email, with unpaid and overdue totals per currency, the current subscription, wallet balances and open ticket count.",
        annotations(
            title = "Get customer",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn get_customer(
        &self,
        Parameters(a): Parameters<GetCustomerArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<CustomerDetail>, CallToolResult> {
        let call = self.caller(&ctx, "get_customer", &a);
        self.finish_read(call, None, move |db| {
            Box::pin(async move { customers::detail(db, &a.customer_ref()?).await })
        })
        .await
    }

    #[tool(
        description = "Invoices, newest first, filtered by customer_id, status, payment_status, issue date range or overdue; pass next_cursor back as cursor for the next page. Each item is a summary (number, statuses, total, paid, remaining, refunded, dates, overdue); get_invoice gives line items and payments.",
        annotations(
            title = "List invoices",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn list_invoices(
        &self,
        Parameters(a): Parameters<ListInvoicesArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<Page<InvoiceSummary>>, CallToolResult> {
        let call = self.caller(&ctx, "list_invoices", &a);
        self.finish_read(call, None, move |db| {
            Box::pin(async move {
                let cursor = a.cursor.as_deref().filter(|c| !c.is_empty());
                invoices::list(db, &a.filter()?, cursor, a.limit).await
            })
        })
        .await
    }

    #[tool(
        description = "One invoice by invoice_id or invoice_number (as printed, e.g. INV-2026-000123), with its customer, line items and every payment attempt (with failure reasons).",
        annotations(
            title = "Get invoice",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn get_invoice(
        &self,
        Parameters(a): Parameters<GetInvoiceArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<InvoiceDetail>, CallToolResult> {
        let call = self.caller(&ctx, "get_invoice", &a);
        self.finish_read(call, None, move |db| {
            Box::pin(async move { invoices::detail(db, &a.invoice_ref()?).await })
        })
        .await
    }

    #[tool(
        description = "The inbox: tickets, most recently updated first, filtered by status, customer_id, assignee, unassigned, needs_review or words in the subject or messages; with counts of drafts awaiting review and open escalations.",
        annotations(
            title = "List tickets",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn list_tickets(
        &self,
        Parameters(a): Parameters<ListTicketsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<Page<TicketRow>>, CallToolResult> {
        let call = self.caller(&ctx, "list_tickets", &a);
        self.finish_read(call, None, move |db| {
            Box::pin(async move {
                let cursor = a.cursor.as_deref().filter(|c| !c.is_empty());
                tickets::list(db, &a.filter()?, cursor, a.limit).await
            })
        })
        .await
    }

    #[tool(
        description = "One ticket with its whole thread (public messages and internal notes), its customer, the drafts filed for it (with staleness) and its escalations.",
        annotations(
            title = "Get ticket",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn get_ticket(
        &self,
        Parameters(a): Parameters<GetTicketArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<TicketDetail>, CallToolResult> {
        let call = self.caller(&ctx, "get_ticket", &a);
        let subject = a.ticket_id.clone();
        self.finish_read(call, Some(&subject), move |db| {
            Box::pin(
                async move { tickets::detail_on(db, &TicketId::parse(a.ticket_id.trim())?).await },
            )
        })
        .await
    }

    #[tool(
        description = "Search the knowledge base (refund policy, failed payments, invoices, VAT, plan changes...) in en, es, fr or de. Returns article ids and matching passages; cite them as kb_article.",
        annotations(
            title = "Search knowledge base",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn search_kb(
        &self,
        Parameters(a): Parameters<SearchKbArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<ArticleHits>, CallToolResult> {
        let call = self.caller(&ctx, "search_kb", &a);
        self.finish_read(call, None, move |db| {
            Box::pin(async move {
                let language = a
                    .language
                    .as_deref()
                    .map(str::trim)
                    .filter(|l| !l.is_empty());
                Ok(ArticleHits {
                    articles: kb::search(db, &a.query, language, a.limit).await?,
                })
            })
        })
        .await
    }

    #[tool(
        description = "Propose a reply to a ticket, in the customer's language, citing the records it relies on. It is NOT sent: it waits for a person to approve, edit or reject it. If the customer writes again or a cited record changes before then, the draft goes stale. Every amount, invoice number and date in the text is checked against this customer's records: figures no record shows come back flagged in `claims` (grounded: false), lower the draft's confidence and are shown to the reviewer.",
        annotations(
            title = "Draft a reply",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn draft_reply(
        &self,
        Parameters(a): Parameters<DraftReplyArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<Draft>, CallToolResult> {
        let mut call = self
            .caller(&ctx, "draft_reply", &a)
            .map_err(|e| tool_error(&e))?;
        call.model = a.model.clone().filter(|m| !m.trim().is_empty());
        let result = async { drafts::propose(&self.store, &call, &a.new_draft()?).await }.await;
        self.finish_proposal(&call, result).await
    }

    #[tool(
        description = "Ask a supervisor to act: refund, credit_note, void_invoice, waive_fee or other, with the invoice (invoice_id or invoice_number) and amount where it applies. Nothing happens until a person approves it.",
        annotations(
            title = "Raise an escalation",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn raise_escalation(
        &self,
        Parameters(a): Parameters<RaiseEscalationArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<Escalation>, CallToolResult> {
        let call = self
            .caller(&ctx, "raise_escalation", &a)
            .map_err(|e| tool_error(&e))?;
        let result = async {
            escalations::raise(
                &self.store,
                Proposer::Assistant(&call),
                &a.new_escalation()?,
            )
            .await
        }
        .await;
        self.finish_proposal(&call, result).await
    }

    #[tool(
        description = "Add an internal note to a ticket for the support team (the customer never sees it), e.g. what you checked and found.",
        annotations(
            title = "Add internal note",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    #[tracing::instrument(skip_all)]
    async fn add_internal_note(
        &self,
        Parameters(a): Parameters<AddInternalNoteArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<Message>, CallToolResult> {
        let call = self
            .caller(&ctx, "add_internal_note", &a)
            .map_err(|e| tool_error(&e))?;
        let result = async {
            notes::add(
                &self.store,
                Proposer::Assistant(&call),
                &TicketId::parse(a.ticket_id.trim())?,
                &a.body,
            )
            .await
        }
        .await;
        self.finish_proposal(&call, result).await
    }
}
