-- The first response to each POST sent with an Idempotency-Key, replayed for repeats.
-- key_id is a hash of (scope, caller, key): the client's key is never stored in clear.
CREATE TABLE IF NOT EXISTS idempotency_responses (
    key_id       text PRIMARY KEY,
    fingerprint  text NOT NULL,
    status_code  integer NOT NULL,
    content_type text,
    location     text,
    -- Nulled once replay_until has passed: a response that carried a short-lived secret
    -- (an access token) does not stay at rest longer than the secret is useful.
    body         bytea,
    replay_until timestamptz,
    created_at   timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS idempotency_responses_created ON idempotency_responses (created_at);
