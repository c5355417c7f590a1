-- A tenant's SLA policy (crate::sla): targets per priority in its business hours, kept as the
-- operator wrote it, checked by the platform before it is stored.
CREATE TABLE sla_policies (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants (id),
    policy     JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A ticket's SLA clock stands still while it waits on the customer: since when, and the
-- business seconds it stood still before.
ALTER TABLE tickets
    ADD COLUMN sla_paused_at   TIMESTAMPTZ,
    ADD COLUMN sla_paused_secs BIGINT NOT NULL DEFAULT 0;
