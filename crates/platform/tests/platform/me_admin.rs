//! Who a token is, and the admin API that makes tenants, agents and tokens.

use crate::support::{ADMIN_TOKEN, spawn_app};
use serde_json::json;

#[tokio::test]
async fn me_names_the_tokens_agent_role_and_tenant() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let me = app.get("/v1/me", &t.agent).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["tenant"]["id"], t.id.as_str());
    assert_eq!(me.body["tenant"]["name"], "acme");
    assert_eq!(me.body["agent"]["role"], "agent");
    assert_eq!(me.body["agent"]["email"], "agent@acme.test");
    let sup = app.get("/v1/me", &t.supervisor).await;
    assert_eq!(
        sup.body["agent"]["role"], "supervisor",
        "the supervisor's token says so"
    );
    let parsed: countersign_model::sync::Me =
        serde_json::from_value(me.body).expect("/v1/me speaks model::sync::Me");
    assert_eq!(parsed.agent.id, t.agent_id);
}

#[tokio::test]
async fn tokens_are_required_stored_hashed_and_revocable() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let none = app.send("GET", "/v1/me", None, None).await;
    assert_eq!(
        (none.status, none.code()),
        (401, "unauthenticated"),
        "no token: {}",
        none.body
    );
    let wrong = app.get("/v1/me", "csp_not-a-token").await;
    assert_eq!((wrong.status, wrong.code()), (401, "unauthenticated"));

    let stored: Vec<String> = sqlx::query_scalar("SELECT secret_hash FROM api_tokens")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(
        stored
            .iter()
            .all(|h| h.len() == 64 && !h.contains(&t.agent[4..])),
        "only SHA-256 hashes of secrets are stored"
    );

    let token_id: String =
        sqlx::query_scalar("SELECT t.id FROM api_tokens t WHERE t.agent_id = $1")
            .bind(&t.agent_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let r = app
        .send(
            "POST",
            &format!("/v1/admin/tokens/{token_id}/revoke"),
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = app.get("/v1/me", &t.agent).await;
    assert_eq!(
        (after.status, after.code()),
        (401, "unauthenticated"),
        "a revoked token no longer works"
    );
}

#[tokio::test]
async fn the_admin_api_wants_the_admin_token() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let r = app
        .post("/v1/admin/tenants", &t.supervisor, json!({"name": "evil"}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (401, "unauthenticated"),
        "a tenant token is not the admin token"
    );
    let r = app
        .send(
            "POST",
            "/v1/admin/tenants",
            None,
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(r.status, 401);
    let r = app
        .post(
            "/v1/admin/tenants/ten_missing/agents",
            ADMIN_TOKEN,
            json!({"name": "a", "email": "a@b.c", "role": "agent"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (404, "not_found"));
    let r = app
        .post(
            &format!("/v1/admin/tenants/{}/agents", t.id),
            ADMIN_TOKEN,
            json!({"name": "a", "email": "a@b.c", "role": "boss"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_argument"),
        "an unknown role is refused"
    );
}
