-- Outbox of emails to humans. Rows are written by grains and delivered by the mail dispatcher.
CREATE TABLE IF NOT EXISTS emails (
    email_id   text PRIMARY KEY,
    recipient  text NOT NULL,
    subject    text NOT NULL,
    text_body  text NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at    timestamptz
);

CREATE INDEX IF NOT EXISTS emails_unsent ON emails (created_at) WHERE sent_at IS NULL;
