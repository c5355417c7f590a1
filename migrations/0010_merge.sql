-- A ticket merged into another of the same customer (fed by the platform, set on the desk at
-- once when the person merges): closed, its thread moved there, and pointing to it.
ALTER TABLE tickets ADD COLUMN merged_into TEXT;
