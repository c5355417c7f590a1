-- The central platform's schema. Multi-tenant from the first line: every record's key starts with
-- its tenant, and every query names the tenant of the caller's token.
--
-- Record tables are shaped after the desk schema (`migrations/0001_desk.sql` at the repository
-- root): same column names, amounts as integer minor units with a currency column. The `*_rows`
-- views at the end render each record exactly as a desk row (timestamps as RFC 3339 text with
-- milliseconds, booleans as 0/1, JSON text columns as text); the change feed stores
-- `to_jsonb(view row)`, so a change's `data` maps 1:1 onto the desk's tables.

CREATE TABLE tenants (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    -- The last change sequence number handed out. Writers bump it inside their transaction, which
    -- row-locks the tenant until commit: a tenant's changes commit in `seq` order.
    change_seq BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE agents (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('agent', 'supervisor')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, email)
);

-- API tokens: only the SHA-256 (hex) of the secret is kept.
CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    agent_id    TEXT NOT NULL REFERENCES agents (id),
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX api_tokens_agent ON api_tokens (tenant_id, agent_id);

CREATE TABLE customers (
    tenant_id           TEXT NOT NULL REFERENCES tenants (id),
    id                  TEXT NOT NULL,
    external_id         TEXT NOT NULL,
    name                TEXT NOT NULL,
    email               TEXT NOT NULL,
    phone               TEXT,
    company             TEXT,
    address_line1       TEXT,
    address_line2       TEXT,
    address_city        TEXT,
    address_state       TEXT,
    address_postal_code TEXT,
    address_country     TEXT,
    timezone            TEXT,
    status              TEXT NOT NULL CHECK (status IN ('active', 'archived')),
    metadata            JSONB NOT NULL DEFAULT '{}',
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    version             BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX customers_email ON customers (tenant_id, lower(email));

CREATE TABLE subscriptions (
    tenant_id            TEXT NOT NULL,
    id                   TEXT NOT NULL,
    customer_id          TEXT NOT NULL,
    plan_name            TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('active', 'trialing', 'past_due', 'paused', 'cancelled')),
    currency             TEXT NOT NULL,
    price                BIGINT NOT NULL,
    billing_period       TEXT NOT NULL CHECK (billing_period IN ('monthly', 'annual')),
    current_period_start DATE NOT NULL,
    current_period_end   DATE NOT NULL,
    cancel_at_period_end BOOLEAN NOT NULL DEFAULT false,
    started_at           TIMESTAMPTZ NOT NULL,
    cancelled_at         TIMESTAMPTZ,
    updated_at           TIMESTAMPTZ NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);

-- Line items live with their invoice (desk columns of `invoice_line_items`, amount in minor
-- units): an invoice and its items change together and carry one version.
CREATE TABLE invoices (
    tenant_id        TEXT NOT NULL,
    id               TEXT NOT NULL,
    invoice_number   TEXT NOT NULL,
    customer_id      TEXT NOT NULL,
    subscription_id  TEXT,
    invoice_status   TEXT NOT NULL CHECK (invoice_status IN ('DRAFT', 'FINALIZED', 'VOIDED', 'SKIPPED')),
    payment_status   TEXT NOT NULL CHECK (payment_status IN ('PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED',
                         'REFUNDED', 'PARTIALLY_REFUNDED', 'OVERPAID', 'VOIDED')),
    invoice_type     TEXT NOT NULL CHECK (invoice_type IN ('SUBSCRIPTION', 'ONE_OFF', 'CREDIT')),
    billing_reason   TEXT NOT NULL,
    currency         TEXT NOT NULL,
    amount_due       BIGINT NOT NULL,
    amount_paid      BIGINT NOT NULL,
    amount_remaining BIGINT NOT NULL,
    refunded_amount  BIGINT NOT NULL DEFAULT 0,
    subtotal         BIGINT NOT NULL,
    total_tax        BIGINT NOT NULL,
    total            BIGINT NOT NULL,
    issue_date       DATE NOT NULL,
    due_date         DATE NOT NULL,
    paid_at          TIMESTAMPTZ,
    voided_at        TIMESTAMPTZ,
    period_start     DATE,
    period_end       DATE,
    line_items       JSONB NOT NULL DEFAULT '[]',
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, invoice_number),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX invoices_customer ON invoices (tenant_id, customer_id);

CREATE TABLE payments (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    invoice_id      TEXT,
    currency        TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    method          TEXT NOT NULL CHECK (method IN ('card', 'sepa_debit', 'bank_transfer', 'wallet')),
    payment_status  TEXT NOT NULL,
    error_message   TEXT,
    attempts        INTEGER NOT NULL DEFAULT 1,
    refunded_amount BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    succeeded_at    TIMESTAMPTZ,
    failed_at       TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);

CREATE TABLE wallets (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    currency    TEXT NOT NULL,
    balance     BIGINT NOT NULL,
    status      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);

CREATE TABLE tickets (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    subject     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'pending', 'solved', 'closed')),
    priority    TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'chat', 'web', 'phone')),
    assignee    TEXT,
    language    TEXT NOT NULL,
    sla_due_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    -- Platform only: the channel's thread key (e.g. an email thread), to continue a ticket.
    thread_key  TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE UNIQUE INDEX tickets_thread_key ON tickets (tenant_id, thread_key) WHERE thread_key IS NOT NULL;

CREATE TABLE messages (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    ticket_id      TEXT NOT NULL,
    author_kind    TEXT NOT NULL CHECK (author_kind IN ('customer', 'agent', 'ai', 'system')),
    author_name    TEXT NOT NULL,
    body           TEXT NOT NULL,
    visibility     TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    created_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1,
    -- Platform only: the ticket's version once this message was added (stale-reply check), and
    -- for replies, the draft and the agent who approved it.
    ticket_version BIGINT NOT NULL,
    draft_id       TEXT,
    agent_id       TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id)
);
CREATE INDEX messages_ticket ON messages (tenant_id, ticket_id, author_kind, ticket_version);

CREATE TABLE kb_articles (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    language   TEXT NOT NULL,
    tags       JSONB NOT NULL DEFAULT '[]',
    updated_at TIMESTAMPTZ NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE escalations (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    ticket_id       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    proposed_action TEXT NOT NULL CHECK (proposed_action IN ('refund', 'credit_note', 'void_invoice', 'waive_fee', 'other')),
    invoice_id      TEXT,
    currency        TEXT,
    amount          BIGINT,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
    raised_by       TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    decided_by      TEXT,
    decided_at      TIMESTAMPTZ,
    decision_note   TEXT,
    version         BIGINT NOT NULL DEFAULT 1,
    -- Platform only: who raised and who decided, as agents of the tenant.
    raised_by_agent  TEXT,
    decided_by_agent TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id),
    CHECK ((amount IS NULL) = (currency IS NULL))
);

-- The per-tenant change feed: one row per record change, `data` is the record afterwards.
CREATE TABLE changes (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    seq       BIGINT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    version   BIGINT NOT NULL,
    data      JSONB NOT NULL,
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, seq)
);

-- Every mutation a device delivered, with its outcome, written in the transaction of its effect:
-- the dedup keys `(device_id, device_seq)` and `mutation_id`, both per tenant.
CREATE TABLE applied_mutations (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    mutation_id TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    device_seq  BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    agent_id    TEXT NOT NULL,
    outcome     JSONB,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, mutation_id),
    UNIQUE (tenant_id, device_id, device_seq)
);

-- A timestamp as the desk stores it: UTC, RFC 3339, milliseconds, `Z`.
CREATE FUNCTION desk_ts(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

CREATE VIEW customer_rows AS
SELECT tenant_id, id, external_id, name, email, phone, company, address_line1, address_line2,
       address_city, address_state, address_postal_code, address_country, timezone, status,
       metadata::text AS metadata, desk_ts(created_at) AS created_at, desk_ts(updated_at) AS updated_at,
       version
FROM customers;

CREATE VIEW subscription_rows AS
SELECT tenant_id, id, customer_id, plan_name, status, currency, price, billing_period,
       current_period_start, current_period_end, cancel_at_period_end::int AS cancel_at_period_end,
       desk_ts(started_at) AS started_at, desk_ts(cancelled_at) AS cancelled_at,
       desk_ts(updated_at) AS updated_at, version
FROM subscriptions;

CREATE VIEW invoice_rows AS
SELECT tenant_id, id, invoice_number, customer_id, subscription_id, invoice_status, payment_status,
       invoice_type, billing_reason, currency, amount_due, amount_paid, amount_remaining,
       refunded_amount, subtotal, total_tax, total, issue_date, due_date, desk_ts(paid_at) AS paid_at,
       desk_ts(voided_at) AS voided_at, period_start, period_end, line_items,
       desk_ts(updated_at) AS updated_at, version
FROM invoices;

CREATE VIEW payment_rows AS
SELECT tenant_id, id, customer_id, invoice_id, currency, amount, method, payment_status, error_message,
       attempts, refunded_amount, desk_ts(created_at) AS created_at, desk_ts(succeeded_at) AS succeeded_at,
       desk_ts(failed_at) AS failed_at, desk_ts(updated_at) AS updated_at, version
FROM payments;

CREATE VIEW wallet_rows AS
SELECT tenant_id, id, customer_id, currency, balance, status, desk_ts(updated_at) AS updated_at, version
FROM wallets;

CREATE VIEW ticket_rows AS
SELECT tenant_id, id, customer_id, subject, status, priority, channel, assignee, language,
       desk_ts(sla_due_at) AS sla_due_at, desk_ts(created_at) AS created_at,
       desk_ts(updated_at) AS updated_at, version
FROM tickets;

CREATE VIEW message_rows AS
SELECT tenant_id, id, ticket_id, author_kind, author_name, body, visibility,
       desk_ts(created_at) AS created_at, version
FROM messages;

CREATE VIEW kb_article_rows AS
SELECT tenant_id, id, title, body, language, tags::text AS tags, desk_ts(updated_at) AS updated_at, version
FROM kb_articles;

CREATE VIEW escalation_rows AS
SELECT tenant_id, id, ticket_id, reason, proposed_action, invoice_id, currency, amount, status,
       raised_by, desk_ts(created_at) AS created_at, decided_by, desk_ts(decided_at) AS decided_at,
       decision_note, version
FROM escalations;
