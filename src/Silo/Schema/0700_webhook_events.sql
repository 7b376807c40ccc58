-- The webhook outbox (WebhookOutbox): one row per event for one agent, written in the operation
-- that raises it; body is the exact payload sent on every attempt, event_id its webhook-id.
CREATE TABLE IF NOT EXISTS webhook_events (
    event_id   text PRIMARY KEY,
    agent_id   text NOT NULL,
    event      text NOT NULL,
    job_id     text,
    body       text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_events_by_agent ON webhook_events (agent_id, created_at DESC);
