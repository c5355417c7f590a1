-- A tenant's escalation policy (countersign_model::escalation_rules::Policy): who approves
-- what, in what amounts, and above what two supervisors approve. Desks receive it on the feed
-- as the `policy` record `escalations` and apply the same rule offline.
CREATE TABLE escalation_policies (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants (id),
    policy     JSONB NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE VIEW policy_rows AS
SELECT tenant_id, 'escalations'::text AS id, policy::text AS body, version
FROM escalation_policies;

-- Above the two-person threshold the first approval is kept here until a second supervisor
-- gives theirs; the escalation stays pending meanwhile.
ALTER TABLE escalations
    ADD COLUMN first_approved_by       TEXT,
    ADD COLUMN first_approved_by_agent TEXT,
    ADD COLUMN first_approved_at       TIMESTAMPTZ;

CREATE OR REPLACE VIEW escalation_rows AS
SELECT tenant_id, id, ticket_id, reason, proposed_action, invoice_id, currency, amount, status,
       raised_by, desk_ts(created_at) AS created_at, decided_by, desk_ts(decided_at) AS decided_at,
       decision_note, version, decided_by_agent AS decided_by_id, execution, execution_ref,
       execution_error, desk_ts(execution_at) AS execution_at, first_approved_by,
       first_approved_by_agent AS first_approved_by_id,
       desk_ts(first_approved_at) AS first_approved_at
FROM escalations;

-- A tenant's catch-up from FlexPrice's list endpoints (crate::billing::backfill): which list,
-- how far; moved in the transaction that ingests each page.
CREATE TABLE billing_backfills (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants (id),
    state      TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
    list       TEXT NOT NULL DEFAULT 'customers',
    "offset"   BIGINT NOT NULL DEFAULT 0,
    records    BIGINT NOT NULL DEFAULT 0,
    failures   INTEGER NOT NULL DEFAULT 0,
    error      TEXT,
    lease      TIMESTAMPTZ,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
