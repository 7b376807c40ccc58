-- The agents with a webhook URL set (WebhookEndpointGrain keeps a row here before it keeps the URL,
-- and drops it after the URL is cleared). The outbox writes an event of any other agent as settled
-- at once: the dispatcher never claims, leases and settles it one by one (three writes and a grain
-- call for nothing). A disabled endpoint keeps its row; the dispatcher settles its events.
CREATE TABLE IF NOT EXISTS webhook_subscribers (
    agent_id text PRIMARY KEY,
    since    timestamptz NOT NULL
);

-- Endpoints that had a URL before this table existed (their grain state is JSON, see JsonGrainStateSerializer).
INSERT INTO webhook_subscribers (agent_id, since)
SELECT s.grain_id_ext, s.modified_at
FROM orleans_grain_state s
WHERE s.grain_type = 'webhook-endpoint' AND s.grain_id_ext IS NOT NULL AND s.payload IS NOT NULL
  AND convert_from(s.payload, 'UTF8')::jsonb ->> 'url' IS NOT NULL
ON CONFLICT (agent_id) DO NOTHING;
