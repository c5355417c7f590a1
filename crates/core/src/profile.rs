//! Profiles: one desk database per profile, under the platform's data directory (XDG on Linux:
//! `~/.local/share/countersign`), or under `--data-dir` / `COUNTERSIGN_DATA_DIR`.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "COUNTERSIGN_DATA_DIR";
/// The profile the demo creates and commands use by default.
pub const DEMO_PROFILE: &str = "demo";

/// Where profiles live.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// `explicit` (a flag) wins, then `COUNTERSIGN_DATA_DIR`, then the platform's data directory.
    pub fn locate(explicit: Option<&Path>) -> Result<Self> {
        if let Some(p) = explicit {
            return Ok(Self { root: p.to_owned() });
        }
        if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|p| !p.is_empty()) {
            return Ok(Self { root: p.into() });
        }
        let dirs = directories::ProjectDirs::from("dev", "countersign", "countersign").ok_or_else(
            || {
                Error::Unavailable(format!(
                    "no home directory to keep profiles in; pass --data-dir or set {DATA_DIR_ENV}"
                ))
            },
        )?;
        Ok(Self {
            root: dirs.data_dir().to_owned(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The database file of profile `name` (which must be 1–32 of `[a-z0-9_-]`).
    pub fn desk_path(&self, name: &str) -> Result<PathBuf> {
        check_profile_name(name)?;
        Ok(self.root.join("profiles").join(name).join("desk.sqlite3"))
    }

    pub fn exists(&self, name: &str) -> Result<bool> {
        Ok(self.desk_path(name)?.exists())
    }

    /// The profiles that have a desk, sorted.
    pub fn list(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root.join("profiles"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("desk.sqlite3").exists())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        names
    }
}

pub fn check_profile_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "profile name {name:?}: use 1 to 32 of a-z, 0-9, - and _"
        )))
    }
}
