//! The OpenAPI document covers exactly the routes the router serves.

use crate::support::spawn_app;
use countersign_platform::{openapi, routes};

#[tokio::test]
async fn the_document_lists_every_served_route_and_nothing_else() {
    let app = spawn_app().await;
    let r = app.send("GET", "/openapi.json", None, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["openapi"], "3.1.0");
    let documented = openapi::operations(&r.body);
    let mut served: Vec<(String, String)> = routes::table()
        .iter()
        .map(|route| (route.method.to_string(), route.path.to_owned()))
        .collect();
    served.sort();
    assert_eq!(
        documented, served,
        "the document and the router's table differ"
    );

    // And the server really answers each documented operation (not 404/405).
    for (method, path) in &documented {
        let concrete = path
            .replace("{tenant_id}", "ten_x")
            .replace("{agent_id}", "agt_x")
            .replace("{token_id}", "ptk_x");
        let reply = app.send(method, &concrete, None, None).await;
        assert!(
            ![404, 405].contains(&reply.status),
            "{method} {path} is documented but not served ({})",
            reply.status
        );
    }
    let unknown = app.send("GET", "/v1/nope", None, None).await;
    assert_eq!((unknown.status, unknown.code()), (404, "not_found"));
}
