-- A tenant's email channel: the SMTP server replies leave through, the support address they
-- come from, and the address customers write to. The password is sealed like a billing key
-- (crate::billing::secrets, bound to the tenant and the server); NULL without one.
CREATE TABLE email_channels (
    tenant_id            TEXT PRIMARY KEY REFERENCES tenants (id),
    smtp_host            TEXT NOT NULL,
    smtp_port            INTEGER NOT NULL CHECK (smtp_port BETWEEN 1 AND 65535),
    smtp_security        TEXT NOT NULL CHECK (smtp_security IN ('tls', 'starttls', 'none')),
    smtp_username        TEXT,
    smtp_password_sealed BYTEA,
    from_address         TEXT NOT NULL,
    from_name            TEXT,
    inbound_address      TEXT,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A public reply's delivery to the customer, as every desk shows it on the message:
-- 'unconnected' (the tenant had no email channel), 'queued', 'sent' (with the server's answer)
-- or 'failed' (with the reason). NULL on messages that are not replies, and on replies from
-- before. `rfc_message_id` is the Message-ID the message travels under (ours for replies, the
-- customer's for mail that came in); the thread's References are built from it.
ALTER TABLE messages
    ADD COLUMN delivery        TEXT CHECK (delivery IN ('unconnected', 'queued', 'sent', 'failed')),
    ADD COLUMN delivery_detail TEXT,
    ADD COLUMN delivered_at    TIMESTAMPTZ,
    ADD COLUMN rfc_message_id  TEXT;

-- The send queue: one row per reply to deliver, worked by every platform instance (claimed
-- with FOR UPDATE SKIP LOCKED under a lease). `committing`: the message's last byte was handed
-- to the server; from there it is never sent again (crate::mail::sender).
CREATE TABLE email_outbox (
    tenant_id  TEXT NOT NULL,
    message_id TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'committing', 'done')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    due_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease      TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, message_id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id)
);
CREATE INDEX email_outbox_due ON email_outbox (due_at) WHERE state <> 'done';

CREATE OR REPLACE VIEW message_rows AS
SELECT tenant_id, id, ticket_id, author_kind, author_name, body, visibility,
       desk_ts(created_at) AS created_at, version, delivery, delivery_detail,
       desk_ts(delivered_at) AS delivered_at, agent_id AS author_id
FROM messages;
