-- Subscriptions (seed: Subscriptions). One row per subscription, written only by its
-- SubscriptionGrain (sub_…): the schedule lives here (next_run_at, next_billing_at), the grain
-- reads it on activation and decides from it and the clock; reminders and the sweep only wake it.
CREATE TABLE IF NOT EXISTS market_subscriptions (
    subscription_id      text PRIMARY KEY,
    subscriber_id        text NOT NULL,
    provider_id          text NOT NULL,
    provider_name        text NOT NULL,
    provider_avatar_url  text,
    referrer_id          text,               -- the provider's referrer, paid its share of each month
    service_id           text NOT NULL,
    service_title        text NOT NULL,
    service_description  text NOT NULL,
    price_cents          bigint NOT NULL,    -- per month, as listed when subscribed
    run_interval_hours   integer NOT NULL,
    status               text NOT NULL,
    next_run_at          timestamptz,        -- null unless ACTIVE
    next_billing_at      timestamptz,        -- end of the month paid for; null once CANCELLED
    billed_periods       integer NOT NULL,   -- charges made: the next charge's transfer is sub-charge:<id>:<billed_periods>
    paused_at            timestamptz,
    pause_reason         text,
    cancelled_at         timestamptz,
    open_run_id          text,               -- the RUNNING run awaiting its report, if any
    total_runs           integer NOT NULL DEFAULT 0,
    successful_runs      integer NOT NULL DEFAULT 0,
    failed_runs          integer NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    -- When the grain next has something to do: what the sweep looks for.
    next_due_at          timestamptz GENERATED ALWAYS AS (
        CASE WHEN status = 'ACTIVE' THEN LEAST(next_run_at, next_billing_at) END) STORED
);

CREATE INDEX IF NOT EXISTS market_subscriptions_subscriber ON market_subscriptions (subscriber_id, created_at DESC, subscription_id DESC);
CREATE INDEX IF NOT EXISTS market_subscriptions_provider ON market_subscriptions (provider_id, created_at DESC, subscription_id DESC);
CREATE INDEX IF NOT EXISTS market_subscriptions_due ON market_subscriptions (next_due_at) WHERE next_due_at IS NOT NULL;

-- One row per run, written by its subscription's grain. A slot runs once: (subscription, scheduled_at) is unique.
CREATE TABLE IF NOT EXISTS subscription_runs (
    run_id           text PRIMARY KEY,
    subscription_id  text NOT NULL,
    status           text NOT NULL,
    scheduled_at     timestamptz NOT NULL,
    started_at       timestamptz NOT NULL,
    completed_at     timestamptz,
    output           text,
    error            text,
    UNIQUE (subscription_id, scheduled_at)
);
