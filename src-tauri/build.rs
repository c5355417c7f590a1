//! Tauri's build step, with the app's own commands declared so that each one needs an explicit
//! `allow-<command>` permission in `capabilities/` (least privilege: nothing is allowed by default).

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri build step");
}

/// Every `#[tauri::command]` in src/commands.rs; keep in step with `generate_handler!`.
const COMMANDS: &[&str] = &[
    "desk_status",
    "sync_notices",
    "inbox",
    "ticket",
    "approve_draft",
    "reject_draft",
    "draft_with_ai",
    "add_provider",
    "remove_provider",
    "test_provider",
    "order_providers",
    "rereview_draft",
    "write_reply",
    "set_ticket_status",
    "set_ticket_priority",
    "assign_ticket",
    "snooze_ticket",
    "team",
    "add_note",
    "raise_escalation",
    "decide_escalation",
    "retry_execution",
    "escalations",
    "customer_panel",
    "invoice",
    "kb_article",
    "presence",
    "announce_presence",
    "save_attachment",
    "merge_candidates",
    "merge_ticket",
    "saved_replies",
    "fill_saved_reply",
    "save_reply",
    "delete_reply",
    "activity",
    "settings_view",
    "change_setting",
    "test_mcp",
    "create_token",
    "revoke_token",
];
