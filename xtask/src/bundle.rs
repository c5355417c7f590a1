//! `cargo xtask bundle`: the Debian package, built offline with Debian's own tools
//! (`dpkg-shlibdeps`, `dpkg-deb`). It carries the desktop app and the `countersign` CLI, so an
//! assistant can launch `countersign mcp` from the installed package.
//!
//! Tauri's bundler (`cargo tauri build --bundles deb`) makes the same kind of package but needs
//! `tauri-cli`, an 8-minute build of its own; this needs nothing beyond `dpkg-dev`.

use crate::{cmd, root, step, target_dir};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The package's name, and the name of the CLI it carries.
pub const PACKAGE: &str = "countersign";

/// Icons installed into the hicolor theme: (file under `icons/`, size directory).
const ICONS: [(&str, &str); 4] = [
    ("32x32.png", "32x32"),
    ("128x128.png", "128x128"),
    ("128x128@2x.png", "256x256"),
    ("icon.png", "512x512"),
];

/// Builds the .deb from already-built binaries in `profile` (`release` or `debug`); returns
/// its path.
pub fn deb(profile: &str) -> Result<PathBuf> {
    let bin_dir = target_dir().join(profile);
    let binaries = ["countersign-desktop", PACKAGE].map(|b| bin_dir.join(b));
    for b in &binaries {
        if !b.is_file() {
            bail!("{} is not built", b.display());
        }
    }
    let version = workspace_version()?;
    let arch = output("dpkg", &["--print-architecture"])?;
    let name = format!("{PACKAGE}_{version}_{arch}");
    let out_dir = target_dir().join("bundle").join("deb");
    let tree = out_dir.join(&name);
    if tree.exists() {
        std::fs::remove_dir_all(&tree)?;
    }
    step(&format!("laying out {}", tree.display()));
    let usr_bin = tree.join("usr/bin");
    std::fs::create_dir_all(&usr_bin)?;
    for b in &binaries {
        let dest = usr_bin.join(b.file_name().context("binary has no name")?);
        std::fs::copy(b, &dest)?;
        // Debug info is for developers; the package ships what runs.
        cmd(
            "strip",
            &["--strip-debug", dest.to_str().context("path not UTF-8")?],
        )?;
    }
    let apps = tree.join("usr/share/applications");
    std::fs::create_dir_all(&apps)?;
    std::fs::write(apps.join("countersign.desktop"), desktop_entry())?;
    for (file, size) in ICONS {
        let dir = tree.join(format!("usr/share/icons/hicolor/{size}/apps"));
        std::fs::create_dir_all(&dir)?;
        std::fs::copy(root().join("icons").join(file), dir.join("countersign.png"))?;
    }
    let doc = tree.join("usr/share/doc").join(PACKAGE);
    std::fs::create_dir_all(&doc)?;
    std::fs::write(doc.join("copyright"), copyright())?;
    std::fs::copy(root().join("README.md"), doc.join("README.md"))?;

    step("dpkg-shlibdeps (the libraries the binaries link, as package dependencies)");
    let depends = shlib_depends(
        &tree,
        &binaries.map(|b| usr_bin.join(b.file_name().unwrap())),
    )?;
    let debian = tree.join("DEBIAN");
    std::fs::create_dir_all(&debian)?;
    std::fs::write(
        debian.join("control"),
        control(&version, &arch, &depends, installed_size_kib(&tree)?),
    )?;
    let deb = out_dir.join(format!("{name}.deb"));
    step(&format!("dpkg-deb --build → {}", deb.display()));
    // xz for a release package; a debug package (CI's check of the layout) compresses fast.
    let compression = if profile == "release" {
        "-Zxz"
    } else {
        "-Zgzip"
    };
    cmd(
        "dpkg-deb",
        &[
            compression,
            "--root-owner-group",
            "--build",
            tree.to_str().context("path not UTF-8")?,
            deb.to_str().context("path not UTF-8")?,
        ],
    )?;
    let size = std::fs::metadata(&deb)?.len();
    step(&format!(
        "{} ({:.1} MiB); install with `sudo apt install {}`",
        deb.display(),
        size as f64 / (1024.0 * 1024.0),
        deb.display()
    ));
    Ok(deb)
}

fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {program} (Debian's dpkg-dev provides it)"))?;
    if !out.status.success() {
        bail!(
            "{program} {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}

/// `version` from `[workspace.package]` in the root Cargo.toml.
fn workspace_version() -> Result<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml"))?;
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[workspace.package]";
        } else if in_package && let Some(v) = line.strip_prefix("version") {
            let v = v
                .trim_start()
                .trim_start_matches('=')
                .trim()
                .trim_matches('"');
            return Ok(v.to_owned());
        }
    }
    bail!("no version in [workspace.package] of Cargo.toml")
}

/// `dpkg-shlibdeps` reads a source package's `debian/control`; a minimal one in a scratch
/// directory is enough for it to resolve each linked library to the package that ships it.
fn shlib_depends(tree: &Path, binaries: &[PathBuf]) -> Result<String> {
    let scratch = tree.with_extension("shlibs");
    std::fs::create_dir_all(scratch.join("debian"))?;
    std::fs::write(
        scratch.join("debian/control"),
        format!("Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n"),
    )?;
    let mut c = Command::new("dpkg-shlibdeps");
    c.arg("-O").args(binaries).current_dir(&scratch);
    let out = c
        .output()
        .context("cannot run dpkg-shlibdeps (Debian's dpkg-dev provides it)")?;
    std::fs::remove_dir_all(&scratch)?;
    if !out.status.success() {
        bail!(
            "dpkg-shlibdeps failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let stdout = String::from_utf8(out.stdout)?;
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("shlibs:Depends="))
        .map(str::to_owned)
        .context("dpkg-shlibdeps printed no shlibs:Depends")
}

fn installed_size_kib(tree: &Path) -> Result<u64> {
    fn walk(dir: &Path) -> Result<u64> {
        let mut bytes = 0;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let meta = entry.metadata()?;
            bytes += if meta.is_dir() {
                walk(&entry.path())?
            } else {
                meta.len()
            };
        }
        Ok(bytes)
    }
    Ok(walk(tree)?.div_ceil(1024))
}

fn control(version: &str, arch: &str, depends: &str, installed_kib: u64) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Package: {PACKAGE}");
    let _ = writeln!(s, "Version: {version}");
    let _ = writeln!(s, "Architecture: {arch}");
    let _ = writeln!(
        s,
        "Maintainer: The Countersign developers <dev@countersign.invalid>"
    );
    let _ = writeln!(s, "Installed-Size: {installed_kib}");
    let _ = writeln!(s, "Depends: {depends}");
    let _ = writeln!(s, "Section: utils");
    let _ = writeln!(s, "Priority: optional");
    let _ = writeln!(
        s,
        "Description: AI drafts, humans countersign: a billing-support desk"
    );
    let _ = writeln!(
        s,
        " Countersign keeps an offline-capable cache of customers, invoices, payments and\n \
         tickets, serves it to local AI assistants over MCP (`countersign mcp`, `countersign\n \
         serve`), and lets support agents and supervisors decide what the assistants propose."
    );
    s
}

fn desktop_entry() -> String {
    "[Desktop Entry]\n\
     Type=Application\n\
     Name=Countersign\n\
     Comment=AI drafts, humans countersign\n\
     Exec=countersign-desktop\n\
     Icon=countersign\n\
     Terminal=false\n\
     Categories=Office;\n"
        .to_owned()
}

fn copyright() -> String {
    format!(
        "{PACKAGE}: AI drafts, humans countersign.\n\n\
         Copyright: the Countersign developers.\n\
         License: Apache-2.0. On Debian systems the full text is in\n\
         /usr/share/common-licenses/Apache-2.0.\n"
    )
}
