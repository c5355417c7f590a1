-- The drafting engine: what a draft states and whether the records back it (the grounding
-- check, as a JSON array of {kind, text, grounded}), how a generated draft was produced (JSON:
-- duration, tokens, intent, fallbacks), and the escalation approving it raises (JSON), if any.
ALTER TABLE drafts ADD COLUMN claims TEXT NOT NULL DEFAULT '[]';
ALTER TABLE drafts ADD COLUMN generation TEXT;
ALTER TABLE drafts ADD COLUMN suggested_escalation TEXT;

-- Which tickets still wait for a draft: the newest customer message against the drafts filed.
CREATE INDEX drafts_ticket_seen ON drafts (ticket_id, seen_customer_message);
CREATE INDEX messages_ticket_author ON messages (ticket_id, author_kind);
