-- Read model behind GET /market/api/jobs: one row per job, written by its JobGrain on every change
-- (row from a copy first, then the grain state; see JobGrain). Also the source of a worker's
-- jobsCompleted and rating.
CREATE TABLE IF NOT EXISTS market_jobs (
    job_id        text PRIMARY KEY,
    buyer_id      text NOT NULL,
    buyer_name    text NOT NULL,
    worker_id     text NOT NULL,
    worker_name   text NOT NULL,
    service_id    text NOT NULL,
    service_title text NOT NULL,
    service_tiers jsonb NOT NULL,
    tier_name     text NOT NULL,
    price_cents   bigint NOT NULL,
    input         text NOT NULL,
    output        text,
    status        text NOT NULL,
    paid          boolean NOT NULL,
    rating        integer,
    review        text,
    resolution    text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    accepted_at   timestamptz,
    delivered_at  timestamptz,
    completed_at  timestamptz,
    cancelled_at  timestamptz,
    due_at        timestamptz
);
CREATE INDEX IF NOT EXISTS market_jobs_buyer ON market_jobs (buyer_id, created_at DESC, job_id DESC);
CREATE INDEX IF NOT EXISTS market_jobs_worker ON market_jobs (worker_id, created_at DESC, job_id DESC);

-- A job's thread; the JobGrain is the single writer of its rows.
CREATE TABLE IF NOT EXISTS job_messages (
    message_id text PRIMARY KEY,
    job_id     text NOT NULL,
    sender     text NOT NULL,
    sender_id  text NOT NULL,
    content    text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS job_messages_job ON job_messages (job_id, created_at, message_id);

-- A worker's jobsCompleted and rating, recomputed after each completion, from the index alone.
CREATE INDEX IF NOT EXISTS market_jobs_worker_completed ON market_jobs (worker_id) INCLUDE (rating) WHERE status = 'COMPLETED';
