-- Offset: one row per reported model turn. Append-only (a trigger refuses UPDATE and DELETE);
-- written in group-committed batches by UsageEventWriter, read by the owning link grain.
CREATE SEQUENCE IF NOT EXISTS usage_event_ids;

CREATE TABLE IF NOT EXISTS usage_events (
    event_id            bigint PRIMARY KEY DEFAULT nextval('usage_event_ids'),
    link_id             text NOT NULL,
    session_id          text NOT NULL,
    model               text NOT NULL,
    input_tokens        bigint NOT NULL CHECK (input_tokens >= 0),
    output_tokens       bigint NOT NULL CHECK (output_tokens >= 0),
    cached_input_tokens bigint NOT NULL DEFAULT 0 CHECK (cached_input_tokens >= 0),
    reasoning_tokens    bigint NOT NULL DEFAULT 0 CHECK (reasoning_tokens >= 0),
    client_event_id     text,
    reported_at         timestamptz NOT NULL
);

-- A retried report with the same client event id counts once.
CREATE UNIQUE INDEX IF NOT EXISTS usage_events_client_event
    ON usage_events (link_id, client_event_id) WHERE client_event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS usage_events_link ON usage_events (link_id, event_id);
CREATE INDEX IF NOT EXISTS usage_events_link_session ON usage_events (link_id, session_id, event_id);

CREATE OR REPLACE FUNCTION usage_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'usage_events is append-only';
END $$;

DROP TRIGGER IF EXISTS usage_events_append_only ON usage_events;
CREATE TRIGGER usage_events_append_only BEFORE UPDATE OR DELETE ON usage_events
    FOR EACH ROW EXECUTE FUNCTION usage_events_append_only();
