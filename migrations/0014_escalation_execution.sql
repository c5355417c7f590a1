-- What became of an approved escalation in the billing system, as the platform reports it
-- (see the platform's billing executor), and who decided it, by agent id.
ALTER TABLE escalations ADD COLUMN decided_by_id TEXT;
ALTER TABLE escalations ADD COLUMN execution TEXT
    CHECK (execution IN ('unconnected', 'queued', 'executed', 'failed'));
ALTER TABLE escalations ADD COLUMN execution_ref TEXT;
ALTER TABLE escalations ADD COLUMN execution_error TEXT;
ALTER TABLE escalations ADD COLUMN execution_at TEXT;
