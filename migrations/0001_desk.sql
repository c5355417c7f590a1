-- The desk cache: what a billing-support agent needs, shaped after FlexPrice's public API so a
-- billing feed maps 1:1. Amounts are INTEGER counts of the currency's minor unit (exact, and SQL
-- sums them exactly); timestamps are UTC RFC 3339 text, dates are YYYY-MM-DD text.
-- Every synced record carries `version` (bumped by the platform) and `synced_at`.

CREATE TABLE customers (
    id                  TEXT PRIMARY KEY NOT NULL,
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
    metadata            TEXT NOT NULL DEFAULT '{}',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    synced_at           TEXT
);
CREATE UNIQUE INDEX customers_external_id ON customers (external_id);
CREATE INDEX customers_email ON customers (email COLLATE NOCASE);

CREATE TABLE subscriptions (
    id                   TEXT PRIMARY KEY NOT NULL,
    customer_id          TEXT NOT NULL REFERENCES customers (id),
    plan_name            TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('active', 'trialing', 'past_due', 'paused', 'cancelled')),
    currency             TEXT NOT NULL,
    price                INTEGER NOT NULL,
    billing_period       TEXT NOT NULL CHECK (billing_period IN ('monthly', 'annual')),
    current_period_start TEXT NOT NULL,
    current_period_end   TEXT NOT NULL,
    cancel_at_period_end INTEGER NOT NULL DEFAULT 0,
    started_at           TEXT NOT NULL,
    cancelled_at         TEXT,
    updated_at           TEXT NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    synced_at            TEXT
);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id);

CREATE TABLE invoices (
    id               TEXT PRIMARY KEY NOT NULL,
    invoice_number   TEXT NOT NULL,
    customer_id      TEXT NOT NULL REFERENCES customers (id),
    subscription_id  TEXT REFERENCES subscriptions (id),
    invoice_status   TEXT NOT NULL CHECK (invoice_status IN ('DRAFT', 'FINALIZED', 'VOIDED', 'SKIPPED')),
    payment_status   TEXT NOT NULL CHECK (payment_status IN ('PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED',
                         'REFUNDED', 'PARTIALLY_REFUNDED', 'OVERPAID', 'VOIDED')),
    invoice_type     TEXT NOT NULL CHECK (invoice_type IN ('SUBSCRIPTION', 'ONE_OFF', 'CREDIT')),
    billing_reason   TEXT NOT NULL,
    currency         TEXT NOT NULL,
    amount_due       INTEGER NOT NULL,
    amount_paid      INTEGER NOT NULL,
    amount_remaining INTEGER NOT NULL,
    refunded_amount  INTEGER NOT NULL DEFAULT 0,
    subtotal         INTEGER NOT NULL,
    total_tax        INTEGER NOT NULL,
    total            INTEGER NOT NULL,
    issue_date       TEXT NOT NULL,
    due_date         TEXT NOT NULL,
    paid_at          TEXT,
    voided_at        TEXT,
    period_start     TEXT,
    period_end       TEXT,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    synced_at        TEXT
);
CREATE UNIQUE INDEX invoices_number ON invoices (invoice_number);
CREATE INDEX invoices_customer_issued ON invoices (customer_id, issue_date, id);
CREATE INDEX invoices_issued ON invoices (issue_date, id);
-- The unpaid/overdue summary reads only finalized invoices with money remaining.
CREATE INDEX invoices_customer_unpaid ON invoices (customer_id, currency, due_date, amount_remaining)
    WHERE invoice_status = 'FINALIZED' AND amount_remaining > 0;

CREATE TABLE invoice_line_items (
    id           TEXT PRIMARY KEY NOT NULL,
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    description  TEXT NOT NULL,
    quantity     TEXT NOT NULL,
    unit_amount  TEXT NOT NULL,
    amount       INTEGER NOT NULL,
    period_start TEXT,
    period_end   TEXT
);
CREATE INDEX invoice_line_items_invoice ON invoice_line_items (invoice_id);

CREATE TABLE payments (
    id              TEXT PRIMARY KEY NOT NULL,
    customer_id     TEXT NOT NULL REFERENCES customers (id),
    invoice_id      TEXT REFERENCES invoices (id),
    currency        TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    method          TEXT NOT NULL CHECK (method IN ('card', 'sepa_debit', 'bank_transfer', 'wallet')),
    payment_status  TEXT NOT NULL,
    error_message   TEXT,
    attempts        INTEGER NOT NULL DEFAULT 1,
    refunded_amount INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    succeeded_at    TEXT,
    failed_at       TEXT,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    synced_at       TEXT
);
CREATE INDEX payments_invoice ON payments (invoice_id);
CREATE INDEX payments_customer ON payments (customer_id);

CREATE TABLE wallets (
    id          TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    currency    TEXT NOT NULL,
    balance     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    synced_at   TEXT
);
CREATE INDEX wallets_customer ON wallets (customer_id);

CREATE TABLE tickets (
    id          TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    subject     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'pending', 'solved', 'closed')),
    priority    TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'chat', 'web', 'phone')),
    assignee    TEXT,
    language    TEXT NOT NULL,
    sla_due_at  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    synced_at   TEXT
);
CREATE INDEX tickets_customer ON tickets (customer_id);
CREATE INDEX tickets_status_updated ON tickets (status, updated_at, id);

-- Messages are ordered by rowid: the order in which this desk learnt of them.
CREATE TABLE messages (
    id          TEXT PRIMARY KEY NOT NULL,
    ticket_id   TEXT NOT NULL REFERENCES tickets (id),
    author_kind TEXT NOT NULL CHECK (author_kind IN ('customer', 'agent', 'ai', 'system')),
    author_name TEXT NOT NULL,
    body        TEXT NOT NULL,
    visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    created_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    synced_at   TEXT
);
CREATE INDEX messages_ticket ON messages (ticket_id);

CREATE TABLE kb_articles (
    id         TEXT PRIMARY KEY NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    language   TEXT NOT NULL,
    tags       TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    synced_at  TEXT
);

-- Proposals and decisions (local first, synced through the outbox).
CREATE TABLE drafts (
    id                       TEXT PRIMARY KEY NOT NULL,
    ticket_id                TEXT NOT NULL REFERENCES tickets (id),
    body                     TEXT NOT NULL,
    confidence               REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    status                   TEXT NOT NULL CHECK (status IN ('pending_review', 'stale', 'approved', 'rejected')),
    author_client            TEXT NOT NULL,
    author_model             TEXT,
    token_id                 TEXT,
    ticket_version           INTEGER NOT NULL,
    -- The newest customer message the draft answered (by messages.rowid); NULL if none.
    seen_customer_message    INTEGER,
    created_at               TEXT NOT NULL,
    stale_reason             TEXT,
    decided_by               TEXT,
    decided_at               TEXT,
    decision_note            TEXT,
    final_body               TEXT
);
CREATE INDEX drafts_ticket ON drafts (ticket_id);
CREATE INDEX drafts_status ON drafts (status, created_at);

CREATE TABLE draft_citations (
    draft_id       TEXT NOT NULL REFERENCES drafts (id),
    kind           TEXT NOT NULL CHECK (kind IN ('customer', 'invoice', 'payment', 'message', 'kb_article')),
    record_id      TEXT NOT NULL,
    record_version INTEGER NOT NULL,
    PRIMARY KEY (draft_id, kind, record_id)
) WITHOUT ROWID;
CREATE INDEX draft_citations_record ON draft_citations (kind, record_id);

CREATE TABLE escalations (
    id              TEXT PRIMARY KEY NOT NULL,
    ticket_id       TEXT NOT NULL REFERENCES tickets (id),
    reason          TEXT NOT NULL,
    proposed_action TEXT NOT NULL CHECK (proposed_action IN ('refund', 'credit_note', 'void_invoice', 'waive_fee', 'other')),
    invoice_id      TEXT REFERENCES invoices (id),
    currency        TEXT,
    amount          INTEGER,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
    raised_by       TEXT NOT NULL,
    token_id        TEXT,
    created_at      TEXT NOT NULL,
    decided_by      TEXT,
    decided_at      TEXT,
    decision_note   TEXT,
    CHECK ((amount IS NULL) = (currency IS NULL))
);
CREATE INDEX escalations_ticket ON escalations (ticket_id);
CREATE INDEX escalations_status ON escalations (status, created_at);

-- Mutations waiting for the platform, in order. Written in the same transaction as the effect.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id  TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    based_on     TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    delivered_at TEXT
);

-- Append-only and hash-chained: hash = sha256(prev_hash || canonical row). See core::audit.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('human', 'assistant', 'system')),
    actor       TEXT NOT NULL,
    token_id    TEXT,
    action      TEXT NOT NULL,
    subject     TEXT,
    arguments   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    duration_us INTEGER,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- MCP client tokens: only the SHA-256 of the secret is kept.
CREATE TABLE mcp_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'draft')),
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- Profile settings (role of an offline demo profile, refund cap, MCP port, ...). No secrets.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Full-text search: external-content FTS5 tables kept in sync by triggers.
CREATE VIRTUAL TABLE customers_fts USING fts5 (
    name, email, company, content = 'customers', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, name, email, company) VALUES (new.rowid, new.name, new.email, new.company);
END;
CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, email, company) VALUES ('delete', old.rowid, old.name, old.email, old.company);
END;
CREATE TRIGGER customers_fts_au AFTER UPDATE OF name, email, company ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, email, company) VALUES ('delete', old.rowid, old.name, old.email, old.company);
    INSERT INTO customers_fts (rowid, name, email, company) VALUES (new.rowid, new.name, new.email, new.company);
END;

CREATE VIRTUAL TABLE tickets_fts USING fts5 (
    subject, content = 'tickets', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, subject) VALUES (new.rowid, new.subject);
END;
CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject) VALUES ('delete', old.rowid, old.subject);
END;
CREATE TRIGGER tickets_fts_au AFTER UPDATE OF subject ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject) VALUES ('delete', old.rowid, old.subject);
    INSERT INTO tickets_fts (rowid, subject) VALUES (new.rowid, new.subject);
END;

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body, content = 'messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER messages_fts_au AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, new.body);
END;

CREATE VIRTUAL TABLE kb_fts USING fts5 (
    title, body, content = 'kb_articles', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER kb_fts_ai AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER kb_fts_ad AFTER DELETE ON kb_articles BEGIN
    INSERT INTO kb_fts (kb_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER kb_fts_au AFTER UPDATE OF title, body ON kb_articles BEGIN
    INSERT INTO kb_fts (kb_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO kb_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
