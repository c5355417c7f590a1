//! Issue 15: a tenant's saved replies are written by an operator, checked by the model's rule,
//! fed to the tenant's desks only, rewritten with a new version and withdrawn, never deleted.

use crate::support::*;
use serde_json::{Value, json};

fn fed_replies(all: &[Value]) -> Vec<&Value> {
    all.iter()
        .filter(|c| c["entity"] == "saved_reply")
        .collect()
}

#[tokio::test]
async fn a_tenants_saved_replies_are_fed_to_its_desks_rewritten_and_withdrawn() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let other = app.tenant("globex").await;
    let path = format!("/v1/admin/tenants/{}/saved-replies", t.id);
    let created = app
        .post(
            &path,
            ADMIN_TOKEN,
            json!({"title": " Copia de factura ", "language": "ES",
                   "body": "Hola {{customer.first_name}}, adjuntamos la factura {{invoice.number}}."}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("sr_"), "{id}");
    assert_eq!(created.body["title"], "Copia de factura");
    assert_eq!(created.body["language"], "es");
    assert_eq!(created.body["personal"], false);

    let fed = app.all_changes(&t.agent).await;
    let replies = fed_replies(&fed);
    assert_eq!(replies.len(), 1, "{replies:?}");
    let data = &replies[0]["data"];
    assert_eq!(replies[0]["id"], id.as_str());
    assert_eq!(replies[0]["version"], 1);
    assert_eq!(data["language"], "es");
    assert_eq!(data["active"], true);
    assert!(
        data["body"]
            .as_str()
            .unwrap()
            .contains("{{invoice.number}}")
    );
    assert!(
        data["updated_at"].as_str().unwrap().ends_with('Z'),
        "{data}"
    );
    assert!(
        fed_replies(&app.all_changes(&other.agent).await).is_empty(),
        "another tenant's desks never see it"
    );

    let put = |body: Value| {
        let path = format!("{path}/{id}");
        let app = &app;
        async move { app.send("PUT", &path, Some(ADMIN_TOKEN), Some(body)).await }
    };
    let same = json!({"title": "Copia de factura", "language": "es",
                      "body": "Hola {{customer.first_name}}, adjuntamos la factura {{invoice.number}}."});
    assert_eq!(put(same.clone()).await.status, 200);
    assert_eq!(
        fed_replies(&app.all_changes(&t.agent).await).len(),
        1,
        "an unchanged rewrite feeds nothing"
    );
    let mut withdrawn = same.clone();
    withdrawn["active"] = json!(false);
    assert_eq!(put(withdrawn).await.status, 200);
    let fed = app.all_changes(&t.agent).await;
    let last = *fed_replies(&fed).last().unwrap();
    assert_eq!(
        (last["version"].clone(), last["data"]["active"].clone()),
        (json!(2), json!(false)),
        "withdrawn, as a new version: {last}"
    );

    let missing = app
        .send(
            "PUT",
            &format!("/v1/admin/tenants/{}/saved-replies/{id}", other.id),
            Some(ADMIN_TOKEN),
            Some(same.clone()),
        )
        .await;
    assert_eq!(
        (missing.status, missing.code()),
        (404, "not_found"),
        "another tenant's id: {}",
        missing.body
    );
    let unknown_tenant = app
        .post(
            "/v1/admin/tenants/ten_nobody/saved-replies",
            ADMIN_TOKEN,
            same.clone(),
        )
        .await;
    assert_eq!(unknown_tenant.status, 404, "{}", unknown_tenant.body);
    let by_a_desk = app.post(&path, &t.supervisor, same).await;
    assert_eq!(
        by_a_desk.status, 401,
        "only the operator writes them: {}",
        by_a_desk.body
    );
}

#[tokio::test]
async fn a_saved_reply_is_refused_as_the_desk_refuses_it() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let path = format!("/v1/admin/tenants/{}/saved-replies", t.id);
    for (body, needle) in [
        (
            json!({"title": "Hi", "language": "en", "body": "Hi {{customer.nickname}}"}),
            "{{customer.nickname}}",
        ),
        (
            json!({"title": "Ciao", "language": "it", "body": "Ciao"}),
            "language",
        ),
        (
            json!({"title": "  ", "language": "en", "body": "Hi"}),
            "title",
        ),
        (
            json!({"title": "Hi", "language": "en", "body": "x".repeat(10_001)}),
            "10001",
        ),
    ] {
        let r = app.post(&path, ADMIN_TOKEN, body).await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_argument"),
            "{}",
            r.body
        );
        let message = r.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(needle), "{needle}: {message}");
    }
    assert!(fed_replies(&app.all_changes(&t.agent).await).is_empty());
}
