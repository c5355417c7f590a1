//! MCP tokens: shown once, stored hashed, revocable.

use crate::support::*;
use countersign_core::tokens;
use countersign_model::ErrorCode;
use countersign_model::workflow::TokenScope;

#[tokio::test]
async fn a_token_authenticates_until_revoked_and_only_its_hash_is_stored() {
    let d = empty_desk().await;
    let (info, secret) = tokens::create(&d.store, &agent(), "Claude Desktop", TokenScope::Read)
        .await
        .unwrap();
    assert!(secret.starts_with("cst_") && secret.len() == 68);
    let stored: String = sqlx::query_scalar("SELECT secret_hash FROM mcp_tokens")
        .fetch_one(d.store.pool())
        .await
        .unwrap();
    assert_ne!(stored, secret);
    let dump: Vec<String> = sqlx::query_scalar("SELECT arguments FROM audit_log")
        .fetch_all(d.store.pool())
        .await
        .unwrap();
    assert!(
        dump.iter().all(|a| !a.contains(&secret)),
        "the secret is not in the audit log"
    );

    let who = tokens::authenticate(&d.store, &secret).await.unwrap();
    assert_eq!((who.id, who.scope), (info.id.clone(), TokenScope::Read));
    assert_eq!(
        tokens::authenticate(&d.store, "cst_wrong")
            .await
            .unwrap_err()
            .code(),
        ErrorCode::Unauthenticated
    );

    tokens::revoke(&d.store, &agent(), &info.id).await.unwrap();
    assert_eq!(
        tokens::authenticate(&d.store, &secret)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::Unauthenticated
    );
    assert_eq!(
        tokens::revoke(&d.store, &agent(), &info.id)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::Conflict
    );
}
