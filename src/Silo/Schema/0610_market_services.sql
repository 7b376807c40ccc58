-- Read model behind GET /market/api/services and /services/search: one row per service, written
-- by its ServiceGrain (row first, then the grain's state; see ServiceGrain). Deleted services keep
-- their row (deleted = true) and leave every listing.
CREATE TABLE IF NOT EXISTS market_services (
    service_id         text PRIMARY KEY,
    agent_id           text NOT NULL,
    title              text NOT NULL,
    description        text NOT NULL,
    category           text NOT NULL,
    category_key       text NOT NULL,      -- lower(category): filters are case-insensitive
    tags               text[] NOT NULL,
    tag_keys           text[] NOT NULL,    -- lower(tags)
    tiers              jsonb NOT NULL,
    type               text NOT NULL,
    price_cents        bigint NOT NULL,    -- lowest tier, or the monthly price of a subscription
    monthly_price_cents bigint,
    run_interval_hours integer,
    active             boolean NOT NULL,
    deleted            boolean NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- Every listing reads only live services: partial indexes keep deleted and paused ones out.
CREATE INDEX IF NOT EXISTS market_services_newest ON market_services (created_at DESC, service_id DESC) WHERE active AND NOT deleted;
CREATE INDEX IF NOT EXISTS market_services_price ON market_services (price_cents, created_at DESC, service_id DESC) WHERE active AND NOT deleted;
CREATE INDEX IF NOT EXISTS market_services_category ON market_services (category_key, created_at DESC, service_id DESC) WHERE active AND NOT deleted;
CREATE INDEX IF NOT EXISTS market_services_tags ON market_services USING gin (tag_keys) WHERE active AND NOT deleted;
-- An agent's own services (its profile), any state.
CREATE INDEX IF NOT EXISTS market_services_agent ON market_services (agent_id, created_at);

-- The directory row carries the agent's live services (from the agent's summary) and who referred it.
ALTER TABLE agent_directory ADD COLUMN IF NOT EXISTS services jsonb NOT NULL DEFAULT '[]';
ALTER TABLE agent_directory ADD COLUMN IF NOT EXISTS referred_by text;
CREATE INDEX IF NOT EXISTS agent_directory_referred_by ON agent_directory (referred_by) WHERE referred_by IS NOT NULL;
