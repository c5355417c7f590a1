-- FlexPrice's webhooks: the Svix endpoint secret it signs them with (whsec_…), sealed like the
-- API key; NULL: webhooks from FlexPrice are not taken.
ALTER TABLE billing_connectors ADD COLUMN webhook_secret_sealed BYTEA;

-- Webhook deliveries taken, by their svix-id: a delivery sent again (Svix retries with the same
-- id, or someone replays a captured one) is answered as a duplicate and changes nothing. Kept
-- with the effect, in its transaction.
CREATE TABLE webhook_deliveries (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    delivery_id TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, delivery_id)
);

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
    -- Records that could not be taken (a payment of an invoice FlexPrice did not list), and
    -- the last of them with why.
    skipped    BIGINT NOT NULL DEFAULT 0,
    last_skipped TEXT,
    failures   INTEGER NOT NULL DEFAULT 0,
    error      TEXT,
    lease      TIMESTAMPTZ,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A person's retry of an execution counts its attempts from here; the attempt counter itself
-- only rises, so a late result of an attempt from before the retry never passes for a new one.
ALTER TABLE escalations ADD COLUMN execution_retry_base INTEGER NOT NULL DEFAULT 0;
