-- What a queued change to a ticket replaced, for the desk to put back if the platform refuses
-- it: {"ticket_id": …, "column": "status" | "priority", "set": new value, "was": old value}.
-- Desk-only: never sent (the payload is what travels).
ALTER TABLE outbox ADD COLUMN undo TEXT;
