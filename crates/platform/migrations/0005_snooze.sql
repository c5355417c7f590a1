-- A ticket set aside until a time: out of the desks' inboxes until then, or until the customer
-- writes again (which clears it).
ALTER TABLE tickets ADD COLUMN snoozed_until TIMESTAMPTZ;

CREATE OR REPLACE VIEW ticket_rows AS
SELECT tenant_id, id, customer_id, subject, status, priority, channel, assignee, language,
       desk_ts(sla_due_at) AS sla_due_at, desk_ts(created_at) AS created_at,
       desk_ts(updated_at) AS updated_at, version, desk_ts(snoozed_until) AS snoozed_until
FROM tickets;
