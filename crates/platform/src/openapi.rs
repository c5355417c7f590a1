//! The OpenAPI 3.1 document served at `GET /openapi.json`, built from the route table
//! ([`routes::table`]) so that every served route is documented and nothing else is.

use crate::routes::{self, Auth};
use axum::Json;
use axum::http::Method;
use serde_json::{Value, json};

fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn body(name: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema(name)}}})
}

fn ok(description: &str, name: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema(name)}}})
}

/// The summary, request body and success response of one route.
fn operation(method: &Method, path: &str) -> Option<(&'static str, Option<Value>, Value)> {
    Some(match (method.as_str(), path) {
        ("GET", "/openapi.json") => (
            "This document.",
            None,
            json!({"description": "OpenAPI 3.1 document", "content": {"application/json": {}}}),
        ),
        ("GET", "/v1/me") => (
            "The token's agent (with its role) and tenant.",
            None,
            ok("who the token belongs to", "Me"),
        ),
        ("GET", "/v1/sync/changes") => (
            "The tenant's change feed after a cursor, in seq order.",
            None,
            ok("a page of changes", "ChangesPage"),
        ),
        ("POST", "/v1/sync/mutations") => (
            "Apply a device's mutations, each exactly once, in order; a rejected one does not block the rest.",
            Some(body("MutationBatch")),
            ok(
                "one result per mutation, in request order",
                "MutationResults",
            ),
        ),
        ("GET", "/v1/sync/events") => (
            "Server-Sent Events: `change` events (data `{\"cursor\": N}`) when the tenant's feed moves; the first carries the current cursor.",
            None,
            json!({"description": "an event stream", "content": {"text/event-stream": {"schema": schema("ChangeEvent")}}}),
        ),
        ("POST", "/v1/ingest/messages") => (
            "(Ingest token.) A customer's message from a channel: continues the ticket named by ticket_id or thread_key, else opens one.",
            Some(body("InboundMessage")),
            ok("where the message went", "Ingested"),
        ),
        ("POST", "/v1/ingest/billing") => (
            "(Ingest token.) Upsert customers, subscriptions, invoices (with line items), payments and wallets in FlexPrice's field names; versions move only on change.",
            Some(body("BillingBatch")),
            ok("the ids that changed", "BillingIngested"),
        ),
        ("POST", "/v1/ingest/tickets") => (
            "(Ingest token.) Import tickets with their messages in bulk (a help desk's history); a ticket whose id or thread key is already here is left alone.",
            Some(body("TicketImport")),
            ok("what was created and what was skipped", "TicketsImported"),
        ),
        ("POST", "/v1/presence") => (
            "(Desk token.) Where the person at this desk is now: the ticket open (null: none), reading or replying. Repeat it while they stay; it lapses after 45 s. Every event stream of the tenant gets the tenant's list as a `presence` event; the answer is that list.",
            Some(body("PresenceUpdate")),
            ok("every agent of the tenant on a ticket now", "PresenceEvent"),
        ),
        ("GET", "/v1/attachments/{id}") => (
            "(Desk token.) A file a customer sent with a message, as a download only: application/octet-stream, Content-Disposition attachment, nosniff, no-store; its SHA-256 is the ETag.",
            None,
            json!({"description": "the file's bytes", "content": {"application/octet-stream": {}}}),
        ),
        ("POST", "/v1/admin/tenants") => (
            "Create a tenant.",
            Some(body("NewTenant")),
            ok("the tenant", "TenantInfo"),
        ),
        ("POST", "/v1/admin/tenants/{tenant_id}/agents") => (
            "Create an agent (role agent or supervisor) in a tenant.",
            Some(body("NewAgent")),
            ok("the agent", "AgentInfo"),
        ),
        ("POST", "/v1/admin/tenants/{tenant_id}/agents/{agent_id}/tokens") => (
            "Create an API token for an agent; the secret is returned once, only its hash is kept.",
            Some(body("NewTokenRequest")),
            ok("the token and its secret", "NewToken"),
        ),
        ("POST", "/v1/admin/tenants/{tenant_id}/ingest-tokens") => (
            "Create an ingest token for an integration (billing system, mail channel): it may call the tenant's /v1/ingest routes and nothing else; desk tokens may not call them. The secret is returned once.",
            Some(body("NewTokenRequest")),
            ok("the token and its secret", "NewIngestToken"),
        ),
        ("POST", "/v1/admin/tenants/{tenant_id}/saved-replies") => (
            "Create a saved reply of the tenant (a macro agents insert into the reply box); every desk of the tenant receives it through the feed. Variables: {{customer.name}}, {{customer.first_name}}, {{customer.email}}, {{invoice.number}}, {{invoice.total}}, {{invoice.amount_due}}, {{invoice.due_date}}, {{ticket.id}}, {{ticket.subject}}, {{agent.name}}.",
            Some(body("PutSavedReply")),
            ok("the saved reply", "SavedReply"),
        ),
        ("PUT", "/v1/admin/tenants/{tenant_id}/saved-replies/{id}") => (
            "Rewrite a saved reply of the tenant, or withdraw it from every desk (`active: false`).",
            Some(body("PutSavedReply")),
            ok("the saved reply", "SavedReply"),
        ),
        ("PUT", "/v1/admin/tenants/{tenant_id}/sla-policy") => (
            "Set the tenant's SLA policy: first-response and resolution targets per priority, counted in its business hours (around the clock when `business_hours` is left out), standing still while a ticket is pending or solved. Every ticket's due time is brought to it at once; desks receive the tickets whose due time moved.",
            Some(body("SlaPolicy")),
            ok(
                "the policy and how many tickets' due times moved",
                "SlaPolicySet",
            ),
        ),
        ("PUT", "/v1/admin/tenants/{tenant_id}/escalation-policy") => (
            "Set the tenant's escalation policy: per role and money action the most that role approves, per currency (an agent approves only what a cap allows; a supervisor without a cap any amount); the amount above which two different supervisors approve; whether a supervisor may approve a money escalation they raised (default no). Every desk receives it on the feed and applies it offline too; the platform decides every approval by it.",
            Some(body("EscalationPolicy")),
            ok("the policy and its version", "EscalationPolicySet"),
        ),
        ("GET", "/v1/admin/tenants/{tenant_id}/escalation-policy") => (
            "The tenant's escalation policy (404 while it has the default).",
            None,
            ok("the policy and its version", "EscalationPolicySet"),
        ),
        ("PUT", "/v1/admin/tenants/{tenant_id}/billing-connector") => (
            "Connect the tenant to its billing system (FlexPrice): its API base URL (https, or http on loopback) and API key. The key is sealed with the platform's secrets key (COUNTERSIGN_SECRETS_KEY) before it is stored, and no route ever returns it. From now on an approved refund, credit note, fee waiver or void is executed there, exactly once.",
            Some(body("BillingConnectorInput")),
            ok("the connector, without its key", "BillingConnector"),
        ),
        ("GET", "/v1/admin/tenants/{tenant_id}/billing-connector") => (
            "The tenant's billing connector, without its key.",
            None,
            ok("the connector, without its key", "BillingConnector"),
        ),
        ("POST", "/v1/admin/tenants/{tenant_id}/billing-backfill") => (
            "Start (or resume) the catch-up from the tenant's FlexPrice: customers, invoices, payments and wallets paged oldest first from its list endpoints into the platform, each page in the transaction that moves the stored offset (a crash repeats at most one page, and a repeat changes nothing). A failed backfill resumes where it stopped; a finished one reads everything again.",
            None,
            ok("the backfill's progress", "BillingBackfill"),
        ),
        ("GET", "/v1/admin/tenants/{tenant_id}/billing-backfill") => (
            "The tenant's backfill progress: state (running, done, failed), the list and offset it is at, records read, the last failure.",
            None,
            ok("the backfill's progress", "BillingBackfill"),
        ),
        ("DELETE", "/v1/admin/tenants/{tenant_id}/billing-connector") => (
            "Disconnect the tenant from its billing system: approvals from now on are labelled \"not executed — no billing connector\"; executions already queued fail with that reason.",
            None,
            ok("the connector removed, without its key", "BillingConnector"),
        ),
        ("POST", "/v1/ingest/email") => (
            "Mail that came in, raw (content-type message/rfc822, as an MTA pipe or an inbound-mail service forwards it). The customer writing continues the ticket of the message it answers (In-Reply-To, References), else the ticket its subject's token [tkt_…] names, else opens one; the quoted history is cut and attachments are kept. A delivery report of one of our replies marks it failed and reopens its ticket; an automatic reply is dropped. Neither opens a ticket.",
            Some(
                json!({"required": true, "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}}}),
            ),
            ok(
                "taken (with the ticket and message), duplicate, bounce or dropped (with why)",
                "EmailIngested",
            ),
        ),
        ("POST", "/v1/admin/tenants/{tenant_id}/webhooks") => (
            "Register a webhook endpoint (https, or http to this machine) for some of ticket.created, message.received, reply.sent, reply.failed, escalation.raised, escalation.decided. The answer carries the endpoint's signing secret (whsec_…), shown this once: deliveries are signed as the Standard Webhooks specification says (webhook-id, webhook-timestamp, webhook-signature).",
            Some(body("WebhookEndpointInput")),
            ok("the endpoint, with its secret this once", "WebhookEndpoint"),
        ),
        ("GET", "/v1/admin/tenants/{tenant_id}/webhooks") => (
            "The tenant's webhook endpoints, without their secrets.",
            None,
            ok("the endpoints", "WebhookEndpoints"),
        ),
        ("DELETE", "/v1/admin/tenants/{tenant_id}/webhooks/{endpoint_id}") => (
            "Remove a webhook endpoint and its deliveries.",
            None,
            ok("the endpoint removed", "WebhookEndpoint"),
        ),
        ("GET", "/v1/admin/tenants/{tenant_id}/webhooks/{endpoint_id}/deliveries") => (
            "The endpoint's delivery log: its last 100 deliveries, newest first, each with its state (queued, delivered, failed), attempts, last HTTP status and error.",
            None,
            ok("the deliveries", "WebhookDeliveries"),
        ),
        (
            "POST",
            "/v1/admin/tenants/{tenant_id}/webhooks/{endpoint_id}/deliveries/{delivery_id}/replay",
        ) => (
            "Send a delivery again, under the same webhook-id (receivers deduplicate by it), with a new day of retries.",
            None,
            ok("the delivery, queued", "WebhookDelivery"),
        ),
        ("PUT", "/v1/admin/tenants/{tenant_id}/email-channel") => (
            "Set the tenant's email channel: the SMTP server replies leave through (host, port, security tls|starttls|none — none only to a server on this machine), its username and password (sealed with the platform's secrets key, never returned), the support address replies come from and the inbound address customers write to. From now on every reply an agent sends is queued and delivered by email, once.",
            Some(body("EmailChannelInput")),
            ok("the channel, without its password", "EmailChannel"),
        ),
        ("GET", "/v1/admin/tenants/{tenant_id}/email-channel") => (
            "The tenant's email channel, without its password.",
            None,
            ok("the channel, without its password", "EmailChannel"),
        ),
        ("DELETE", "/v1/admin/tenants/{tenant_id}/email-channel") => (
            "Remove the tenant's email channel: replies from now on are labelled \"not delivered — no email channel\"; replies already queued fail with that reason.",
            None,
            ok("the channel removed, without its password", "EmailChannel"),
        ),
        ("POST", "/v1/webhooks/flexprice/{tenant_id}") => (
            "FlexPrice's webhooks for a tenant, signed as Svix signs them (svix-id, svix-timestamp within 5 minutes, svix-signature over the raw body with the endpoint secret set on the tenant's billing connector). invoice.*, payment.*, customer.* and wallet.* objects are mapped onto the records desks keep and reach them on the feed; each svix-id is taken once (a repeat answers duplicate); credit_note.* and subscription.* are acknowledged as ignored.",
            Some(
                json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"event_type": {"type": "string"}}, "required": ["event_type"]}}}}),
            ),
            json!({"description": "applied, duplicate or ignored", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["applied", "duplicate", "ignored"]}, "event_type": {"type": "string"}, "changed": {"type": "object"}}}}}}),
        ),
        ("POST", "/v1/admin/tokens/{token_id}/revoke") => (
            "Revoke a desk or ingest token; its open event streams close on every platform instance.",
            None,
            json!({"description": "revoked", "content": {"application/json": {}}}),
        ),
        _ => return None,
    })
}

fn parameters(path: &str, method: &Method) -> Vec<Value> {
    let mut params: Vec<Value> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    if method == Method::GET && path == "/v1/sync/changes" {
        params.push(json!({"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}));
        params.push(json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": crate::feed::MAX_LIMIT, "default": crate::feed::DEFAULT_LIMIT}}));
    }
    params
}

fn components() -> Value {
    let string = json!({"type": "string"});
    let int = json!({"type": "integer"});
    let obj = |props: Value, required: &[&str]| json!({"type": "object", "properties": props, "required": required});
    let mut components = json!({
        "securitySchemes": {
            "apiToken": {"type": "http", "scheme": "bearer", "description": "An agent's API token (a desk's, tenant-scoped; `csp_…`)."},
            "ingestToken": {"type": "http", "scheme": "bearer", "description": "An integration's ingest token (tenant-scoped, ingest routes only; `csi_…`)."},
            "adminToken": {"type": "http", "scheme": "bearer", "description": "The platform's admin token."}
        },
        "schemas": {
            "Error": obj(json!({"error": obj(json!({"code": {"type": "string", "enum": countersign_model::ErrorCode::ALL.map(|c| c.as_str())}, "message": string}), &["code", "message"])}), &["error"]),
            "TenantInfo": obj(json!({"id": string, "name": string}), &["id", "name"]),
            "AgentInfo": obj(json!({"id": string, "name": string, "email": string, "role": {"type": "string", "enum": ["agent", "supervisor"]}}), &["id", "name", "email", "role"]),
            "Me": obj(json!({"agent": schema("AgentInfo"), "tenant": schema("TenantInfo")}), &["agent", "tenant"]),
            "Change": obj(json!({"seq": int, "entity": {"type": "string", "enum": countersign_model::sync::Entity::ALL.map(|e| e.name())}, "id": string, "version": int, "data": {"type": "object", "description": "the record after the change, in the desk schema's column names; amounts in minor units"}}), &["seq", "entity", "id", "version", "data"]),
            "ChangesPage": obj(json!({"changes": {"type": "array", "items": schema("Change")}, "cursor": int, "has_more": {"type": "boolean"}}), &["changes", "cursor", "has_more"]),
            "Mutation": obj(json!({"seq": int, "id": string, "kind": {"type": "string", "enum": countersign_model::sync::MutationKind::ALL.map(|k| k.as_str())}, "payload": {"type": "object"}, "based_on": {"type": "object", "additionalProperties": int, "description": "versions seen, keyed \"<entity>:<id>\""}}), &["seq", "id", "kind", "payload"]),
            "MutationBatch": obj(json!({"device_id": string, "mutations": {"type": "array", "items": schema("Mutation"), "maxItems": crate::mutations::MAX_BATCH}}), &["device_id", "mutations"]),
            "MutationOutcome": {"type": "object", "properties": {"status": {"type": "string", "enum": ["applied", "duplicate", "rejected"]}, "effect": {"type": "object"}, "original": {"$ref": "#/components/schemas/MutationOutcome"}, "code": string, "message": string, "winner": {"type": "object"}}, "required": ["status"]},
            "MutationResult": {"allOf": [obj(json!({"seq": int, "id": string}), &["seq", "id"]), schema("MutationOutcome")]},
            "MutationResults": obj(json!({"results": {"type": "array", "items": schema("MutationResult")}}), &["results"]),
            "ChangeEvent": obj(json!({"cursor": int}), &["cursor"]),
            "PresenceUpdate": obj(json!({"ticket_id": {"type": ["string", "null"]}, "replying": {"type": "boolean", "default": false}}), &["ticket_id"]),
            "PresenceEvent": obj(json!({"present": {"type": "array", "items": obj(json!({"agent_id": string, "agent_name": string, "ticket_id": string, "replying": {"type": "boolean"}, "until": {"type": "string", "format": "date-time"}}), &["agent_id", "agent_name", "ticket_id", "replying", "until"])}}), &["present"]),
            "InboundMessage": obj(json!({"customer": obj(json!({"email": string, "external_id": string, "name": string}), &["email"]), "subject": string, "body": string, "ticket_id": string, "thread_key": string, "message_id": string, "channel": {"type": "string", "enum": ["email", "chat", "web", "phone"]}, "language": string, "attachments": {"type": "array", "maxItems": crate::attachments::MAX_FILES, "items": obj(json!({"name": string, "content_type": string, "content": {"type": "string", "contentEncoding": "base64", "description": "at most 5 MiB decoded"}}), &["name", "content"])}}), &["customer", "subject", "body"]),
            "Ingested": obj(json!({"customer_id": string, "ticket_id": string, "message_id": string, "ticket_version": int, "created_ticket": {"type": "boolean"}, "duplicate": {"type": "boolean"}}), &["customer_id", "ticket_id", "message_id", "ticket_version", "created_ticket", "duplicate"]),
            "BillingBatch": obj(json!({"customers": {"type": "array", "items": {"type": "object"}}, "subscriptions": {"type": "array", "items": {"type": "object", "description": "FlexPrice subscription: id, customer_id, plan_name, subscription_status (active|trialing|past_due|paused|cancelled), currency, price as a decimal string, billing_period (monthly|annual), current_period_start/end (dates), cancel_at_period_end, start_date, cancelled_at, updated_at"}}, "invoices": {"type": "array", "items": {"type": "object", "description": "FlexPrice invoice; amounts (amount_due, amount_paid, …) as decimal strings"}}, "payments": {"type": "array", "items": {"type": "object"}}, "wallets": {"type": "array", "items": {"type": "object", "description": "FlexPrice wallet: id, customer_id, currency, balance as a decimal string, wallet_status, updated_at"}}}), &[]),
            "BillingIngested": obj(json!({"customers": {"type": "array", "items": string}, "subscriptions": {"type": "array", "items": string}, "invoices": {"type": "array", "items": string}, "payments": {"type": "array", "items": string}, "wallets": {"type": "array", "items": string}, "cursor": {"type": ["integer", "null"]}}), &["customers", "subscriptions", "invoices", "payments", "wallets"]),
            "TicketImport": obj(json!({"tickets": {"type": "array", "items": schema("ImportedTicket"), "description": "at most 10 000 tickets and messages together"}}), &["tickets"]),
            "ImportedTicket": obj(json!({"id": string, "customer_id": string, "subject": string, "status": {"type": "string", "enum": ["open", "pending", "solved", "closed"]}, "priority": {"type": "string", "enum": ["low", "normal", "high", "urgent"], "default": "normal"}, "channel": {"type": "string", "enum": ["email", "chat", "web", "phone"]}, "assignee": string, "language": {"type": "string", "default": "en"}, "sla_due_at": {"type": "string", "format": "date-time"}, "thread_key": string, "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}, "messages": {"type": "array", "items": schema("ImportedMessage"), "description": "oldest first"}}), &["id", "customer_id", "subject", "status", "channel", "created_at", "updated_at"]),
            "ImportedMessage": obj(json!({"id": string, "author_kind": {"type": "string", "enum": ["customer", "agent", "ai", "system"]}, "author_name": string, "body": string, "visibility": {"type": "string", "enum": ["public", "internal"], "default": "public"}, "created_at": {"type": "string", "format": "date-time"}}), &["id", "author_kind", "author_name", "body", "created_at"]),
            "TicketsImported": obj(json!({"tickets": {"type": "array", "items": string}, "messages": int, "skipped": {"type": "array", "items": string}, "cursor": {"type": ["integer", "null"]}}), &["tickets", "messages", "skipped"]),
            "PutSavedReply": obj(json!({"title": string, "language": {"type": "string", "enum": countersign_model::saved_replies::LANGUAGES}, "body": string, "active": {"type": "boolean", "default": true}}), &["title", "language", "body"]),
            "SavedReply": obj(json!({"id": string, "title": string, "language": string, "body": string, "personal": {"type": "boolean"}}), &["id", "title", "language", "body", "personal"]),
            "SlaPolicy": obj(json!({"business_hours": {"anyOf": [schema("BusinessHours"), {"type": "null"}], "description": "left out or null: around the clock"}, "targets": {"type": "object", "propertyNames": {"enum": ["low", "normal", "high", "urgent"]}, "additionalProperties": schema("SlaTargets")}}), &["targets"]),
            "BusinessHours": obj(json!({"time_zone": {"type": "string", "description": "IANA, e.g. Europe/Madrid"}, "days": {"type": "array", "items": {"type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}}, "opens": {"type": "string", "description": "HH:MM local"}, "closes": {"type": "string", "description": "HH:MM local"}}), &["time_zone", "days", "opens", "closes"]),
            "SlaTargets": obj(json!({"first_response_minutes": {"type": "integer", "minimum": 1}, "resolution_minutes": {"type": "integer", "minimum": 1}}), &[]),
            "SlaPolicySet": obj(json!({"policy": schema("SlaPolicy"), "tickets_moved": int}), &["policy", "tickets_moved"]),
            "NewTenant": obj(json!({"name": string}), &["name"]),
            "NewAgent": obj(json!({"name": string, "email": string, "role": {"type": "string", "enum": ["agent", "supervisor"]}}), &["name", "email", "role"]),
            "NewTokenRequest": obj(json!({"name": string}), &["name"]),
            "NewIngestToken": obj(json!({"id": string, "tenant_id": string, "name": string, "secret": string}), &["id", "tenant_id", "name", "secret"]),
            "NewToken": obj(json!({"id": string, "tenant_id": string, "agent_id": string, "name": string, "secret": string}), &["id", "tenant_id", "agent_id", "name", "secret"])
        }
    });
    let schemas = &mut components["schemas"];
    let amounts = json!({"type": "object", "additionalProperties": {"type": "string"}, "description": "decimal amount per ISO 4217 currency, e.g. {\"EUR\": \"50.00\"}"});
    schemas["EscalationPolicy"] = json!({"type": "object", "properties": {
        "caps": {"type": "object", "description": "per role (agent, supervisor), per money action (refund, credit_note, waive_fee)", "additionalProperties": {"type": "object", "additionalProperties": amounts.clone()}},
        "two_person_above": amounts,
        "self_approval": {"type": "boolean", "default": false}}});
    schemas["EscalationPolicySet"] = obj(
        json!({"policy": {"$ref": "#/components/schemas/EscalationPolicy"}, "version": int}),
        &["policy", "version"],
    );
    schemas["BillingBackfill"] = obj(
        json!({"tenant_id": string, "state": {"type": "string", "enum": ["running", "done", "failed"]}, "list": string, "offset": int, "records": int, "error": string, "started_at": string, "updated_at": string}),
        &[
            "tenant_id",
            "state",
            "list",
            "offset",
            "records",
            "started_at",
            "updated_at",
        ],
    );
    schemas["BillingConnectorInput"] = obj(
        json!({"kind": {"type": "string", "enum": ["flexprice"]}, "base_url": string, "api_key": string, "webhook_secret": string}),
        &["base_url", "api_key"],
    );
    schemas["BillingConnector"] = obj(
        json!({"tenant_id": string, "kind": string, "base_url": string, "webhooks": {"type": "boolean"}, "updated_at": string}),
        &["tenant_id", "kind", "base_url", "webhooks", "updated_at"],
    );
    let security = json!({"type": "string", "enum": ["tls", "starttls", "none"]});
    let events =
        json!({"type": "array", "items": {"type": "string", "enum": crate::hooks::EVENTS}});
    schemas["WebhookEndpointInput"] =
        obj(json!({"url": string, "events": events}), &["url", "events"]);
    schemas["WebhookEndpoint"] = obj(
        json!({"id": string, "url": string, "events": events, "created_at": string, "secret": string}),
        &["id", "url", "events", "created_at"],
    );
    schemas["WebhookEndpoints"] = obj(
        json!({"endpoints": {"type": "array", "items": {"$ref": "#/components/schemas/WebhookEndpoint"}}}),
        &["endpoints"],
    );
    schemas["WebhookDelivery"] = obj(
        json!({"id": string, "event_type": string, "state": {"type": "string", "enum": ["queued", "delivered", "failed"]},
               "attempts": int, "last_status": int, "last_error": string, "created_at": string, "delivered_at": string}),
        &["id", "event_type", "state", "attempts", "created_at"],
    );
    schemas["WebhookDeliveries"] = obj(
        json!({"deliveries": {"type": "array", "items": {"$ref": "#/components/schemas/WebhookDelivery"}}}),
        &["deliveries"],
    );
    schemas["EmailIngested"] = obj(
        json!({"status": {"type": "string", "enum": ["taken", "duplicate", "bounce", "dropped"]},
               "ticket_id": string, "message_id": string, "created_ticket": {"type": "boolean"},
               "reason": string, "why": string}),
        &["status"],
    );
    schemas["EmailChannelInput"] = obj(
        json!({"smtp_host": string, "smtp_port": int, "smtp_security": security, "smtp_username": string,
               "smtp_password": string, "from_address": string, "from_name": string, "inbound_address": string}),
        &["smtp_host", "smtp_port", "smtp_security", "from_address"],
    );
    schemas["EmailChannel"] = obj(
        json!({"tenant_id": string, "smtp_host": string, "smtp_port": int, "smtp_security": security,
               "smtp_username": string, "password_set": {"type": "boolean"}, "from_address": string,
               "from_name": string, "inbound_address": string, "updated_at": string}),
        &[
            "tenant_id",
            "smtp_host",
            "smtp_port",
            "smtp_security",
            "password_set",
            "from_address",
            "updated_at",
        ],
    );
    components
}

/// The document.
pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for route in routes::table() {
        let (summary, request, response) = operation(&route.method, route.path).unwrap_or((
            "Undocumented.",
            None,
            json!({"description": "ok"}),
        ));
        let error = json!({"description": "an error", "content": {"application/json": {"schema": schema("Error")}}});
        let mut op = json!({
            "summary": summary,
            "operationId": format!("{} {}", route.method, route.path),
            "parameters": parameters(route.path, &route.method),
            "responses": {"200": response, "4XX": error.clone(), "5XX": error},
        });
        match route.auth {
            Auth::Public => op["security"] = json!([]),
            Auth::Agent => op["security"] = json!([{"apiToken": []}]),
            Auth::Ingest => op["security"] = json!([{"ingestToken": []}]),
            Auth::Admin => op["security"] = json!([{"adminToken": []}]),
        }
        if let Some(request) = request {
            op["requestBody"] = request;
        }
        let entry = paths
            .entry(route.path.to_owned())
            .or_insert_with(|| json!({}));
        entry[route.method.as_str().to_ascii_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Countersign platform",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The central platform's sync API: desktops pull a tenant's change feed, push mutations applied exactly once, and listen for pokes over Server-Sent Events. Errors are an HTTP status with {\"error\": {\"code\", \"message\"}}."
        },
        "paths": paths,
        "components": components(),
    })
}

/// Every (method, path) the document describes, upper-case methods.
pub fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut ops = vec![];
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in item.as_object().into_iter().flat_map(|o| o.keys()) {
                ops.push((method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    ops.sort();
    ops
}

/// `GET /openapi.json`.
pub async fn get_document() -> Json<Value> {
    Json(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_a_written_description() {
        for route in routes::table() {
            assert!(
                operation(&route.method, route.path).is_some(),
                "{} {} is served but not described in openapi.rs",
                route.method,
                route.path
            );
        }
    }
}
