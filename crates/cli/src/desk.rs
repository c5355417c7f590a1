//! Which desk a command works on: the data directory and profile from the global flags, and
//! opening that profile's database (refusing to create one by accident).

use crate::error::CliError;
use countersign_core::Store;
use countersign_core::profile::DataDir;
use countersign_model::ErrorCode;
use countersign_model::workflow::Person;
use std::path::{Path, PathBuf};

/// The global flags every command shares.
#[derive(Debug, Clone)]
pub struct Context {
    /// `--data-dir` / `COUNTERSIGN_DATA_DIR` when given (assistant configs repeat it).
    pub explicit_data_dir: Option<PathBuf>,
    pub data_dir: DataDir,
    pub profile: String,
}

impl Context {
    pub fn new(explicit_data_dir: Option<PathBuf>, profile: String) -> anyhow::Result<Self> {
        countersign_core::profile::check_profile_name(&profile)?;
        let data_dir = DataDir::locate(explicit_data_dir.as_deref())?;
        Ok(Self {
            explicit_data_dir,
            data_dir,
            profile,
        })
    }

    pub fn desk_path(&self) -> anyhow::Result<PathBuf> {
        Ok(self.data_dir.desk_path(&self.profile)?)
    }

    pub fn desk_exists(&self) -> anyhow::Result<bool> {
        Ok(self.data_dir.exists(&self.profile)?)
    }

    /// The profile flags to repeat in a command line (`--profile`, and `--data-dir` if given).
    pub fn profile_args(&self) -> Vec<String> {
        let mut args = vec!["--profile".to_owned(), self.profile.clone()];
        if let Some(dir) = &self.explicit_data_dir {
            args.push("--data-dir".to_owned());
            args.push(absolute(dir).display().to_string());
        }
        args
    }

    /// Opens the profile's existing desk; a missing one is `not_found` with how to create it.
    pub async fn open(&self) -> anyhow::Result<Store> {
        self.open_with(countersign_core::store::DEFAULT_CONNECTIONS)
            .await
    }

    /// [`Context::open`] keeping at most `connections` SQLite connections.
    pub async fn open_with(&self, connections: u32) -> anyhow::Result<Store> {
        let path = self.desk_path()?;
        if !path.exists() {
            let hint = if self.profile == countersign_core::profile::DEMO_PROFILE {
                "run `countersign demo` to create the demo desk".to_owned()
            } else {
                format!(
                    "run `countersign --profile {} demo` to create a demo desk for it",
                    self.profile
                )
            };
            return Err(CliError::new(
                ErrorCode::NotFound,
                format!(
                    "profile `{}` has no desk at {}; {hint}",
                    self.profile,
                    path.display()
                ),
            )
            .into());
        }
        Ok(Store::open_with(&path, connections).await?)
    }

    /// Opens the profile's desk, creating an empty one if it has none (a desk about to be filled
    /// by sync).
    pub async fn create(&self) -> anyhow::Result<Store> {
        Ok(Store::open(&self.desk_path()?).await?)
    }

    /// Opens the desk and reads who is at it (decisions are recorded under this person).
    pub async fn open_as_person(&self) -> anyhow::Result<(Store, Person)> {
        let store = self.open().await?;
        let person = countersign_core::settings::person(store.pool()).await?;
        Ok((store, person))
    }
}

/// `path` made absolute against the current directory (left as is if that is unknown).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}
