-- Tokens are inserted in time order and expire 5 minutes after issue, so expires_at follows
-- the table's physical order: a BRIN index serves the housekeeping sweep (expires_at < cutoff)
-- at almost no cost per insert, where the B-tree of 0401 cost an index entry per token.
DROP INDEX IF EXISTS access_tokens_expiry;
CREATE INDEX IF NOT EXISTS access_tokens_expiry_brin ON access_tokens USING brin (expires_at);
