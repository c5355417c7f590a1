-- Who raised an escalation, as an agent id (the platform's `raised_by_agent`): "raised by me",
-- which the escalation policy may forbid approving, is told by id on the desk as on the
-- platform, never by a display name two colleagues may share. An assistant raises for the
-- desk's person, as the platform records it. NULL on rows from before: those fall back to
-- the name until the feed brings them again.
ALTER TABLE escalations ADD COLUMN raised_by_id TEXT;
