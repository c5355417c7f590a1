//! The MCP server of one desk: who is calling (stdio session or HTTP token), how each call is
//! audited, how core errors become tool errors with a stable code, and the resources and
//! prompts. The tools themselves are in `tools.rs`.

use countersign_core::records::{customers, invoices, tickets};
use countersign_core::workflow::{self, AssistantCall, Connection, ReadFuture};
use countersign_core::{Error, Result, Store};
use countersign_model::workflow::{TokenInfo, TokenScope};
use countersign_model::{CustomerId, ErrorCode, InvoiceId, TicketId};
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{
    CallToolResult, Implementation, ListResourceTemplatesResult, ListResourcesResult,
    PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, Json, RoleServer, ServerHandler, prompt_handler, tool_handler};
use serde::Serialize;
use serde_json::json;
use std::time::Instant;

/// What the HTTP auth layer learnt about the caller; read back from the request's parts.
#[derive(Debug, Clone)]
pub struct HttpCaller {
    pub token: TokenInfo,
}

#[derive(Debug, Clone)]
enum Session {
    /// A local assistant that launched `countersign mcp`; its scope comes from a flag.
    Stdio { scope: TokenScope },
    /// Callers authenticated (and rate-limited) per request by bearer token, at the HTTP door.
    Http,
}

/// The MCP server over one desk. Cheap to clone: one per HTTP session.
#[derive(Clone)]
pub struct DeskServer {
    pub(crate) store: Store,
    session: Session,
    pub(crate) tool_router: ToolRouter<Self>,
    pub(crate) prompt_router: PromptRouter<Self>,
}

impl std::fmt::Debug for DeskServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeskServer")
            .field("desk", &self.store.path())
            .field("session", &self.session)
            .finish()
    }
}

const INSTRUCTIONS: &str = "Countersign is a billing-support desk. Read customers, invoices, \
payments, tickets and knowledge-base articles with the read tools. You may propose: draft a \
reply (`draft_reply`, citing the records you relied on), raise an escalation for a refund, \
credit note, void or waived fee (`raise_escalation`), or add an internal note. You cannot send, \
approve, refund or change billing data: a person reviews every proposal. Amounts are decimal \
strings with a currency; never round them.";

impl DeskServer {
    /// A server for a stdio session whose assistant may do what `scope` allows.
    pub fn stdio(store: Store, scope: TokenScope) -> Self {
        Self::new(store, Session::Stdio { scope })
    }

    /// A server for HTTP sessions; callers are identified by their token per request.
    pub fn http(store: Store) -> Self {
        Self::new(store, Session::Http)
    }

    fn new(store: Store, session: Session) -> Self {
        Self {
            store,
            session,
            tool_router: Self::tool_router(),
            prompt_router: Self::prompt_router(),
        }
    }

    /// Who is calling `tool`, and with what rights. Refuses a call without a token before
    /// anything is read or written (over HTTP the door has checked the token and its rate).
    pub(crate) fn caller(
        &self,
        ctx: &RequestContext<RoleServer>,
        tool: &str,
        arguments: &impl Serialize,
    ) -> Result<AssistantCall> {
        let started = Instant::now();
        let arguments = serde_json::to_value(arguments).unwrap_or(serde_json::Value::Null);
        match &self.session {
            Session::Stdio { scope } => Ok(AssistantCall {
                client: ctx
                    .client_info()
                    .map(|i| i.name)
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| "stdio client".into()),
                model: None,
                token_id: None,
                scope: *scope,
                tool: tool.to_owned(),
                arguments,
                started,
            }),
            Session::Http => {
                let token = ctx
                    .extensions
                    .get::<axum::http::request::Parts>()
                    .and_then(|p| p.extensions.get::<HttpCaller>())
                    .map(|c| c.token.clone())
                    .ok_or_else(|| Error::Unauthenticated("no token on this request".into()))?;
                Ok(AssistantCall {
                    client: token.name.clone(),
                    model: None,
                    token_id: Some(token.id),
                    scope: token.scope,
                    tool: tool.to_owned(),
                    arguments,
                    started,
                })
            }
        }
    }

    /// Runs a read on one of the desk's connections and audits it there (see
    /// [`workflow::audited_read`]), mapping the result.
    pub(crate) async fn finish_read<T, F>(
        &self,
        call: Result<AssistantCall>,
        subject: Option<&str>,
        read: F,
    ) -> Result<Json<T>, CallToolResult>
    where
        F: for<'c> FnOnce(&'c mut Connection) -> ReadFuture<'c, T>,
    {
        let call = call.map_err(|e| tool_error(&e))?;
        workflow::audited_read(&self.store, &call, subject, read)
            .await
            .map(Json)
            .map_err(|e| tool_error(&e))
    }

    /// Finishes a proposal: core audited success with the effect; a failure is audited here.
    pub(crate) async fn finish_proposal<T>(
        &self,
        call: &AssistantCall,
        result: Result<T>,
    ) -> Result<Json<T>, CallToolResult> {
        match result {
            Ok(v) => Ok(Json(v)),
            Err(e) => {
                if let Err(audit) =
                    workflow::record_call(&self.store, call, None, e.code().as_str()).await
                {
                    tracing::error!(error = %audit, tool = %call.tool, "cannot audit a refused MCP call");
                }
                Err(tool_error(&e))
            }
        }
    }
}

/// A tool error: `isError` with `{"error": {"code", "message"}}` as structured content.
pub(crate) fn tool_error(e: &Error) -> CallToolResult {
    if e.code() == ErrorCode::Internal {
        tracing::error!(error = %e, "MCP call failed");
    }
    CallToolResult::structured_error(json!({
        "error": { "code": e.code(), "message": e.public_message() }
    }))
}

fn resource_error(e: &Error, uri: &str) -> McpError {
    let data = Some(json!({"code": e.code(), "uri": uri}));
    match e.code() {
        ErrorCode::NotFound => McpError::resource_not_found(e.public_message(), data),
        ErrorCode::InvalidArgument => McpError::invalid_params(e.public_message(), data),
        _ => McpError::internal_error(e.public_message(), data),
    }
}

/// The resource URI templates, and the prefix each is read by.
const TEMPLATES: [(&str, &str, &str); 3] = [
    (
        "countersign://customer/{id}",
        "customer",
        "A customer with unpaid and overdue totals, subscription and wallets",
    ),
    (
        "countersign://invoice/{id}",
        "invoice",
        "An invoice with its line items and payments",
    ),
    (
        "countersign://ticket/{id}",
        "ticket",
        "A ticket with its thread, customer, drafts and escalations",
    ),
];

impl DeskServer {
    async fn read_uri(db: &mut Connection, uri: &str) -> Result<String> {
        let rest = uri
            .strip_prefix("countersign://")
            .ok_or_else(|| Error::invalid(format!("{uri:?} is not a countersign:// URI")))?;
        let (kind, id) = rest
            .split_once('/')
            .ok_or_else(|| Error::invalid(format!("{uri:?} has no id")))?;
        let json = match kind {
            "customer" => serde_json::to_string_pretty(
                &customers::detail(db, &customers::CustomerRef::Id(CustomerId::parse(id)?)).await?,
            ),
            "invoice" => serde_json::to_string_pretty(
                &invoices::detail(db, &invoices::InvoiceRef::Id(InvoiceId::parse(id)?)).await?,
            ),
            "ticket" => {
                serde_json::to_string_pretty(&tickets::detail_on(db, &TicketId::parse(id)?).await?)
            }
            other => return Err(Error::not_found("resource kind", other)),
        };
        json.map_err(|e| Error::Internal(e.to_string()))
    }
}

#[tool_handler(router = self.tool_router)]
#[prompt_handler(router = self.prompt_router)]
impl ServerHandler for DeskServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .enable_prompts()
                .build(),
        )
        .with_server_info(
            Implementation::new("countersign", env!("CARGO_PKG_VERSION"))
                .with_title("Countersign desk"),
        )
        .with_instructions(INSTRUCTIONS)
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _ctx: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        // Records are many; they are reached through the templates, not enumerated.
        Ok(ListResourcesResult::with_all_items(vec![]))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _ctx: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        Ok(ListResourceTemplatesResult::with_all_items(
            TEMPLATES
                .iter()
                .map(|(uri, name, description)| {
                    ResourceTemplate::new(*uri, *name)
                        .with_description(*description)
                        .with_mime_type("application/json")
                })
                .collect(),
        ))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        ctx: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let uri = request.uri.clone();
        let call = self
            .caller(&ctx, "read_resource", &json!({"uri": uri}))
            .map_err(|e| resource_error(&e, &uri))?;
        let read = uri.clone();
        let text = workflow::audited_read(&self.store, &call, Some(&uri), move |db| {
            Box::pin(async move { Self::read_uri(db, &read).await })
        })
        .await
        .map_err(|e| resource_error(&e, &uri))?;
        Ok(ReadResourceResult::new(vec![
            ResourceContents::text(text, uri).with_mime_type("application/json"),
        ])
        .into())
    }
}
