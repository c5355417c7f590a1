-- The inbox lists tickets newest-updated first, paged by (updated_at, id) keyset cursor. Without
-- an index in that order, every page of "All" sorted the whole table (10k tickets: ~30 ms per
-- page, growing with the desk); "Mine" and "Unassigned" scanned it. With these, a page reads
-- its 50 rows from the index (~1-3 ms at 10k tickets).
CREATE INDEX tickets_updated ON tickets (updated_at, id);
CREATE INDEX tickets_assignee_updated ON tickets (assignee, updated_at, id);
