-- Nothing reads an account's entries in entry order: balances fold through the partial index on
-- unfolded entries, repeats look entries up by transfer, and the drift audit aggregates the
-- whole table in one pass. One b-tree fewer for every leg of every transfer.
DROP INDEX IF EXISTS ledger_entries_by_account;
