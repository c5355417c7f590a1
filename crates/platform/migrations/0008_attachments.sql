-- Files a customer sent with a message. Desks are fed what each is (name, declared type, size),
-- never its bytes: a person saves one through GET /v1/attachments/{id}, which serves it as a
-- download only.
CREATE TABLE attachments (
    tenant_id    TEXT NOT NULL,
    id           TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    version      BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id)
);
CREATE INDEX attachments_message ON attachments (tenant_id, message_id);

CREATE VIEW attachment_rows AS
SELECT tenant_id, id, message_id, name, content_type, size, version FROM attachments;
