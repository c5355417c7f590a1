//! Issue 16, mutations typed end to end: every kind, as the desk's queue writes it from the
//! model's types (each optional field present and absent), is parsed by the platform into the
//! same types: none is refused for its shape.

use crate::support::spawn_app;
use countersign_model::sync::{MutationKind, examples};
use serde_json::json;

#[tokio::test]
async fn every_mutation_kind_the_desk_queues_is_read_by_the_platform() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.invoice(&t.ingest, "inv_1", "49.00").await;
    let (ticket, _) = app.ticket(&t.ingest, "anna@example.com").await;
    let mut seq = 0;
    let mut seen = 0;
    for kind in MutationKind::ALL {
        for body in examples(kind, &ticket, "esc_typed") {
            seq += 1;
            let r = app
                .push(
                    &t.supervisor,
                    "dev-typed",
                    json!([{"seq": seq, "id": format!("mut_typed_{seq}"), "kind": kind.as_str(),
                            "payload": body.payload()}]),
                )
                .await;
            let outcome = &r[0];
            // Refused or not for what it asks (a merge into a ticket that does not exist), but
            // never for its shape: that would be the desk and the platform disagreeing.
            let message = outcome["message"].as_str().unwrap_or_default();
            assert!(
                !(outcome["code"] == "invalid_argument" && message.contains("payload")),
                "{kind:?} {}: {outcome}",
                body.payload()
            );
            seen += 1;
        }
    }
    assert!(
        seen > MutationKind::ALL.len(),
        "optional fields were tried both ways"
    );
}
