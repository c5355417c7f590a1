-- A tenant's webhook endpoints: where the platform tells the tenant's other systems about its
-- tickets, and which events each takes. The signing secret (whsec_…, Standard Webhooks) is
-- shown once when the endpoint is made and kept sealed like a billing key.
CREATE TABLE webhook_endpoints (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    id            TEXT NOT NULL,
    url           TEXT NOT NULL,
    secret_sealed BYTEA NOT NULL,
    events        TEXT[] NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- Each event for each endpoint: queued in the transaction of what it reports, sent by any
-- platform instance (FOR UPDATE SKIP LOCKED, under a lease), retried with backoff for a day
-- from `window_from` (a replay opens a new day); the endpoint's delivery log.
CREATE TABLE webhook_sends (
    tenant_id    TEXT NOT NULL,
    id           TEXT NOT NULL,
    endpoint_id  TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    payload      JSONB NOT NULL,
    state        TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    due_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease        TIMESTAMPTZ,
    last_status  INTEGER,
    last_error   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    window_from  TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_sends_due ON webhook_sends (due_at) WHERE state = 'queued';
CREATE INDEX webhook_sends_log ON webhook_sends (tenant_id, endpoint_id, created_at DESC);
