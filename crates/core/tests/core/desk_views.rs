//! What the desktop's status bar and settings page read: the sync state of a local-only desk,
//! and the notifications switch.

use crate::support::*;
use countersign_core::workflow::replies;
use countersign_core::{desk_settings, desk_status, settings};
use countersign_model::ipc::McpStatus;
use countersign_model::{ErrorCode, TicketId};

fn mcp_off() -> McpStatus {
    McpStatus {
        enabled: false,
        port: 7431,
        url: None,
        error: None,
    }
}

#[tokio::test]
async fn a_local_only_desk_reports_no_platform_and_counts_its_outbox() {
    let d = desk().await;
    let s = desk_status::load(&d.store, "demo", mcp_off())
        .await
        .expect("status");
    assert_eq!(s.profile, "demo");
    assert_eq!(s.sync.platform, None, "no platform configured: local only");
    assert_eq!(s.sync.signed_in, Some(false));
    assert_eq!(s.sync.online, None, "never tried to reach a platform");
    assert_eq!((s.sync.outbox_depth, s.sync.unread_notices), (0, 0));
    assert!(s.assistants_active.is_empty());
    // The desk's own drafter is not an MCP client.
    countersign_core::drafting::draft_ticket(
        &d.store,
        &TicketId::parse("tkt_anna").unwrap(),
        countersign_core::drafting::Trigger::Automatic,
        None,
    )
    .await
    .unwrap();
    let s = desk_status::load(&d.store, "demo", mcp_off())
        .await
        .unwrap();
    assert!(s.assistants_active.is_empty(), "{:?}", s.assistants_active);

    replies::write(
        &d.store,
        &agent(),
        &TicketId::parse("tkt_bob").unwrap(),
        "Here is your copy.",
    )
    .await
    .unwrap();
    let s = desk_status::load(&d.store, "demo", mcp_off())
        .await
        .unwrap();
    assert_eq!(
        s.sync.outbox_depth, 1,
        "a queued reply shows in the status bar's outbox count"
    );
}

#[tokio::test]
async fn notifications_are_on_by_default_and_can_be_turned_off() {
    let d = empty_desk().await;
    let pool = d.store.pool();
    let view = |store| desk_settings::view(store, "demo", mcp_off());
    assert!(
        view(&d.store).await.unwrap().notifications,
        "a new desk notifies of arriving drafts"
    );
    settings::set(&d.store, settings::NOTIFICATIONS_ENABLED, "false")
        .await
        .expect("turn off");
    assert!(!settings::notifications_enabled(pool).await.unwrap());
    assert!(
        !view(&d.store).await.unwrap().notifications,
        "the settings page shows the switch off"
    );
    settings::set(&d.store, settings::NOTIFICATIONS_ENABLED, " true ")
        .await
        .expect("turn on again");
    assert!(settings::notifications_enabled(pool).await.unwrap());
}

#[tokio::test]
async fn the_window_reads_the_system_language_until_one_is_chosen() {
    let d = empty_desk().await;
    let view = |store| desk_settings::view(store, "demo", mcp_off());
    assert_eq!(view(&d.store).await.unwrap().language, "system");
    settings::set(&d.store, settings::UI_LANGUAGE, "es")
        .await
        .expect("Spanish");
    assert_eq!(view(&d.store).await.unwrap().language, "es");
    for bad in ["pt", "ES", "spanish", ""] {
        let e = settings::set(&d.store, settings::UI_LANGUAGE, bad)
            .await
            .expect_err(bad);
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{bad:?}: {e}");
    }
    assert_eq!(
        view(&d.store).await.unwrap().language,
        "es",
        "a refused value changes nothing"
    );
    settings::set(&d.store, settings::UI_LANGUAGE, "system")
        .await
        .expect("back to the system's");
    assert_eq!(view(&d.store).await.unwrap().language, "system");
}

#[tokio::test]
async fn the_welcome_shows_until_it_was_read() {
    let d = empty_desk().await;
    let view = |store| desk_settings::view(store, "demo", mcp_off());
    assert!(
        !view(&d.store).await.unwrap().welcomed,
        "a new desk welcomes"
    );
    settings::set(&d.store, settings::UI_WELCOMED, "true")
        .await
        .expect("read");
    assert!(view(&d.store).await.unwrap().welcomed);
}

#[tokio::test]
async fn a_notifications_value_other_than_true_or_false_is_refused_and_not_stored() {
    let d = empty_desk().await;
    let pool = d.store.pool();
    for bad in ["", "yes", "off", "FALSE", "0"] {
        let e = settings::set(&d.store, settings::NOTIFICATIONS_ENABLED, bad)
            .await
            .expect_err(bad);
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{bad:?}: {e}");
        assert!(
            e.public_message().contains("true or false"),
            "{bad:?}: the message says what is accepted: {}",
            e.public_message()
        );
    }
    assert_eq!(
        settings::get(pool, settings::NOTIFICATIONS_ENABLED)
            .await
            .unwrap(),
        None,
        "nothing was stored"
    );
    assert!(settings::notifications_enabled(pool).await.unwrap());
}
