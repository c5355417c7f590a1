-- Where each agent is now: the ticket their desk has open, reading or replying. Repeated by the
-- desk while they stay, it lapses at `expires_at`; a change is announced on the tenant's event
-- streams (NOTIFY countersign_presence, payload the tenant's id).
CREATE TABLE presence (
    tenant_id  TEXT NOT NULL,
    agent_id   TEXT NOT NULL,
    ticket_id  TEXT NOT NULL,
    replying   BOOLEAN NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, agent_id),
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id)
);
