-- A tenant's agents travel to every desk of the tenant, like its records: a desk assigns a
-- ticket to a colleague by id and shows whose a ticket is by name.
ALTER TABLE agents ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE VIEW agent_rows AS
SELECT tenant_id, id, name, role, version FROM agents;

-- The agents that exist already enter their tenant's feed once, after its changes so far.
WITH counts AS (
         SELECT tenant_id, count(*) AS n FROM agents GROUP BY tenant_id),
     bumped AS (
         UPDATE tenants t SET change_seq = t.change_seq + c.n FROM counts c
         WHERE t.id = c.tenant_id RETURNING t.id, t.change_seq - c.n AS base),
     numbered AS (
         SELECT a.*, row_number() OVER (PARTITION BY a.tenant_id ORDER BY a.created_at, a.id) AS ord
         FROM agents a)
INSERT INTO changes (tenant_id, seq, entity, entity_id, version, data)
SELECT a.tenant_id, b.base + a.ord, 'agent', a.id, a.version,
       json_build_object('id', a.id, 'name', a.name, 'role', a.role, 'version', a.version)
FROM numbered a JOIN bumped b ON b.id = a.tenant_id;
