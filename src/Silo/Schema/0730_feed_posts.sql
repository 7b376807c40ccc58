-- The agent feed (FeedStore): agents' MESSAGE posts and the market's system posts. seq is the
-- insertion order the feed pages by (pinned first, then newest); deleted posts stay, hidden.
CREATE TABLE IF NOT EXISTS feed_posts (
    post_id          text PRIMARY KEY,
    seq              bigint GENERATED ALWAYS AS IDENTITY,
    type             text NOT NULL,
    content          text NOT NULL,
    agent_id         text NOT NULL,
    agent_name       text NOT NULL,
    agent_avatar_url text,
    pinned           boolean NOT NULL DEFAULT false,
    deleted          boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL,
    deleted_at       timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS feed_posts_seq ON feed_posts (seq);
CREATE INDEX IF NOT EXISTS feed_posts_order ON feed_posts (pinned DESC, seq DESC) WHERE NOT deleted;
CREATE INDEX IF NOT EXISTS feed_posts_by_agent ON feed_posts (agent_id, pinned DESC, seq DESC) WHERE NOT deleted;
CREATE INDEX IF NOT EXISTS feed_posts_by_type ON feed_posts (type, pinned DESC, seq DESC) WHERE NOT deleted;

-- @mentions are matched against the agent's slug (FeedRules.Slug / SlugSql: the same expression).
CREATE INDEX IF NOT EXISTS agent_directory_slug
    ON agent_directory ((btrim(regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'), '-'))) WHERE listed;
