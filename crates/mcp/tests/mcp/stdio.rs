//! Every tool, resource and prompt through a real rmcp client over a pipe.

use crate::support::*;
use countersign_model::records::{
    CustomerDetail, InvoiceDetail, InvoiceSummary, Message, Page, TicketRow,
};
use countersign_model::workflow::{Draft, DraftStatus, Escalation, TicketDetail, TokenScope};
use rmcp::model::{GetPromptRequestParams, ReadResourceRequestParams, ResourceContents};
use serde_json::json;

/// The README's "Tools:" paragraph names exactly the declared tools, no more, no fewer.
#[test]
fn the_readme_lists_exactly_the_declared_tools() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("the workspace README");
    let from = readme
        .find("\nTools: ")
        .expect("the README has a paragraph starting \"Tools: \"");
    let paragraph = &readme[from..];
    let paragraph = &paragraph[..paragraph.find("Resources").expect("then the resources")];
    let mut named: Vec<String> = paragraph
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    named.sort();
    assert_eq!(named, countersign_mcp::tool_names());
}

#[tokio::test]
async fn the_tools_are_the_declared_ones_and_none_decides() {
    let desk = demo_desk().await;
    let client = connect(&desk.store, TokenScope::Draft, "test").await;
    let tools = client.list_all_tools().await.unwrap();
    let mut names: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    assert_eq!(names, countersign_mcp::tool_names());
    assert_eq!(
        names.len(),
        10,
        "the seven reads and three proposals the README lists"
    );
    for t in &tools {
        let n = t.name.to_lowercase();
        for verb in [
            "send", "approve", "refund", "void", "edit", "update", "delete", "decide", "pay",
            "charge",
        ] {
            assert!(
                !n.contains(verb),
                "tool {n} looks like it could {verb}: assistants only read and propose"
            );
        }
        let a = t
            .annotations
            .as_ref()
            .unwrap_or_else(|| panic!("{n} has annotations"));
        let proposes =
            ["draft_reply", "raise_escalation", "add_internal_note"].contains(&n.as_str());
        assert_eq!(
            a.read_only_hint,
            Some(!proposes),
            "{n}: honest read_only_hint"
        );
        assert_eq!(a.destructive_hint, Some(false), "{n}: nothing destructive");
        assert!(t.output_schema.is_some(), "{n} declares an outputSchema");
        assert_eq!(t.input_schema.get("type"), Some(&json!("object")), "{n}");
    }
}

#[tokio::test]
async fn every_read_tool_returns_typed_structured_content() {
    let desk = demo_desk().await;
    let client = connect(&desk.store, TokenScope::Read, "reader").await;
    let name = scalar(
        &desk.store,
        "SELECT name FROM customers ORDER BY id LIMIT 1",
    )
    .await;
    let surname = name.split_whitespace().last().unwrap().to_owned();
    let hits = ok(
        &call(&client, "search_customers", json!({"query": surname})).await,
        "search_customers",
    );
    let customer_id = hits["customers"][0]["id"]
        .as_str()
        .expect("a hit")
        .to_owned();

    let c: CustomerDetail = serde_json::from_value(ok(
        &call(&client, "get_customer", json!({"customer_id": customer_id})).await,
        "get_customer",
    ))
    .unwrap();
    let by_email: CustomerDetail = serde_json::from_value(ok(
        &call(&client, "get_customer", json!({"email": c.customer.email})).await,
        "get_customer",
    ))
    .unwrap();
    assert_eq!(by_email.customer.id, c.customer.id);

    let page: Page<InvoiceSummary> = serde_json::from_value(ok(
        &call(&client, "list_invoices", json!({"limit": 2})).await,
        "list_invoices",
    ))
    .unwrap();
    assert_eq!(page.items.len(), 2);
    let next: Page<InvoiceSummary> = serde_json::from_value(ok(
        &call(
            &client,
            "list_invoices",
            json!({"limit": 2, "cursor": page.next_cursor}),
        )
        .await,
        "list_invoices",
    ))
    .unwrap();
    assert!(
        next.items
            .iter()
            .all(|i| !page.items.iter().any(|p| p.id == i.id)),
        "the cursor moves on"
    );

    let number = &page.items[0].invoice_number;
    let inv: InvoiceDetail = serde_json::from_value(ok(
        &call(&client, "get_invoice", json!({"invoice_number": number})).await,
        "get_invoice",
    ))
    .unwrap();
    assert_eq!(&inv.invoice.invoice_number, number);
    assert!(!inv.line_items.is_empty());

    let tickets: Page<TicketRow> = serde_json::from_value(ok(
        &call(&client, "list_tickets", json!({"status": "open"})).await,
        "list_tickets",
    ))
    .unwrap();
    let ticket_id = tickets.items[0].ticket.id.clone();
    let t: TicketDetail = serde_json::from_value(ok(
        &call(&client, "get_ticket", json!({"ticket_id": ticket_id})).await,
        "get_ticket",
    ))
    .unwrap();
    assert!(!t.thread.is_empty());

    let kb = ok(
        &call(&client, "search_kb", json!({"query": "refund"})).await,
        "search_kb",
    );
    assert!(
        !kb["articles"].as_array().unwrap().is_empty(),
        "the demo KB answers refunds"
    );

    let audited = count(
        &desk.store,
        "SELECT COUNT(*) FROM audit_log WHERE actor = 'reader' AND outcome = 'ok'",
    )
    .await;
    assert_eq!(audited, 9, "every call is audited under the client's name");
}

#[tokio::test]
async fn proposals_are_filed_for_review_and_audited() {
    let desk = demo_desk().await;
    let client = connect(&desk.store, TokenScope::Draft, "Claude Desktop").await;
    let ticket = scalar(
        &desk.store,
        "SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 1",
    )
    .await;
    let invoice = scalar(
        &desk.store,
        "SELECT i.id FROM invoices i JOIN tickets t ON t.customer_id = i.customer_id \
        WHERE t.status = 'open' AND i.amount_paid > 0 ORDER BY t.id, i.id LIMIT 1",
    )
    .await;
    let invoice_ticket = scalar(
        &desk.store,
        "SELECT t.id FROM invoices i JOIN tickets t ON t.customer_id = i.customer_id \
        WHERE t.status = 'open' AND i.amount_paid > 0 ORDER BY t.id, i.id LIMIT 1",
    )
    .await;

    let d: Draft = serde_json::from_value(ok(&call(&client, "draft_reply", json!({
        "ticket_id": invoice_ticket, "body": "Hello, we are checking your invoice.", "confidence": 0.7,
        "citations": [{"kind": "invoice", "id": invoice}], "model": "claude-test"
    })).await, "draft_reply")).unwrap();
    assert_eq!(d.status, DraftStatus::PendingReview);
    assert_eq!(
        d.author.client, "Claude Desktop",
        "the draft says which assistant wrote it"
    );
    assert_eq!(d.author.model.as_deref(), Some("claude-test"));

    let e: Escalation = serde_json::from_value(ok(&call(&client, "raise_escalation", json!({
        "ticket_id": invoice_ticket, "reason": "Duplicate charge confirmed", "proposed_action": "refund",
        "invoice_id": invoice, "amount": "1.00"
    })).await, "raise_escalation")).unwrap();
    assert_eq!(
        e.amount
            .unwrap()
            .amount_string()
            .trim_end_matches('0')
            .trim_end_matches('.'),
        "1"
    );

    let n: Message = serde_json::from_value(ok(
        &call(
            &client,
            "add_internal_note",
            json!({"ticket_id": ticket, "body": "Checked payments."}),
        )
        .await,
        "add_internal_note",
    ))
    .unwrap();
    assert_eq!(n.visibility.as_str(), "internal");

    let decided = count(
        &desk.store,
        "SELECT COUNT(*) FROM drafts WHERE status != 'pending_review'",
    )
    .await
        + count(
            &desk.store,
            "SELECT COUNT(*) FROM escalations WHERE status != 'pending'",
        )
        .await;
    assert_eq!(decided, 0, "nothing an assistant files is decided");
    let audited = count(&desk.store, "SELECT COUNT(*) FROM audit_log WHERE actor = 'Claude Desktop' AND action IN ('draft_reply', 'raise_escalation', 'add_internal_note')").await;
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn a_read_scope_cannot_propose_and_nothing_but_the_refusal_is_written() {
    let desk = demo_desk().await;
    let client = connect(&desk.store, TokenScope::Read, "reader").await;
    let ticket = scalar(&desk.store, "SELECT id FROM tickets ORDER BY id LIMIT 1").await;
    let drafts_before = count(&desk.store, "SELECT COUNT(*) FROM drafts").await;
    let r = call(
        &client,
        "draft_reply",
        json!({"ticket_id": ticket, "body": "hi", "confidence": 0.5}),
    )
    .await;
    assert_eq!(error_code(&r), "forbidden");
    let r = call(
        &client,
        "add_internal_note",
        json!({"ticket_id": ticket, "body": "hi"}),
    )
    .await;
    assert_eq!(error_code(&r), "forbidden");
    assert_eq!(
        count(&desk.store, "SELECT COUNT(*) FROM drafts").await,
        drafts_before
    );
    assert_eq!(count(&desk.store, "SELECT COUNT(*) FROM outbox").await, 0);
    assert_eq!(
        count(
            &desk.store,
            "SELECT COUNT(*) FROM audit_log WHERE outcome = 'forbidden'"
        )
        .await,
        2,
        "refusals are audited"
    );
}

#[tokio::test]
async fn bad_arguments_get_stable_codes() {
    let desk = demo_desk().await;
    let client = connect(&desk.store, TokenScope::Draft, "test").await;
    let mut expected = Vec::new();
    for (tool, args, code) in [
        ("get_customer", json!({}), "invalid_argument"),
        (
            "get_customer",
            json!({"customer_id": "cus_nope"}),
            "not_found",
        ),
        (
            "get_customer",
            json!({"customer_id": "robert'); DROP TABLE customers;--"}),
            "invalid_argument",
        ),
        (
            "get_invoice",
            json!({"invoice_number": "INV-0000-nope"}),
            "not_found",
        ),
        (
            "list_invoices",
            json!({"status": "PAID"}),
            "invalid_argument",
        ),
        (
            "list_invoices",
            json!({"issued_from": "yesterday"}),
            "invalid_argument",
        ),
        (
            "list_invoices",
            json!({"cursor": "garbage"}),
            "invalid_argument",
        ),
        ("get_ticket", json!({"ticket_id": "tkt_nope"}), "not_found"),
        (
            "search_customers",
            json!({"query": "\"*)("}),
            "invalid_argument",
        ),
        (
            "draft_reply",
            json!({"ticket_id": "tkt_nope", "body": "x", "confidence": 0.5}),
            "not_found",
        ),
        (
            "raise_escalation",
            json!({"ticket_id": "tkt_nope", "reason": "x", "proposed_action": "steal"}),
            "invalid_argument",
        ),
    ] {
        let r = call(&client, tool, args.clone()).await;
        assert_eq!(error_code(&r), code, "{tool} {args}");
        expected.push((tool.to_owned(), code.to_owned()));
    }
    assert_eq!(
        count(&desk.store, "SELECT COUNT(*) FROM customers").await,
        40
    );
    let audited: Vec<(String, String)> =
        sqlx::query_as("SELECT action, outcome FROM audit_log ORDER BY seq")
            .fetch_all(desk.store.pool())
            .await
            .unwrap();
    assert_eq!(audited, expected, "every refusal is audited with its code");
}

#[tokio::test]
async fn resources_and_prompts_work() {
    let desk = demo_desk().await;
    let client = connect(&desk.store, TokenScope::Read, "test").await;
    let templates = client
        .list_resource_templates(None)
        .await
        .unwrap()
        .resource_templates;
    assert_eq!(templates.len(), 3);
    let ticket = scalar(&desk.store, "SELECT id FROM tickets ORDER BY id LIMIT 1").await;
    let res = client
        .read_resource(ReadResourceRequestParams::new(format!(
            "countersign://ticket/{ticket}"
        )))
        .await
        .unwrap();
    let ResourceContents::TextResourceContents { text, .. } = &res.contents[0] else {
        panic!("text")
    };
    let t: TicketDetail = serde_json::from_str(text).unwrap();
    assert_eq!(t.ticket.id.as_str(), ticket);
    assert!(
        client
            .read_resource(ReadResourceRequestParams::new(
                "countersign://ticket/tkt_nope"
            ))
            .await
            .is_err()
    );

    let prompts = client.list_all_prompts().await.unwrap();
    let mut names: Vec<_> = prompts.iter().map(|p| p.name.to_string()).collect();
    names.sort();
    assert_eq!(names, ["draft_reply_for_ticket", "triage_inbox"]);
    let p = client
        .get_prompt(
            GetPromptRequestParams::new("draft_reply_for_ticket")
                .with_arguments(rmcp::object!({"ticket_id": ticket})),
        )
        .await
        .unwrap();
    let text = serde_json::to_string(&p.messages).unwrap();
    assert!(
        text.contains(&ticket) && text.contains("draft_reply"),
        "{text}"
    );
    let p = client
        .get_prompt(GetPromptRequestParams::new("triage_inbox"))
        .await
        .unwrap();
    assert!(!p.messages.is_empty());
}
