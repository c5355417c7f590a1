-- A reply's delivery to the customer, as the platform reports it (its email sender):
-- 'unconnected' (the tenant has no email channel), 'queued', 'sent' (with the server's answer)
-- or 'failed' (with the reason); and who wrote the message, as an agent id.
ALTER TABLE messages ADD COLUMN delivery TEXT
    CHECK (delivery IN ('unconnected', 'queued', 'sent', 'failed'));
ALTER TABLE messages ADD COLUMN delivery_detail TEXT;
ALTER TABLE messages ADD COLUMN delivered_at TEXT;
ALTER TABLE messages ADD COLUMN author_id TEXT;

-- A failed delivery is a notice on the desk of the agent who wrote the reply (the platform
-- has put the ticket back to open, which the feed brings too).
CREATE TRIGGER message_delivery_failed_insert AFTER INSERT ON messages
WHEN NEW.delivery = 'failed'
 AND NEW.author_id = (SELECT json_extract(value, '$.agent.id') FROM settings WHERE key = 'sync.me')
BEGIN
    INSERT INTO sync_notices (at, code, subject, message)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'unavailable', 'ticket ' || NEW.ticket_id,
            'Your reply did not reach the customer: ' || coalesce(NEW.delivery_detail, 'no reason given')
            || '. The ticket is open again; check the address or answer another way.');
END;

CREATE TRIGGER message_delivery_failed_update AFTER UPDATE OF delivery ON messages
WHEN NEW.delivery = 'failed' AND OLD.delivery IS NOT 'failed'
 AND NEW.author_id = (SELECT json_extract(value, '$.agent.id') FROM settings WHERE key = 'sync.me')
BEGIN
    INSERT INTO sync_notices (at, code, subject, message)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'unavailable', 'ticket ' || NEW.ticket_id,
            'Your reply did not reach the customer: ' || coalesce(NEW.delivery_detail, 'no reason given')
            || '. The ticket is open again; check the address or answer another way.');
END;
