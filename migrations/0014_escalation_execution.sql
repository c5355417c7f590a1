-- What became of an approved escalation in the billing system, as the platform reports it
-- (see the platform's billing executor), and who decided it, by agent id.
ALTER TABLE escalations ADD COLUMN decided_by_id TEXT;
ALTER TABLE escalations ADD COLUMN execution TEXT
    CHECK (execution IN ('unconnected', 'queued', 'executed', 'failed'));
ALTER TABLE escalations ADD COLUMN execution_ref TEXT;
ALTER TABLE escalations ADD COLUMN execution_error TEXT;
ALTER TABLE escalations ADD COLUMN execution_at TEXT;

-- A failed execution is a notice to the person who approved it, on their desk: the feed
-- brings it (inserted or updated), and this desk's signed-in agent decided it.
CREATE TRIGGER escalation_execution_failed_insert AFTER INSERT ON escalations
WHEN NEW.execution = 'failed'
 AND NEW.decided_by_id = (SELECT json_extract(value, '$.agent.id') FROM settings WHERE key = 'sync.me')
BEGIN
    INSERT INTO sync_notices (at, code, subject, message)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'unavailable', 'escalation ' || NEW.id,
            'The ' || replace(NEW.proposed_action, '_', ' ') || ' you approved was not carried out in the billing system: '
            || coalesce(NEW.execution_error, 'no reason given') || '. Retry it from Escalations once the cause is fixed.');
END;

CREATE TRIGGER escalation_execution_failed_update AFTER UPDATE OF execution ON escalations
WHEN NEW.execution = 'failed' AND OLD.execution IS NOT 'failed'
 AND NEW.decided_by_id = (SELECT json_extract(value, '$.agent.id') FROM settings WHERE key = 'sync.me')
BEGIN
    INSERT INTO sync_notices (at, code, subject, message)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'unavailable', 'escalation ' || NEW.id,
            'The ' || replace(NEW.proposed_action, '_', ' ') || ' you approved was not carried out in the billing system: '
            || coalesce(NEW.execution_error, 'no reason given') || '. Retry it from Escalations once the cause is fixed.');
END;
