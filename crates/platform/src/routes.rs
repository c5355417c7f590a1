//! The HTTP surface, as one table: the router is built from it and the OpenAPI document
//! describes it, so the two cannot drift apart (a test checks the document against the table and
//! the running server).

use crate::auth::Caller;
use crate::error::Error;
use crate::{
    AppState, MAX_BODY_BYTES, admin, events, feed, ingest, mutations, openapi, saved_replies,
};
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post, put};
use axum::{Json, Router};
use countersign_model::sync::{AgentInfo, Me, TenantInfo};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Nobody needs a token (the OpenAPI document).
    Public,
    /// An agent's API token (a desk's); the route sees only that agent's tenant.
    Agent,
    /// An integration's ingest token; the route sees only that token's tenant.
    Ingest,
    /// The admin token given at start.
    Admin,
}

#[derive(Debug)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub auth: Auth,
    handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, auth: Auth, handler: MethodRouter<AppState>) -> Route {
    Route {
        method,
        path,
        auth,
        handler,
    }
}

/// Every route the platform serves.
pub fn table() -> Vec<Route> {
    use Auth::*;
    vec![
        route(
            Method::GET,
            "/openapi.json",
            Public,
            get(openapi::get_document),
        ),
        route(Method::GET, "/v1/me", Agent, get(get_me)),
        route(
            Method::POST,
            "/v1/presence",
            Agent,
            post(crate::presence::post_presence),
        ),
        route(
            Method::GET,
            "/v1/attachments/{id}",
            Agent,
            get(crate::attachments::get_attachment),
        ),
        route(
            Method::GET,
            "/v1/sync/changes",
            Agent,
            get(feed::get_changes),
        ),
        route(
            Method::POST,
            "/v1/sync/mutations",
            Agent,
            post(mutations::post_mutations),
        ),
        route(
            Method::GET,
            "/v1/sync/events",
            Agent,
            get(events::get_events),
        ),
        route(
            Method::POST,
            "/v1/ingest/email",
            Ingest,
            // A raw message: its files at their largest, base64 in MIME, and room for the text.
            post(crate::mail::inbound::post_email)
                .layer(DefaultBodyLimit::max(crate::attachments::MAX_MESSAGE_BYTES)),
        ),
        route(
            Method::POST,
            "/v1/ingest/messages",
            Ingest,
            // A message carries its files (base64): room for all of them at their largest.
            post(ingest::post_message)
                .layer(DefaultBodyLimit::max(crate::attachments::MAX_MESSAGE_BYTES)),
        ),
        route(
            Method::POST,
            "/v1/ingest/billing",
            Ingest,
            post(ingest::post_billing),
        ),
        route(
            Method::POST,
            "/v1/ingest/tickets",
            Ingest,
            post(ingest::post_tickets),
        ),
        route(
            Method::POST,
            "/v1/admin/tenants",
            Admin,
            post(admin::post_tenant),
        ),
        route(
            Method::POST,
            "/v1/admin/tenants/{tenant_id}/agents",
            Admin,
            post(admin::post_agent),
        ),
        route(
            Method::POST,
            "/v1/admin/tenants/{tenant_id}/agents/{agent_id}/tokens",
            Admin,
            post(admin::post_token),
        ),
        route(
            Method::POST,
            "/v1/admin/tenants/{tenant_id}/ingest-tokens",
            Admin,
            post(admin::post_ingest_token),
        ),
        route(
            Method::POST,
            "/v1/admin/tenants/{tenant_id}/saved-replies",
            Admin,
            post(saved_replies::post_saved_reply),
        ),
        route(
            Method::PUT,
            "/v1/admin/tenants/{tenant_id}/saved-replies/{id}",
            Admin,
            put(saved_replies::put_saved_reply),
        ),
        route(
            Method::PUT,
            "/v1/admin/tenants/{tenant_id}/sla-policy",
            Admin,
            put(crate::sla::put_policy),
        ),
        route(
            Method::PUT,
            "/v1/admin/tenants/{tenant_id}/escalation-policy",
            Admin,
            put(crate::policy::put_policy),
        ),
        route(
            Method::GET,
            "/v1/admin/tenants/{tenant_id}/escalation-policy",
            Admin,
            get(crate::policy::get_policy),
        ),
        route(
            Method::PUT,
            "/v1/admin/tenants/{tenant_id}/billing-connector",
            Admin,
            put(crate::billing::connector::put_connector),
        ),
        route(
            Method::GET,
            "/v1/admin/tenants/{tenant_id}/billing-connector",
            Admin,
            get(crate::billing::connector::get_connector),
        ),
        route(
            Method::POST,
            "/v1/admin/tenants/{tenant_id}/billing-backfill",
            Admin,
            post(crate::billing::backfill::post_backfill),
        ),
        route(
            Method::GET,
            "/v1/admin/tenants/{tenant_id}/billing-backfill",
            Admin,
            get(crate::billing::backfill::get_backfill),
        ),
        route(
            Method::DELETE,
            "/v1/admin/tenants/{tenant_id}/billing-connector",
            Admin,
            delete(crate::billing::connector::delete_connector),
        ),
        route(
            Method::POST,
            "/v1/admin/tenants/{tenant_id}/webhooks",
            Admin,
            post(crate::hooks::post_endpoint),
        ),
        route(
            Method::GET,
            "/v1/admin/tenants/{tenant_id}/webhooks",
            Admin,
            get(crate::hooks::get_endpoints),
        ),
        route(
            Method::DELETE,
            "/v1/admin/tenants/{tenant_id}/webhooks/{endpoint_id}",
            Admin,
            delete(crate::hooks::delete_endpoint),
        ),
        route(
            Method::GET,
            "/v1/admin/tenants/{tenant_id}/webhooks/{endpoint_id}/deliveries",
            Admin,
            get(crate::hooks::get_deliveries),
        ),
        route(
            Method::POST,
            "/v1/admin/tenants/{tenant_id}/webhooks/{endpoint_id}/deliveries/{delivery_id}/replay",
            Admin,
            post(crate::hooks::post_replay),
        ),
        route(
            Method::PUT,
            "/v1/admin/tenants/{tenant_id}/email-channel",
            Admin,
            put(crate::mail::channel::put_channel),
        ),
        route(
            Method::GET,
            "/v1/admin/tenants/{tenant_id}/email-channel",
            Admin,
            get(crate::mail::channel::get_channel),
        ),
        route(
            Method::DELETE,
            "/v1/admin/tenants/{tenant_id}/email-channel",
            Admin,
            delete(crate::mail::channel::delete_channel),
        ),
        route(
            Method::POST,
            "/v1/webhooks/flexprice/{tenant_id}",
            Public,
            post(crate::billing::webhooks::post_flexprice),
        ),
        route(
            Method::POST,
            "/v1/admin/tokens/{token_id}/revoke",
            Admin,
            post(admin::post_revoke),
        ),
    ]
}

/// The application: every route of [`table`], JSON errors for unknown paths and methods.
pub fn router(state: AppState) -> Router {
    // A path served with several methods is one route of the router, each method its own entry
    // of the table.
    let mut paths: Vec<(&'static str, MethodRouter<AppState>)> = vec![];
    for route in table() {
        match paths.iter_mut().find(|(p, _)| *p == route.path) {
            Some((_, handler)) => *handler = std::mem::take(handler).merge(route.handler),
            None => paths.push((route.path, route.handler)),
        }
    }
    paths
        .into_iter()
        .fold(Router::new(), |r, (path, handler)| {
            r.route(path, handler.fallback(method_not_allowed))
        })
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

async fn not_found() -> Error {
    Error::new(
        countersign_model::ErrorCode::NotFound,
        "no such route; see /openapi.json",
    )
}

async fn method_not_allowed() -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut r =
        Error::invalid("method not allowed on this route; see /openapi.json").into_response();
    *r.status_mut() = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    r
}

/// `GET /v1/me`: the token's agent and tenant.
async fn get_me(caller: Caller) -> Json<Me> {
    Json(Me {
        agent: AgentInfo {
            id: caller.agent_id,
            name: caller.agent_name,
            email: caller.agent_email,
            role: caller.role,
        },
        tenant: TenantInfo {
            id: caller.tenant_id,
            name: caller.tenant_name,
        },
    })
}
