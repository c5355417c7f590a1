//! Issue 15: a file a customer sent reaches the desk as what it is; a person saves it from the
//! platform as a plain file (the bytes as sent, never executable, never over another file).

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customers_file_is_listed_on_the_desk_and_saved_through_the_platform() {
    let keyring = KeyringSession::start().expect("an OS keyring session");
    let platform = Platform::start().expect("a platform");
    let tenant = platform.tenant().await.unwrap();
    let statement: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let content = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(&statement)
    };
    platform
        .ingest_message(
            &tenant.ingest,
            json!({"customer": {"email": "anna@example.com"}, "subject": "Bank statement",
                   "body": "Attached, the statement showing both charges.",
                   "attachments": [{"name": "statement.pdf", "content_type": "application/pdf",
                                    "content": content}]}),
        )
        .await
        .unwrap();
    let desks = Desks::new(&keyring);
    desks.login("sam", &platform.url, &tenant.agent);
    desks.ok("sam", &["sync", "now"]);
    let (id, name, kind, size): (String, String, String, i64) =
        sqlx::query_as("SELECT id, name, content_type, size FROM attachments")
            .fetch_one(&desks.pool("sam").await)
            .await
            .expect("the desk lists the file");
    assert_eq!(
        (name.as_str(), kind.as_str(), size),
        ("statement.pdf", "application/pdf", 70_000)
    );

    let to = tempfile::tempdir().unwrap();
    let dir = to.path().to_str().unwrap();
    // Saved under a umask that lets everything through: only the desk's own mode keeps the file
    // from being executable or writable by others.
    let save = || {
        let desk = desks.command("sam");
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg("umask 000 && exec \"$0\" \"$@\"")
            .arg(desk.get_program())
            .args(desk.get_args())
            .args(["attachment", "save", &id, "--to", dir]);
        for (k, v) in desk.get_envs() {
            match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            };
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = save();
    let second = save();
    let (first, second) = (
        std::path::PathBuf::from(first.trim()),
        std::path::PathBuf::from(second.trim()),
    );
    assert_eq!(first, to.path().join("statement.pdf"));
    assert_eq!(
        second,
        to.path().join("statement (2).pdf"),
        "a second save never replaces the first"
    );
    assert_eq!(
        std::fs::read(&first).unwrap(),
        statement,
        "the bytes as sent"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&first).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o644,
        "never executable, not writable by others: {mode:o}"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'save_attachment' AND subject = ?",
    )
    .bind(&id)
    .fetch_one(&desks.pool("sam").await)
    .await
    .unwrap();
    assert_eq!(audited, 2);
    let missing = desks.run("sam", &["attachment", "save", "att_nothing", "--to", dir]);
    assert!(!missing.status.success(), "an unknown file is refused");
}
