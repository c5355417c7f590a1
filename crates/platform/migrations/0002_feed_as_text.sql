-- Each change is written once and read by every desk of its tenant: keep its record as the JSON
-- text the feed sends (rendered once, when written), not as JSONB that PostgreSQL renders again
-- for every desk that reads it.
ALTER TABLE changes ALTER COLUMN data TYPE json USING data::json;
