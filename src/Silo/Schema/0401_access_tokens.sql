-- Access tokens, written in the same transaction as the ledger transfer that paid for them
-- (so a paid token always exists and an unpaid one never does). Only the SHA-256 of a token
-- is stored. Rows are deleted an hour after expiry by the housekeeping reminder.
CREATE TABLE IF NOT EXISTS access_tokens (
    token_hash   text PRIMARY KEY,
    org_id       text NOT NULL,
    agent_id     text NOT NULL,
    domain       text NOT NULL,
    content_id   text NOT NULL,
    retrieval_id text NOT NULL,
    issued_at    timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);

CREATE INDEX IF NOT EXISTS access_tokens_expiry ON access_tokens (expires_at);
