//! The prompts: ready-made instructions that point an assistant at the right tools. A prompt
//! carries desk data (names, emails, the latest messages), so it is read and audited like a
//! tool's read, under the caller's token and rate limit.

use crate::args::{TicketPromptArgs, TriagePromptArgs};
use crate::server::DeskServer;
use countersign_core::Error;
use countersign_core::records::tickets;
use countersign_model::TicketId;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{GetPromptResult, PromptMessage, Role};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, prompt, prompt_router};
use serde_json::json;

fn prompt_error(e: Error) -> McpError {
    McpError::invalid_params(
        e.public_message(),
        Some(serde_json::json!({"code": e.code()})),
    )
}

#[prompt_router(vis = "pub(crate)")]
impl DeskServer {
    #[prompt(
        name = "draft_reply_for_ticket",
        description = "Draft a reply for one ticket: read it, check the billing records, and file a cited draft for review."
    )]
    async fn draft_reply_for_ticket(
        &self,
        Parameters(a): Parameters<TicketPromptArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<GetPromptResult, McpError> {
        let call = self
            .caller(
                &ctx,
                "draft_reply_for_ticket",
                &json!({"ticket_id": a.ticket_id}),
            )
            .map_err(prompt_error)?;
        let id = TicketId::parse(a.ticket_id.trim()).map_err(|e| prompt_error(e.into()));
        let read = id.clone();
        let t = countersign_core::workflow::audited_read(
            &self.store,
            &call,
            Some(a.ticket_id.trim()),
            move |db| {
                Box::pin(async move {
                    let id = read.map_err(|_| Error::invalid("`ticket_id` is not a ticket id"))?;
                    tickets::detail_on(db, &id).await
                })
            },
        )
        .await
        .map_err(prompt_error)?;
        let id = id?;
        let last = t
            .thread
            .iter()
            .rev()
            .find(|m| m.author_kind == countersign_model::records::AuthorKind::Customer)
            .map(|m| m.body.as_str())
            .unwrap_or("(no customer message)");
        let text = format!(
            "You are helping a billing-support agent answer ticket {id} \"{subject}\" from {name} <{email}> \
             (customer {cid}, language: {lang}).\n\nTheir latest message:\n---\n{last}\n---\n\n\
             1. Call get_ticket with ticket_id \"{id}\" for the whole thread.\n\
             2. Call get_customer with customer_id \"{cid}\", and get_invoice / list_invoices for any invoice \
             they mention; check payments and their failure reasons.\n\
             3. Call search_kb for the policy that applies.\n\
             4. Call draft_reply with a reply in {lang}, exact amounts with currency, a confidence from 0 to 1, \
             and citations for every invoice, payment, message and kb_article you relied on.\n\
             5. If money must move (refund, credit note, void, waived fee), also call raise_escalation with the \
             invoice and amount; never promise the customer a refund that a supervisor has not approved.",
            subject = t.ticket.subject,
            name = t.customer.name,
            email = t.customer.email,
            cid = t.customer.id,
            lang = t.ticket.language,
        );
        Ok(
            GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
                .with_description(format!("Draft a reply for {id}")),
        )
    }

    #[prompt(
        name = "triage_inbox",
        description = "Triage the open tickets: order them by urgency and say which need a draft, an escalation or a person."
    )]
    async fn triage_inbox(
        &self,
        Parameters(a): Parameters<TriagePromptArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<GetPromptResult, McpError> {
        let call = self
            .caller(&ctx, "triage_inbox", &json!({"limit": a.limit}))
            .map_err(prompt_error)?;
        let limit = match a.limit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => 20,
            Some(s) => s.parse::<i64>().map_err(|_| {
                prompt_error(Error::invalid(format!(
                    "`limit` must be a whole number, got {s:?}"
                )))
            })?,
        };
        let filter = tickets::TicketFilter {
            status: Some(countersign_model::records::TicketStatus::Open),
            ..Default::default()
        };
        let page = countersign_core::workflow::audited_read(&self.store, &call, None, move |db| {
            Box::pin(async move { tickets::list(db, &filter, None, limit).await })
        })
        .await
        .map_err(prompt_error)?;
        let mut lines = String::new();
        for r in &page.items {
            lines.push_str(&format!(
                "- {id} [{prio}] \"{subject}\" — {customer}; SLA due {sla}; drafts awaiting review: {d}; open escalations: {e}\n",
                id = r.ticket.id,
                prio = r.ticket.priority,
                subject = r.ticket.subject,
                customer = r.customer_name,
                sla = r.ticket.sla_due_at.map(|t| t.to_rfc3339()).unwrap_or_else(|| "none".into()),
                d = r.pending_drafts,
                e = r.open_escalations,
            ));
        }
        if lines.is_empty() {
            lines.push_str("(no open tickets)\n");
        }
        let text = format!(
            "Triage these open billing-support tickets, most urgent first (SLA, priority, money at stake, \
             angry customers). For each, say in one line: what the customer needs, which records to check, \
             and whether to draft a reply (draft_reply), escalate (raise_escalation) or leave it to a person. \
             Use get_ticket for details. Do not file anything unless asked.\n\n{lines}"
        );
        Ok(
            GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
                .with_description("Triage the open tickets"),
        )
    }
}
