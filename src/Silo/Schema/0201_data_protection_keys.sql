-- ASP.NET Core Data Protection key ring, shared by every silo (secrets at rest: provider admin
-- keys, and any other surface's secrets). Rows are XML key elements; never updated.
CREATE TABLE IF NOT EXISTS data_protection_keys (
    id            bigserial PRIMARY KEY,
    friendly_name text,
    xml           text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
