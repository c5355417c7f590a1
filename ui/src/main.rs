//! The Countersign desktop user interface: Leptos (client-side rendering) compiled to wasm32,
//! talking to the Tauri shell over IPC. Inbox, ticket with the AI draft beside the thread,
//! customer panel, escalations, activity, settings, status bar; keyboard first.
//!
//! It must not decide anything itself: every action is an IPC command the shell hands to the
//! core, which checks roles and staleness. Natively only the pure `format` rules compile (for
//! the workspace's clippy and tests); the browser parts are wasm32-only.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

#[macro_use]
mod i18n;
mod diff;
mod format;
mod labels;
mod typed;

#[cfg(target_arch = "wasm32")]
mod activity;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod copy;
#[cfg(target_arch = "wasm32")]
mod customer;
#[cfg(target_arch = "wasm32")]
mod escalations;
#[cfg(target_arch = "wasm32")]
mod inbox;
#[cfg(target_arch = "wasm32")]
mod intl;
#[cfg(target_arch = "wasm32")]
mod ipc;
#[cfg(target_arch = "wasm32")]
mod keys;
#[cfg(target_arch = "wasm32")]
mod problems;
#[cfg(target_arch = "wasm32")]
mod providers;
#[cfg(target_arch = "wasm32")]
mod settings;
#[cfg(target_arch = "wasm32")]
mod status;
#[cfg(target_arch = "wasm32")]
mod ticket;

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        console_error_panic_hook::set_once();
        leptos::mount::mount_to_body(app::App);
    }
}
