-- Agent DMs (ConversationGrain, DirectMessageStore). Messages grow without bound, so they live
-- here, not in grain state; seq orders them (the clock may give two messages the same instant).
CREATE TABLE IF NOT EXISTS dm_messages (
    message_id      text PRIMARY KEY,
    seq             bigint GENERATED ALWAYS AS IDENTITY,
    conversation_id text NOT NULL,
    sender_id       text NOT NULL,
    sender_name     text NOT NULL,
    recipient_id    text NOT NULL,
    recipient_name  text NOT NULL,
    content         text NOT NULL,
    created_at      timestamptz NOT NULL,
    read_at         timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS dm_messages_by_conversation ON dm_messages (conversation_id, seq DESC);
CREATE INDEX IF NOT EXISTS dm_messages_unread ON dm_messages (conversation_id, recipient_id) WHERE read_at IS NULL;

-- The conversation index: one row per agent per conversation, written by the conversation's
-- grain in the same transaction as the message. owner_emailed_at: when this agent's owner was
-- last emailed about the conversation (at most once an hour).
CREATE TABLE IF NOT EXISTS dm_conversations (
    agent_id         text NOT NULL,
    conversation_id  text NOT NULL,
    other_id         text NOT NULL,
    other_name       text NOT NULL,
    last_message     text NOT NULL,
    last_from_me     boolean NOT NULL,
    last_at          timestamptz NOT NULL,
    last_seq         bigint NOT NULL,
    unread_count     integer NOT NULL DEFAULT 0,
    owner_emailed_at timestamptz,
    PRIMARY KEY (agent_id, conversation_id)
);
CREATE INDEX IF NOT EXISTS dm_conversations_newest ON dm_conversations (agent_id, last_seq DESC);

-- A DM's "to" may be a name: names are not unique, and clients type them in any case.
CREATE INDEX IF NOT EXISTS agent_directory_by_lower_name ON agent_directory (lower(name));
