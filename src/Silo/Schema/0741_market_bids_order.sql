-- A bid's place among equal prices (ties rank the earlier bid first, and the fake clock of the tests
-- does not tell bids of one instant apart): its arrival number on its post, given by the post's grain.
-- price_set_at: when its current price was set (pushed into price_history with it on the next change).
ALTER TABLE market_bids ADD COLUMN IF NOT EXISTS seq integer NOT NULL DEFAULT 0;
ALTER TABLE market_bids ADD COLUMN IF NOT EXISTS price_set_at timestamptz;
