-- What each wallet transfer was (written with the transfer, in its transaction: see WalletLedger).
-- The amounts and balances stay in ledger_entries; this only names them for a wallet's history.
CREATE TABLE IF NOT EXISTS wallet_transfers (
    transfer_id      text PRIMARY KEY,
    description      text NOT NULL,
    job_id           text,
    referrer_account text,
    refund_account   text
);
CREATE INDEX IF NOT EXISTS wallet_transfers_referrer ON wallet_transfers (referrer_account) WHERE referrer_account IS NOT NULL;

-- A wallet's recent entries, newest first (0405 dropped the by-account index for every account;
-- wallets alone get it back, so the access benchmark's org and publisher legs pay nothing for it).
-- Queries must repeat the predicate (account_id LIKE 'wallet:%') for the planner to use it.
CREATE INDEX IF NOT EXISTS ledger_entries_wallets ON ledger_entries (account_id, entry_id) WHERE account_id LIKE 'wallet:%';
