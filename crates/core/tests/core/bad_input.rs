//! Bad input is refused with a clear code, and nothing is written.

use crate::support::*;
use countersign_core::records::customers;
use countersign_core::workflow::drafts::{self, NewDraft};
use countersign_core::workflow::{Proposer, notes};
use countersign_model::workflow::TokenScope;
use countersign_model::{DraftId, ErrorCode, TicketId};

#[tokio::test]
async fn unknown_ids_are_not_found_and_write_nothing() {
    let d = desk().await;
    let before = footprint(&d.store).await;
    let call = assistant(TokenScope::Draft, "draft_reply");
    let draft = NewDraft {
        ticket_id: TicketId::parse("tkt_nope").unwrap(),
        body: "hi".into(),
        confidence: 0.5,
        citations: vec![],
    };
    assert_eq!(
        drafts::propose(&d.store, &call, &draft)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
    let missing = DraftId::parse("dft_nope").unwrap();
    assert_eq!(
        drafts::approve(&d.store, &agent(), &missing, None)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
    assert_eq!(footprint(&d.store).await, before);
}

#[tokio::test]
async fn huge_empty_and_odd_text_is_refused() {
    let d = desk().await;
    let before = footprint(&d.store).await;
    let call = assistant(TokenScope::Draft, "draft_reply");
    let ticket = TicketId::parse("tkt_anna").unwrap();
    for (body, confidence) in [
        ("x".repeat(20_001), 0.5),
        ("   ".into(), 0.5),
        ("a\0b".into(), 0.5),
        ("fine".into(), 1.5),
        ("fine".into(), f64::NAN),
    ] {
        let draft = NewDraft {
            ticket_id: ticket.clone(),
            body,
            confidence,
            citations: vec![],
        };
        let err = drafts::propose(&d.store, &call, &draft).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument, "{err}");
    }
    let err = notes::add(
        &d.store,
        Proposer::Person(&agent()),
        &ticket,
        &"n".repeat(50_000),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
    let err = customers::search(d.store.pool(), &"q".repeat(10_000), 10)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
    assert_eq!(footprint(&d.store).await, before);
}

#[test]
fn malformed_ids_cannot_be_built() {
    for bad in [
        "tkt_'; DROP TABLE tickets; --",
        "tkt_",
        "cus_1",
        "",
        "tkt_a b",
    ] {
        assert!(TicketId::parse(bad).is_err(), "{bad:?}");
    }
}
