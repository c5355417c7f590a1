//! The CLI as a person uses it: an assistant drafts over stdio MCP (a real child process), the
//! person lists, approves and audits from the shell; errors are one line with a code.

use countersign_e2e::{Desk, tool};
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use serde_json::json;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn an_assistant_drafts_over_stdio_and_a_person_approves_from_the_cli() {
    let desk = Desk::demo(30, 300, 30).expect("demo desk");
    let bin = tool("COUNTERSIGN_BIN");
    let data_dir = desk.data_dir().to_owned();
    let transport = TokioChildProcess::new(tokio::process::Command::new(&bin).configure(|c| {
        c.arg("--data-dir").arg(&data_dir).arg("mcp");
    }))
    .expect("spawn countersign mcp");
    let client = ().serve(transport).await.expect("initialize over stdio");
    let args = |v: serde_json::Value| v.as_object().unwrap().clone();
    let tickets = client
        .call_tool(
            CallToolRequestParams::new("list_tickets")
                .with_arguments(args(json!({"status": "open", "limit": 1}))),
        )
        .await
        .unwrap();
    let ticket = tickets.structured_content.unwrap()["items"][0]["ticket"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let draft = client
        .call_tool(CallToolRequestParams::new("draft_reply").with_arguments(args(json!({
            "ticket_id": ticket, "body": "Hello, thanks for writing. We are on it.", "confidence": 0.6
        }))))
        .await
        .unwrap();
    assert_ne!(draft.is_error, Some(true), "{:?}", draft.structured_content);
    let draft_id = draft.structured_content.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    client.cancel().await.unwrap();

    let listed = desk.cli(&["drafts", "list"]).unwrap();
    assert!(
        listed.status.success() && stdout(&listed).contains(&draft_id),
        "drafts list shows it:\n{}",
        stdout(&listed)
    );

    let approved = desk
        .cli(&[
            "approve",
            &draft_id,
            "--body",
            "Hello, we refunded you today.",
        ])
        .unwrap();
    assert!(approved.status.success(), "approve: {}", stderr(&approved));

    let again = desk.cli(&["approve", &draft_id]).unwrap();
    assert_eq!(again.status.code(), Some(5), "a second approval conflicts");
    assert!(
        stderr(&again).starts_with("error[conflict]:"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        stderr(&again).trim().lines().count(),
        1,
        "errors are one line"
    );

    let tail = desk.cli(&["audit", "tail", "-n", "20"]).unwrap();
    let tail = stdout(&tail);
    assert!(
        tail.contains("draft_reply") && tail.contains("approve_draft"),
        "both are audited:\n{tail}"
    );
    let verify = desk.cli(&["audit", "verify"]).unwrap();
    assert!(
        verify.status.success(),
        "audit verify: {}{}",
        stdout(&verify),
        stderr(&verify)
    );
}

#[test]
fn unknown_ids_are_one_line_errors_with_a_code() {
    let desk = Desk::demo(10, 50, 5).expect("demo desk");
    let out = desk.cli(&["approve", "dft_nope"]).unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).starts_with("error[not_found]:"),
        "{}",
        stderr(&out)
    );
    let out = desk.cli(&["approve", "not-an-id"]).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error[invalid_argument]:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_agent_cannot_decide_an_escalation_from_the_cli() {
    let desk = Desk::demo(10, 50, 5).expect("demo desk");
    let out = desk.cli(&["decide", "esc_nope", "approve"]).unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

/// Issue 15: a ticket's own state from the terminal, through the same decisions as the window:
/// each change is on the desk, queued and audited; a refusal says why, with its code.
#[tokio::test]
async fn a_ticket_is_worked_from_the_cli() {
    let desk = Desk::demo(20, 80, 20).expect("demo desk");
    let path = countersign_core::profile::DataDir::locate(Some(desk.data_dir()))
        .and_then(|d| d.desk_path("demo"))
        .unwrap();
    let store = countersign_core::Store::open(&path).await.unwrap();
    let ticket: String = sqlx::query_scalar(
        "SELECT id FROM tickets WHERE status = 'open' AND priority <> 'urgent' \
         AND assignee IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .expect("an open ticket nobody holds");
    store.close().await;
    let ok = |args: &[&str]| {
        let out = desk.cli(args).unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    assert!(ok(&["ticket", "assign", &ticket, "--me"]).contains("assigned to agt_"));
    assert!(ok(&["ticket", "priority", &ticket, "urgent"]).contains("priority urgent"));
    assert!(
        ok(&[
            "ticket",
            "snooze",
            &ticket,
            "--until",
            "2099-01-01T09:00:00+01:00"
        ])
        .contains("snoozed until 2099-01-01T08:00:00")
    );
    assert!(ok(&["ticket", "snooze", &ticket, "--wake"]).contains("awake"));
    assert!(ok(&["ticket", "status", &ticket, "solved"]).contains("is solved now"));
    let refused = desk.cli(&["ticket", "status", &ticket, "solved"]).unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).starts_with("error[invalid_argument]:"),
        "{}",
        stderr(&refused)
    );
    let path = countersign_core::profile::DataDir::locate(Some(desk.data_dir()))
        .and_then(|d| d.desk_path("demo"))
        .unwrap();
    let store = countersign_core::Store::open(&path).await.unwrap();
    let queued: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM outbox WHERE json_extract(payload, '$.ticket_id') = ? ORDER BY seq",
    )
    .bind(&ticket)
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(
        queued,
        ["assign", "set_priority", "snooze", "snooze", "set_status"],
        "each change queued for the platform"
    );
}

/// The CPUs each thread of process `pid` may run on (`Cpus_allowed_list`), once it has started
/// a thread besides its main one (the desk's first SQLite connection).
#[cfg(target_os = "linux")]
fn allowed_cpus(pid: u32) -> Vec<String> {
    use std::time::{Duration, Instant};
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let lists: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/task"))
            .expect("the server runs")
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok())
            .filter_map(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
                    .map(|v| v.trim().to_owned())
            })
            .collect();
        if lists.len() >= 2 || Instant::now() > deadline {
            return lists;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_mcp_server_keeps_its_threads_on_one_cpu_unless_told_otherwise() {
    use std::process::Stdio;
    let desk = Desk::demo(5, 20, 5).expect("demo desk");
    let ours = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .unwrap()
        .trim()
        .to_owned();
    let spawn = |extra: &[&str]| {
        let mut c = desk.command();
        c.arg("mcp")
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c.spawn().expect("start countersign mcp")
    };

    let mut pinned = spawn(&[]);
    let lists = allowed_cpus(pinned.id());
    pinned.kill().unwrap();
    pinned.wait().unwrap();
    assert!(
        lists.len() >= 2,
        "the server started its threads: {lists:?}"
    );
    let one = &lists[0];
    assert!(
        one.parse::<usize>().is_ok(),
        "a single CPU, not a set: {one:?}"
    );
    assert!(
        lists.iter().all(|l| l == one),
        "every thread on it: {lists:?}"
    );

    let mut free = spawn(&["--any-cpu"]);
    let lists = allowed_cpus(free.id());
    free.kill().unwrap();
    free.wait().unwrap();
    assert!(
        lists.iter().all(|l| *l == ours),
        "--any-cpu leaves the CPUs it was given ({ours}): {lists:?}"
    );
}
