-- Webhook delivery (WebhookDispatcher): where each outbox event stands, when it is due, and which
-- silo holds it (a lease on the domain clock: a silo that dies mid-send leaves the event to be sent
-- again, with the same webhook-id, once the lease ran out). One row per attempt in webhook_deliveries.
ALTER TABLE webhook_events ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'pending';
ALTER TABLE webhook_events ADD COLUMN IF NOT EXISTS attempts int NOT NULL DEFAULT 0;
ALTER TABLE webhook_events ADD COLUMN IF NOT EXISTS next_attempt_at timestamptz;
ALTER TABLE webhook_events ADD COLUMN IF NOT EXISTS lease_until timestamptz;
ALTER TABLE webhook_events ADD COLUMN IF NOT EXISTS finished_at timestamptz;
-- A new event (next_attempt_at NULL) is due when written.
CREATE INDEX IF NOT EXISTS webhook_events_due ON webhook_events ((COALESCE(next_attempt_at, created_at)))
    WHERE status = 'pending';

CREATE TABLE IF NOT EXISTS webhook_deliveries (
    delivery_id   text PRIMARY KEY,
    event_id      text NOT NULL,
    agent_id      text NOT NULL,
    event         text NOT NULL,
    attempt       int NOT NULL,
    url           text NOT NULL,
    status_code   int,
    error         text,
    duration_ms   int NOT NULL,
    attempted_at  timestamptz NOT NULL,
    next_retry_at timestamptz
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_agent ON webhook_deliveries (agent_id, attempted_at DESC);
