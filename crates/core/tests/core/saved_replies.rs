//! Issue 15: saved replies — searched from the reply box, filled from the ticket's records,
//! never sent by themselves; a reply that still holds a variable is not sent; a person's own
//! are checked, kept and deleted, audited.

use crate::support::*;
use countersign_core::Error;
use countersign_core::saved_replies::{delete_personal, fill, save_personal, search};
use countersign_core::workflow::replies;
use countersign_model::problem::TextField;
use countersign_model::saved_replies::{SaveReply, SavedReplyQuery};
use countersign_model::{ErrorCode, Problem, TicketId};

async fn team_replies(d: &TestDesk) {
    sqlx::raw_sql(
        r#"
        INSERT INTO saved_replies (id, title, language, body, updated_at, version) VALUES
          ('sr_copy_en', 'Invoice copy', 'en',
           'Hi {{customer.first_name}}, here is invoice {{invoice.number}} ({{invoice.total}}), due {{invoice.due_date}}. {{agent.name}}',
           '2025-01-01T00:00:00.000Z', 1),
          ('sr_copy_de', 'Rechnungskopie', 'de',
           'Hallo {{customer.first_name}}, anbei die Rechnung {{invoice.number}} über {{invoice.total}}.',
           '2025-01-01T00:00:00.000Z', 1),
          ('sr_card_en', 'Update your card', 'en', 'Please update your card.',
           '2025-01-01T00:00:00.000Z', 1),
          ('sr_gone', 'Old invoice copy', 'en', 'Withdrawn.', '2025-01-01T00:00:00.000Z', 2);
        UPDATE saved_replies SET active = 0 WHERE id = 'sr_gone';
        "#,
    )
    .execute(d.store.pool())
    .await
    .expect("team replies");
}

fn anna() -> TicketId {
    TicketId::parse("tkt_anna").unwrap()
}

fn query(q: &str, language: Option<&str>) -> SavedReplyQuery {
    SavedReplyQuery {
        query: q.into(),
        language: language.map(str::to_owned),
    }
}

async fn ids(d: &TestDesk, q: &str, language: Option<&str>) -> Vec<String> {
    search(&d.store, &query(q, language))
        .await
        .expect("search")
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[tokio::test]
async fn saved_replies_are_found_by_any_words_in_the_asked_language_first() {
    let d = desk().await;
    team_replies(&d).await;
    assert_eq!(
        ids(&d, "", Some("de")).await,
        ["sr_copy_de", "sr_copy_en", "sr_card_en"],
        "every reply in use, German first, withdrawn ones never"
    );
    assert_eq!(ids(&d, "COPY invoice", Some("en")).await, ["sr_copy_en"]);
    assert_eq!(ids(&d, "card", None).await, ["sr_card_en"]);
    assert_eq!(ids(&d, "rechnung", Some("en")).await, ["sr_copy_de"]);
    sqlx::raw_sql(
        "INSERT INTO saved_replies (id, title, language, body, updated_at, version) VALUES \
           ('sr_full', 'Full refund', 'en', 'We refund 100% of it.', '2025-01-01T00:00:00.000Z', 1), \
           ('sr_credits', 'Credits', 'en', 'You get 1000 credits.', '2025-01-01T00:00:00.000Z', 1), \
           ('sr_snake', 'a_b', 'en', 'x', '2025-01-01T00:00:00.000Z', 1), \
           ('sr_axb', 'axb', 'en', 'x', '2025-01-01T00:00:00.000Z', 1)",
    )
    .execute(d.store.pool())
    .await
    .unwrap();
    assert_eq!(
        ids(&d, "100%", None).await,
        ["sr_full"],
        "% is text, not a wildcard"
    );
    assert_eq!(
        ids(&d, "a_b", None).await,
        ["sr_snake"],
        "_ is text, not a wildcard"
    );
}

#[tokio::test]
async fn a_saved_reply_is_filled_from_the_tickets_records_and_sends_nothing() {
    let d = desk().await;
    team_replies(&d).await;
    let before = footprint(&d.store).await;
    let filled = fill(&d.store, &agent(), &anna(), "sr_copy_en")
        .await
        .expect("fill");
    assert_eq!(
        filled.text,
        "Hi Anna, here is invoice INV-1 (€49.00), due 15 January 2025. Alex Agent"
    );
    assert!(filled.missing.is_empty());
    let de = fill(&d.store, &agent(), &anna(), "sr_copy_de")
        .await
        .unwrap();
    assert_eq!(
        de.text, "Hallo Anna, anbei die Rechnung INV-1 über 49,00 €.",
        "amounts written as the reply's language writes them"
    );
    assert_eq!(
        footprint(&d.store).await,
        before,
        "filling writes nothing and queues nothing"
    );
    let gone = fill(&d.store, &agent(), &anna(), "sr_gone").await;
    assert!(matches!(gone, Err(Error::NotFound { .. })), "{gone:?}");
    let no_ticket = fill(
        &d.store,
        &agent(),
        &TicketId::parse("tkt_none").unwrap(),
        "sr_copy_en",
    )
    .await;
    assert!(
        matches!(no_ticket, Err(Error::NotFound { .. })),
        "{no_ticket:?}"
    );
}

#[tokio::test]
async fn a_customer_without_invoices_leaves_the_invoice_variables_to_the_person() {
    let d = desk().await;
    team_replies(&d).await;
    sqlx::raw_sql(
        "DELETE FROM payments WHERE customer_id = 'cus_anna'; \
         DELETE FROM invoice_line_items WHERE invoice_id IN ('inv_a1', 'inv_a2'); \
         DELETE FROM invoices WHERE customer_id = 'cus_anna';",
    )
    .execute(d.store.pool())
    .await
    .unwrap();
    let filled = fill(&d.store, &agent(), &anna(), "sr_copy_en")
        .await
        .unwrap();
    assert_eq!(
        filled.text,
        "Hi Anna, here is invoice {{invoice.number}} ({{invoice.total}}), due {{invoice.due_date}}. Alex Agent"
    );
    assert_eq!(
        filled.missing,
        ["invoice.number", "invoice.total", "invoice.due_date"]
    );
    let before = footprint(&d.store).await;
    let sent = replies::write(&d.store, &agent(), &anna(), &filled.text).await;
    match sent {
        Err(Error::Refused(Problem::UnfilledVariable { name })) => {
            assert_eq!(name, "invoice.number")
        }
        other => panic!("a reply holding a variable was not refused: {other:?}"),
    }
    assert_eq!(footprint(&d.store).await, before, "nothing queued");
    replies::write(
        &d.store,
        &agent(),
        &anna(),
        "Hi Anna, invoice INV-9 is on its way. {braces} stay {{ as }} written.",
    )
    .await
    .expect("a reply without variables is sent");
}

#[tokio::test]
async fn a_persons_own_saved_replies_are_checked_kept_and_deleted_audited() {
    let d = desk().await;
    team_replies(&d).await;
    let reply = |title: &str, language: &str, body: &str| SaveReply {
        title: title.into(),
        language: language.into(),
        body: body.into(),
    };
    let refused = |r: Result<_, Error>| match r {
        Err(Error::Refused(p)) => p,
        other => panic!("not refused: {other:?}"),
    };
    assert_eq!(
        refused(save_personal(&d.store, &agent(), &reply(" ", "en", "Hi")).await),
        Problem::Required {
            field: TextField::Title
        }
    );
    assert_eq!(
        refused(
            save_personal(
                &d.store,
                &agent(),
                &reply("Hi", "en", "Hi {{customer.nickname}}")
            )
            .await
        ),
        Problem::UnknownVariable {
            name: "customer.nickname".into()
        }
    );
    assert_eq!(
        refused(save_personal(&d.store, &agent(), &reply("Hi", "it", "Ciao")).await),
        Problem::UnknownLanguage {
            language: "it".into()
        }
    );
    assert!(matches!(
        refused(save_personal(&d.store, &agent(), &reply(&"t".repeat(121), "en", "Hi")).await),
        Problem::TooLong {
            field: TextField::Title,
            chars: 121,
            max: 120
        }
    ));

    let mine = save_personal(
        &d.store,
        &agent(),
        &reply(
            "  My card reply ",
            "EN",
            "Dear {{customer.name}}, your card was declined.",
        ),
    )
    .await
    .expect("saved");
    assert!(mine.personal && mine.id.starts_with("psr_"));
    assert_eq!(
        (mine.title.as_str(), mine.language.as_str()),
        ("My card reply", "en")
    );
    assert_eq!(
        ids(&d, "card", Some("en")).await,
        [mine.id.clone(), "sr_card_en".into()],
        "the person's own first"
    );
    assert_eq!(
        fill(&d.store, &agent(), &anna(), &mine.id)
            .await
            .unwrap()
            .text,
        "Dear Anna Schmidt, your card was declined."
    );

    let team = delete_personal(&d.store, &agent(), "sr_card_en").await;
    assert!(
        matches!(&team, Err(e) if e.code() == ErrorCode::InvalidArgument),
        "{team:?}"
    );
    delete_personal(&d.store, &agent(), &mine.id)
        .await
        .expect("deleted");
    assert_eq!(ids(&d, "card", None).await, ["sr_card_en"]);
    let again = delete_personal(&d.store, &agent(), &mine.id).await;
    assert!(matches!(again, Err(Error::NotFound { .. })), "{again:?}");

    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, subject FROM audit_log WHERE action IN ('save_reply', 'delete_reply') ORDER BY seq",
    )
    .fetch_all(d.store.pool())
    .await
    .unwrap();
    assert_eq!(
        audited,
        [
            ("save_reply".to_owned(), mine.id.clone()),
            ("delete_reply".to_owned(), mine.id.clone())
        ]
    );
}
