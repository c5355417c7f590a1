//! Opening the desk a desktop session works on. A profile without a desk is refused, except the
//! demo profile, which is created on first start with the small demo data set and an offline
//! agent named after one of its ticket assignees (so "my tickets" is not empty).

use crate::profile::{DEMO_PROFILE, DataDir};
use crate::{Error, Result, Store, demo, settings};

/// The person a freshly created demo desk belongs to.
pub const DEMO_PERSON: &str = "Alex Morgan";

/// How the desk was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    Existing,
    /// The demo desk did not exist and was created now.
    CreatedDemo,
}

/// Opens profile `profile` under `data_dir`, creating the demo desk when it is the one missing.
pub async fn open_profile(data_dir: &DataDir, profile: &str) -> Result<(Store, Opened)> {
    let path = data_dir.desk_path(profile)?;
    if path.exists() {
        return Ok((Store::open(&path).await?, Opened::Existing));
    }
    if profile != DEMO_PROFILE {
        return Err(Error::not_found(
            "profile",
            format!(
                "`{profile}` (no desk at {}; start with `--profile {DEMO_PROFILE}` for the demo, or create it with `countersign --profile {profile} demo`)",
                path.display()
            ),
        ));
    }
    let store = Store::open(&path).await?;
    let cfg = demo::DemoConfig::small(chrono::Utc::now().date_naive());
    demo::seed(&store, &cfg, &mut |_, _, _| {}).await?;
    for (key, value) in [
        (settings::PERSON_NAME, DEMO_PERSON),
        (settings::PERSON_ROLE, "agent"),
    ] {
        if settings::get(store.pool(), key).await?.is_none() {
            settings::set(&store, key, value).await?;
        }
    }
    tracing::info!(path = %path.display(), "created the demo desk");
    Ok((store, Opened::CreatedDemo))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_profile_is_created_once_and_other_profiles_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::locate(Some(dir.path())).unwrap();
        let (store, opened) = open_profile(&data, DEMO_PROFILE).await.unwrap();
        assert_eq!(
            opened,
            Opened::CreatedDemo,
            "first start creates the demo desk"
        );
        let person = settings::person(store.pool()).await.unwrap();
        assert_eq!(person.name, DEMO_PERSON);
        store.close().await;
        let (_, opened) = open_profile(&data, DEMO_PROFILE).await.unwrap();
        assert_eq!(opened, Opened::Existing, "second start reuses it");
        let err = open_profile(&data, "alice").await.unwrap_err();
        assert_eq!(
            err.code(),
            countersign_model::ErrorCode::NotFound,
            "a missing non-demo profile is not created silently"
        );
    }
}
