-- The inbox ordered by what breaks next: the open tickets with an SLA running, soonest first.
CREATE INDEX tickets_sla_next ON tickets (sla_due_at, id) WHERE status = 'open' AND sla_due_at IS NOT NULL;
