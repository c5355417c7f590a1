//! Issue 15: the team's saved replies travel from the platform to a desk like its records, and
//! one withdrawn there leaves the desk's reply box.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teams_saved_reply_reaches_the_desk_and_leaves_it_when_withdrawn() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let reply = json!({"title": "Rechnungskopie", "language": "de",
                       "body": "Hallo {{customer.first_name}}, anbei {{invoice.number}}."});
    let created = platform
        .saved_reply(&tenant, None, reply.clone())
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.ok("sam", &["sync", "now"]);

    let held = || async {
        let desk = desks.pool("sam").await;
        let row: (String, String, String, i64, i64, i64) = sqlx::query_as(
            "SELECT title, language, body, active, personal, version FROM saved_replies WHERE id = ?",
        )
        .bind(&id)
        .fetch_one(&desk)
        .await
        .expect("the desk holds the team's saved reply");
        row
    };
    assert_eq!(
        held().await,
        (
            "Rechnungskopie".into(),
            "de".into(),
            "Hallo {{customer.first_name}}, anbei {{invoice.number}}.".into(),
            1,
            0,
            1
        )
    );

    let mut withdrawn = reply;
    withdrawn["active"] = json!(false);
    platform
        .saved_reply(&tenant, Some(&id), withdrawn)
        .await
        .unwrap();
    desks.ok("sam", &["sync", "now"]);
    let (.., active, personal, version) = held().await;
    assert_eq!(
        (active, personal, version),
        (0, 0, 2),
        "withdrawn, still the team's"
    );
}
