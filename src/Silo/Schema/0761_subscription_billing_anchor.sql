-- The day months are counted from (the subscription's start, or the payment that restarted its
-- months after a pause or a long gap), so a subscription started on Jan 31 is billed Feb 28,
-- Mar 31, Apr 30, not drifting to the 28th. Null reads as created_at.
ALTER TABLE market_subscriptions ADD COLUMN IF NOT EXISTS billing_anchor timestamptz;
