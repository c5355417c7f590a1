-- A ticket set aside until a time (the platform's, fed like every column; set on the desk at
-- once when the person snoozes): out of the inbox until then or until the customer writes.
ALTER TABLE tickets ADD COLUMN snoozed_until TEXT;
