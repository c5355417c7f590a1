use super::*;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn policy(json: serde_json::Value) -> Policy {
    serde_json::from_value::<PolicyInput>(json)
        .unwrap()
        .checked()
        .unwrap()
}

fn madrid_office() -> Policy {
    policy(serde_json::json!({
        "business_hours": {"time_zone": "Europe/Madrid", "days": ["mon", "tue", "wed", "thu", "fri"],
                           "opens": "09:00", "closes": "17:00"},
        "targets": {"urgent": {"first_response_minutes": 120, "resolution_minutes": 960},
                    "normal": {"resolution_minutes": 480}}
    }))
}

fn clock(status: TicketStatus, priority: TicketPriority, created: &str) -> Clock {
    Clock {
        status,
        priority,
        created_at: at(created),
        first_response_at: None,
        paused_at: None,
        paused_secs: 0,
    }
}

#[test]
fn business_time_runs_in_office_hours_of_the_tenants_zone_only() {
    let p = madrid_office();
    // Friday 16:00 in Madrid (winter, UTC+1) + 2 h: one hour on Friday, one on Monday.
    assert_eq!(
        p.add(at("2026-01-09T15:00:00Z"), 2 * 3600),
        at("2026-01-12T09:00:00Z")
    );
    // Saturday counts from Monday's opening.
    assert_eq!(
        p.add(at("2026-01-10T12:00:00Z"), 3600),
        at("2026-01-12T09:00:00Z")
    );
    // Before opening on a weekday: from the opening.
    assert_eq!(
        p.add(at("2026-01-13T05:00:00Z"), 30 * 60),
        at("2026-01-13T08:30:00Z")
    );
    // Friday 16:00 to Monday 10:00 is two business hours.
    assert_eq!(
        p.between(at("2026-01-09T15:00:00Z"), at("2026-01-12T09:00:00Z")),
        2 * 3600
    );
    assert_eq!(
        p.between(at("2026-01-10T00:00:00Z"), at("2026-01-11T23:00:00Z")),
        0
    );
}

#[test]
fn office_hours_follow_the_zones_clock_change() {
    let p = madrid_office();
    // Madrid moves to UTC+2 on Sunday 29 March 2026: Friday opens at 08:00 UTC, Monday at 07:00.
    assert_eq!(
        p.add(at("2026-03-27T15:00:00Z"), 2 * 3600),
        at("2026-03-30T08:00:00Z")
    );
}

#[test]
fn without_business_hours_the_clock_runs_around_the_clock() {
    let p = policy(serde_json::json!({"targets": {"high": {"first_response_minutes": 90}}}));
    let c = clock(
        TicketStatus::Open,
        TicketPriority::High,
        "2026-01-10T23:00:00Z",
    );
    assert_eq!(c.due(&p), Some(at("2026-01-11T00:30:00Z")));
}

#[test]
fn the_first_response_target_gives_way_to_resolution_once_an_agent_answered() {
    let p = madrid_office();
    let mut c = clock(
        TicketStatus::Open,
        TicketPriority::Urgent,
        "2026-01-12T08:00:00Z",
    );
    assert_eq!(c.due(&p), Some(at("2026-01-12T10:00:00Z")));
    c.first_response_at = Some(at("2026-01-12T09:00:00Z"));
    // 16 business hours: two office days.
    assert_eq!(c.due(&p), Some(at("2026-01-13T16:00:00Z")));
    // A priority without a first-response target runs to resolution from the start.
    let n = clock(
        TicketStatus::Open,
        TicketPriority::Normal,
        "2026-01-12T08:00:00Z",
    );
    assert_eq!(n.due(&p), Some(at("2026-01-12T16:00:00Z")));
    // And one the policy leaves out has no SLA.
    let low = clock(
        TicketStatus::Open,
        TicketPriority::Low,
        "2026-01-12T08:00:00Z",
    );
    assert_eq!(low.due(&p), None);
}

#[test]
fn the_clock_stands_still_while_the_ticket_waits_on_the_customer() {
    let p = madrid_office();
    // Eight business hours from Monday 09:00 Madrid: due Monday 17:00.
    let mut c = clock(
        TicketStatus::Open,
        TicketPriority::Normal,
        "2026-01-12T08:00:00Z",
    );
    assert_eq!(c.due(&p), Some(at("2026-01-12T16:00:00Z")));
    // Two hours in, the agent asks the customer and waits: no due time while pending.
    c.status = TicketStatus::Pending;
    c = c.at(&p, at("2026-01-12T10:00:00Z"));
    assert_eq!(c.paused_at, Some(at("2026-01-12T10:00:00Z")));
    assert_eq!(c.due(&p), None);
    // Settling again while still pending changes nothing.
    assert_eq!(c.clone().at(&p, at("2026-01-12T15:00:00Z")), c);
    // The customer answers Tuesday 10:00 Madrid: the six hours left run from then.
    c.status = TicketStatus::Open;
    c = c.at(&p, at("2026-01-13T09:00:00Z"));
    assert_eq!((c.paused_at, c.paused_secs), (None, 7 * 3600));
    assert_eq!(c.due(&p), Some(at("2026-01-13T15:00:00Z")));
    // Solved stands still too; closed has no SLA at all.
    c.status = TicketStatus::Solved;
    assert_eq!(c.clone().at(&p, at("2026-01-13T10:00:00Z")).due(&p), None);
    c.status = TicketStatus::Closed;
    assert_eq!(c.due(&p), None);
}

#[test]
fn a_policy_is_refused_with_the_field_that_is_wrong() {
    let refused = |json: serde_json::Value| match serde_json::from_value::<PolicyInput>(json) {
        Ok(input) => input.checked().unwrap_err().to_string(),
        Err(e) => e.to_string(),
    };
    let hours = |zone: &str, days: &[&str], opens: &str, closes: &str| serde_json::json!({"business_hours": {"time_zone": zone, "days": days, "opens": opens, "closes": closes}, "targets": {}});
    assert!(refused(hours("Mars/Olympus", &["mon"], "09:00", "17:00")).contains("time_zone"));
    assert!(
        refused(hours("Europe/Madrid", &["monday"], "09:00", "17:00"))
            .contains("\"monday\" is no day")
    );
    assert!(refused(hours("Europe/Madrid", &[], "09:00", "17:00")).contains("at least one day"));
    assert!(refused(hours("Europe/Madrid", &["mon"], "9", "17:00")).contains("opens"));
    assert!(refused(hours("Europe/Madrid", &["mon"], "18:00", "17:00")).contains("before closes"));
    assert!(
        refused(serde_json::json!({"targets": {"asap": {}}})).contains("\"asap\" is no priority")
    );
    assert!(
        refused(serde_json::json!({"targets": {"low": {"resolution_minutes": 0}}}))
            .contains("at least 1 minute")
    );
    assert!(refused(serde_json::json!({"targets": {}, "holidays": []})).contains("unknown field"));
}
