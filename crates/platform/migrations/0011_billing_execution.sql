-- Approved money actions reach the billing system (crate::billing).
--
-- A tenant's billing connector: where its FlexPrice is and the API key, sealed with the
-- platform's secrets key (AES-256-GCM, the tenant id as associated data). The key is never
-- returned by any route and never logged.
CREATE TABLE billing_connectors (
    tenant_id      TEXT PRIMARY KEY REFERENCES tenants (id),
    kind           TEXT NOT NULL CHECK (kind IN ('flexprice')),
    base_url       TEXT NOT NULL,
    api_key_sealed BYTEA NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- An approved escalation's execution, recorded in the decision's transaction:
--   unconnected  the tenant has no billing connector: nothing was sent anywhere;
--   queued       waiting for (or in) an attempt; `execution_lease` keeps other instances off
--                it until then, and an attempt after the first asks the billing system what
--                happened before it sends anything;
--   executed     done; `execution_ref` is the billing system's id of what it did;
--   failed       refused or never answered; `execution_error` says why. A supervisor may
--                queue it again, and that attempt too asks first.
ALTER TABLE escalations
    ADD COLUMN execution          TEXT CHECK (execution IN ('unconnected', 'queued', 'executed', 'failed')),
    ADD COLUMN execution_attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN execution_ref      TEXT,
    ADD COLUMN execution_error    TEXT,
    ADD COLUMN execution_at       TIMESTAMPTZ,
    ADD COLUMN execution_lease    TIMESTAMPTZ;
CREATE INDEX escalations_to_execute ON escalations (execution_lease) WHERE execution = 'queued';

CREATE OR REPLACE VIEW escalation_rows AS
SELECT tenant_id, id, ticket_id, reason, proposed_action, invoice_id, currency, amount, status,
       raised_by, desk_ts(created_at) AS created_at, decided_by, desk_ts(decided_at) AS decided_at,
       decision_note, version, decided_by_agent AS decided_by_id, execution, execution_ref,
       execution_error, desk_ts(execution_at) AS execution_at
FROM escalations;
