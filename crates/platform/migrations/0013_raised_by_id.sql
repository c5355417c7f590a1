-- Desks tell "raised by me" by agent id, as the platform does: the feed carries it.
CREATE OR REPLACE VIEW escalation_rows AS
SELECT tenant_id, id, ticket_id, reason, proposed_action, invoice_id, currency, amount, status,
       raised_by, desk_ts(created_at) AS created_at, decided_by, desk_ts(decided_at) AS decided_at,
       decision_note, version, decided_by_agent AS decided_by_id, execution, execution_ref,
       execution_error, desk_ts(execution_at) AS execution_at, first_approved_by,
       first_approved_by_agent AS first_approved_by_id,
       desk_ts(first_approved_at) AS first_approved_at, raised_by_agent AS raised_by_id
FROM escalations;
