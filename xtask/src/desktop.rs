//! Building the desktop app: the Leptos UI to wasm32 (cargo + wasm-bindgen-cli at the exact
//! version of the `wasm-bindgen` crate in Cargo.lock, no trunk, nothing downloaded at build time)
//! into `ui/dist`, then the Tauri binary with the UI embedded (`custom-protocol`).

use crate::{cmd, cmd_env, root, step, target_dir};
use anyhow::{Context, Result};
use std::ffi::OsStr;
use std::path::PathBuf;

/// The cargo feature that embeds `ui/dist` in the app (see src-tauri/Cargo.toml).
pub const EMBED_FEATURE: &str = "countersign-desktop/custom-protocol";

/// Builds the UI into `ui/dist` (wasm-opt is not run: Debian's binaryen breaks the wasm).
pub fn build_ui(cargo: &str, env: &[(&str, &dyn AsRef<OsStr>)]) -> Result<PathBuf> {
    // The model with it: the UI shares its types, so it must build on wasm32 as well.
    step(
        "cargo build -p countersign-ui -p countersign-model --target wasm32-unknown-unknown --release",
    );
    cmd_env(
        cargo,
        &[
            "build",
            "-p",
            "countersign-ui",
            "-p",
            "countersign-model",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
        ],
        env,
    )?;
    let wasm = target_dir()
        .join("wasm32-unknown-unknown")
        .join("release")
        .join("countersign-ui.wasm");
    let dist = root().join("ui").join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .with_context(|| format!("cannot clear {}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist)?;
    step("wasm-bindgen --target web → ui/dist");
    cmd(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "ui",
            "--out-dir",
            dist.to_str().context("path is not UTF-8")?,
            wasm.to_str().context("path is not UTF-8")?,
        ],
    )?;
    for entry in std::fs::read_dir(root().join("ui").join("static"))? {
        let entry = entry?;
        std::fs::copy(entry.path(), dist.join(entry.file_name()))?;
    }
    Ok(dist)
}

/// Builds `countersign-desktop` with the UI embedded; returns the binary's path.
pub fn build_app(cargo: &str, release: bool) -> Result<PathBuf> {
    let mut args = vec![
        "build",
        "-p",
        "countersign-desktop",
        "--features",
        EMBED_FEATURE,
    ];
    if release {
        args.push("--release");
    }
    step(&format!("cargo {}", args.join(" ")));
    cmd(cargo, &args)?;
    Ok(target_dir()
        .join(if release { "release" } else { "debug" })
        .join("countersign-desktop"))
}

/// Whether a window can be opened here.
pub fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()))
}
