-- A tenant's saved replies ("macros"), written by an operator and fed to every desk of the
-- tenant like its records. Withdrawn ones stay, `active` false, so desks drop them too.
CREATE TABLE saved_replies (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    title      TEXT NOT NULL,
    language   TEXT NOT NULL,
    body       TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    version    BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);

CREATE VIEW saved_reply_rows AS
SELECT tenant_id, id, title, language, body, active, desk_ts(updated_at) AS updated_at, version
FROM saved_replies;
