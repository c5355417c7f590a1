-- A ticket merged into another of the same customer: closed, its thread and escalations moved
-- to that one, and pointing to it, so a customer writing on its thread reaches the survivor.
ALTER TABLE tickets ADD COLUMN merged_into TEXT;

CREATE OR REPLACE VIEW ticket_rows AS
SELECT tenant_id, id, customer_id, subject, status, priority, channel, assignee, language,
       desk_ts(sla_due_at) AS sla_due_at, desk_ts(created_at) AS created_at,
       desk_ts(updated_at) AS updated_at, version, desk_ts(snoozed_until) AS snoozed_until,
       merged_into
FROM tickets;
