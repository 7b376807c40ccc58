-- The memory surface: each machine's memory pool, searched with PostgreSQL full-text search.
-- Rows are scoped by machine_id on every query; nothing reads across machines.
CREATE TABLE IF NOT EXISTS memories (
    memory_id   text PRIMARY KEY,
    machine_id  text NOT NULL,
    project_id  text NOT NULL,
    agent_id    text NOT NULL,
    content     text NOT NULL,
    metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
    size_bytes  integer NOT NULL,
    created_at  timestamptz NOT NULL,
    search      tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED
);

CREATE INDEX IF NOT EXISTS memories_pool_newest ON memories (machine_id, created_at DESC, memory_id DESC);
CREATE INDEX IF NOT EXISTS memories_pool_project ON memories (machine_id, project_id, created_at DESC);
CREATE INDEX IF NOT EXISTS memories_search ON memories USING gin (search);

-- API calls per machine account in hourly buckets: api_calls_24h sums the last 24.
CREATE TABLE IF NOT EXISTS machine_api_calls (
    machine_id  text NOT NULL,
    hour        timestamptz NOT NULL,
    calls       bigint NOT NULL,
    PRIMARY KEY (machine_id, hour)
);
