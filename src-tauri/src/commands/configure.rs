//! The commands of the Settings page and its providers: drafting providers, settings, the MCP
//! endpoint and its tokens.

use super::*;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn add_provider(desk: State<'_, Desk>, req: AddProvider) -> Reply<ProviderInfo> {
    let person = desk.person().await?;
    providers::add(&desk.store, &person, &req)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn remove_provider(desk: State<'_, Desk>, name: String) -> Reply<()> {
    let person = desk.person().await?;
    providers::remove(&desk.store, &person, &name)
        .await
        .map_err(ipc)
}

/// One tiny call to the provider; how long it took, in milliseconds.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn test_provider(desk: State<'_, Desk>, name: String) -> Reply<u64> {
    let took = providers::test(desk.store.pool(), &name)
        .await
        .map_err(ipc)?;
    Ok(u64::try_from(took.as_millis()).unwrap_or(u64::MAX))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn order_providers(
    desk: State<'_, Desk>,
    names: Vec<String>,
) -> Reply<Vec<ProviderInfo>> {
    let person = desk.person().await?;
    providers::reorder(&desk.store, &person, &names)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn settings_view(desk: State<'_, Desk>) -> Reply<SettingsView> {
    let mut v = desk_settings::view(&desk.store, &desk.profile, desk.mcp.status().await)
        .await
        .map_err(ipc)?;
    v.connect = countersign_core::client_config::stdio_snippets(&desk.launch);
    Ok(v)
}

/// Changes one setting; the MCP endpoint restarts when its own settings changed.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn change_setting(desk: State<'_, Desk>, req: ChangeSetting) -> Reply<SettingsView> {
    settings::set(&desk.store, &req.key, &req.value)
        .await
        .map_err(ipc)?;
    if req.key.starts_with("mcp.") {
        desk.mcp.restart().await;
    }
    settings_view(desk).await
}

/// "Test the connection": whether the MCP endpoint answers as an assistant would reach it;
/// how long it took, in milliseconds.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn test_mcp(desk: State<'_, Desk>) -> Reply<u64> {
    let status = desk.mcp.status().await;
    let unavailable = |message: String| IpcError {
        code: countersign_model::ErrorCode::Unavailable,
        message,
        problem: None,
    };
    if status.url.is_none() {
        return Err(unavailable(status.error.unwrap_or_else(|| {
            "the MCP endpoint is off; turn it on first".into()
        })));
    }
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], status.port));
    let took = countersign_mcp::probe::probe(addr, std::time::Duration::from_secs(5))
        .await
        .map_err(unavailable)?;
    Ok(u64::try_from(took.as_millis()).unwrap_or(u64::MAX))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn create_token(desk: State<'_, Desk>, req: CreateToken) -> Reply<CreatedToken> {
    let mcp = desk.mcp.status().await;
    let url = mcp
        .url
        .unwrap_or_else(|| format!("http://127.0.0.1:{}/mcp", mcp.port));
    desk_settings::create_token(&desk.store, &req.name, req.scope, &url)
        .await
        .map_err(ipc)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug, level = "info"))]
pub async fn revoke_token(desk: State<'_, Desk>, req: RevokeToken) -> Reply<TokenInfo> {
    desk_settings::revoke_token(&desk.store, &req.token_id)
        .await
        .map_err(ipc)
}
