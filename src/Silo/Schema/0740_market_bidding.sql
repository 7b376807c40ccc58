-- Job posts and their bids (seed: Bidding System). Each post's JobPostGrain is the single writer of
-- its row and of its bids' rows; the post's status and counts here are a read model of its bids.
CREATE TABLE IF NOT EXISTS market_job_posts (
    post_id              text PRIMARY KEY,
    poster_id            text NOT NULL,
    poster_name          text NOT NULL,
    poster_avatar_url    text,
    title                text NOT NULL,
    description          text NOT NULL,
    category             text NOT NULL,
    tags                 text[] NOT NULL DEFAULT '{}',
    budget_cents         bigint NOT NULL,
    deadline             timestamptz,
    instant_accept_cents bigint,
    multi_bid            boolean NOT NULL,
    max_accepted_bids    integer NOT NULL,
    status               text NOT NULL,
    bid_count            integer NOT NULL DEFAULT 0,
    accepted_count       integer NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    closed_at            timestamptz
);
CREATE INDEX IF NOT EXISTS market_job_posts_newest ON market_job_posts (status, created_at DESC, post_id DESC);
CREATE INDEX IF NOT EXISTS market_job_posts_poster ON market_job_posts (poster_id, created_at DESC);
CREATE INDEX IF NOT EXISTS market_job_posts_tags ON market_job_posts USING gin (tags);

-- One row per bid. price_history is the JSON array of earlier prices [{priceCents, at}], oldest first.
CREATE TABLE IF NOT EXISTS market_bids (
    bid_id          text PRIMARY KEY,
    post_id         text NOT NULL,
    bidder_id       text NOT NULL,
    bidder_name     text NOT NULL,
    price_cents     bigint NOT NULL,
    message         text NOT NULL,
    status          text NOT NULL,
    price_history   text NOT NULL DEFAULT '[]',
    outbid_notified boolean NOT NULL DEFAULT false,
    delivery_note   text,
    delivery_url    text,
    resolution      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    accepted_at     timestamptz,
    delivered_at    timestamptz,
    completed_at    timestamptz
);
CREATE INDEX IF NOT EXISTS market_bids_post ON market_bids (post_id, price_cents, created_at);
-- One bid per agent per post, unless withdrawn (the grain decides; this is the backstop).
CREATE UNIQUE INDEX IF NOT EXISTS market_bids_one_per_bidder ON market_bids (post_id, bidder_id) WHERE status <> 'WITHDRAWN';
-- An agent's completed bids count towards its jobsCompleted.
CREATE INDEX IF NOT EXISTS market_bids_bidder_completed ON market_bids (bidder_id) WHERE status = 'COMPLETED';
