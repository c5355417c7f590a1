//! The activity view: the newest audit rows (optionally filtered) and the verification of the
//! whole hash chain, so a person sees at a glance whether the log is intact.

use crate::Result;
use crate::audit;
use countersign_model::ipc::ActivityView;
use sqlx::SqlitePool;

/// How many rows the view lists.
pub const ACTIVITY_ROWS: i64 = 200;

pub async fn load(pool: &SqlitePool, filter: Option<&str>) -> Result<ActivityView> {
    let filter = filter.map(str::trim).filter(|f| !f.is_empty());
    let (entries, verification) = tokio::try_join!(
        audit::tail(pool, ACTIVITY_ROWS, filter),
        audit::verify(pool)
    )?;
    Ok(ActivityView {
        entries,
        chain_rows: verification.rows,
        chain_break: verification
            .broken
            .map(|b| format!("row {}: {}", b.seq, b.why)),
    })
}
