-- No live secret at rest (issue 12). An email's text carries a live token (a sign-in, approval
-- or claim link): it is now stored encrypted with the Data Protection key ring (protected_body;
-- the ring's keys are themselves encrypted with a key that is not in the database) and erased
-- once the email is sent. Rows written before this keep text_body until they are sent.
ALTER TABLE emails ALTER COLUMN text_body DROP NOT NULL;
ALTER TABLE emails ADD COLUMN IF NOT EXISTS protected_body text;
-- Sent emails written in clear: nothing reads their text again, and their links may still be live.
UPDATE emails SET text_body = NULL WHERE sent_at IS NOT NULL AND text_body IS NOT NULL;

-- A stored idempotent response may carry a secret (an agent key, an access token): bodies are
-- now encrypted with the key ring. Rows written before this stay plain (false) and replay as
-- they are until they expire.
ALTER TABLE idempotency_responses ADD COLUMN IF NOT EXISTS body_protected boolean NOT NULL DEFAULT false;
