-- Offset: the links usage may be reported on right now (approved, not revoked), with the agent
-- that owns each. UserLinkGrain stays the authority: it adds the row after writing "approved"
-- and removes it before writing "revoked", so this table never allows more than the grain does.
-- Batched reports are appended only where (link, agent) is here; anything else goes to the
-- link grain, which decides and explains (pending, expired, revoked, someone else's link).
CREATE TABLE IF NOT EXISTS reportable_links (
    link_id  text PRIMARY KEY,
    agent_id text NOT NULL
);

-- Session-filtered logs walk (link_id, event_id) and filter: one b-tree fewer on the hot path.
DROP INDEX IF EXISTS usage_events_link_session;
