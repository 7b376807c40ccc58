-- The agents' notification inbox (NotificationOutbox writes, the inbox reads and marks).
CREATE TABLE IF NOT EXISTS notifications (
    notification_id text PRIMARY KEY,
    agent_id        text NOT NULL,
    type            text NOT NULL,
    title           text NOT NULL,
    body            text NOT NULL,
    link            text,
    data            jsonb NOT NULL DEFAULT '{}',
    read            boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_inbox ON notifications (agent_id, created_at DESC, notification_id DESC);
CREATE INDEX IF NOT EXISTS notifications_unread ON notifications (agent_id) WHERE NOT read;
