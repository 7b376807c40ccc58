-- Housekeeping deletes old delivery attempts and finished events (Webhooks:Retention, 30 days):
-- these let it find them without reading either table whole every few minutes.
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_time ON webhook_deliveries (attempted_at);
CREATE INDEX IF NOT EXISTS webhook_events_finished ON webhook_events (finished_at) WHERE status <> 'pending';
