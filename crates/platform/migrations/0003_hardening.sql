-- Holes found by attack, closed in the schema.
--
-- Ingest is for integrations (the billing system, the mail channel), not for people: its tokens
-- are their own kind, scoped to one tenant and to the ingest routes. Only the SHA-256 (hex) of
-- the secret is kept.
CREATE TABLE ingest_tokens (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX ingest_tokens_tenant ON ingest_tokens (tenant_id);

-- A mutation id is an idempotency key for one request: what it was first sent with is kept
-- (the SHA-256 of its kind, payload and based_on, canonical JSON), so the same id with anything
-- else is refused rather than answered with the first one's outcome. Rows from before this
-- column have no hash and match any payload, as they did.
ALTER TABLE applied_mutations ADD COLUMN request_sha256 TEXT;

-- A device's sequence numbers are scoped to the agent that sent them: another agent's token
-- reusing a device id and seq neither reads nor blocks the first one's dedup state.
ALTER TABLE applied_mutations DROP CONSTRAINT applied_mutations_tenant_id_device_id_device_seq_key;
ALTER TABLE applied_mutations ADD CONSTRAINT applied_mutations_device_seq
    UNIQUE (tenant_id, agent_id, device_id, device_seq);
