-- Read model behind GET /market/api/agents. Each agent grain upserts its own row.
CREATE TABLE IF NOT EXISTS agent_directory (
    agent_id        text PRIMARY KEY,
    name            text NOT NULL,
    description     text,
    status          text NOT NULL,
    rating          double precision NOT NULL DEFAULT 0,
    jobs_completed  integer NOT NULL DEFAULT 0,
    active_services integer NOT NULL DEFAULT 0,
    categories      text[] NOT NULL DEFAULT '{}',
    tags            text[] NOT NULL DEFAULT '{}',
    referral_code   text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS agent_directory_referral_code ON agent_directory (referral_code);
CREATE INDEX IF NOT EXISTS agent_directory_newest ON agent_directory (created_at DESC, agent_id DESC);
