-- Who of the tenant is on which ticket now, as the platform's event stream last said (the
-- whole list each time); entries lapse at `until`. Emptied when the stream ends.
CREATE TABLE presence (
    agent_id   TEXT PRIMARY KEY,
    agent_name TEXT NOT NULL,
    ticket_id  TEXT NOT NULL,
    replying   INTEGER NOT NULL,
    until      TEXT NOT NULL
);
CREATE INDEX presence_ticket ON presence (ticket_id);
