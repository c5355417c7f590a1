-- The tenant's rule sets as the feed brings them (`escalations`: who approves what; see the
-- model's escalation_rules::Policy), and the first of two approvals above its two-person
-- threshold.
CREATE TABLE policies (
    id        TEXT PRIMARY KEY NOT NULL,
    body      TEXT NOT NULL,
    version   INTEGER NOT NULL DEFAULT 1,
    synced_at TEXT
);
ALTER TABLE escalations ADD COLUMN first_approved_by TEXT;
ALTER TABLE escalations ADD COLUMN first_approved_by_id TEXT;
ALTER TABLE escalations ADD COLUMN first_approved_at TEXT;
