-- The money core: one double-entry ledger behind every credit, escrow and payout.
-- Amounts are integers (cents or credits). A transfer is one transaction that writes
-- balanced entries and moves the cached balances, and is identified by transfer_id:
-- applying the same transfer twice changes nothing and returns the first outcome.

CREATE TABLE IF NOT EXISTS ledger_accounts (
    account_id      text PRIMARY KEY,
    balance         bigint NOT NULL DEFAULT 0,
    -- Only the outside world (the source of deposits, the sink of withdrawals) may go negative.
    may_go_negative boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    CONSTRAINT ledger_accounts_not_negative CHECK (may_go_negative OR balance >= 0)
);

CREATE TABLE IF NOT EXISTS ledger_transfers (
    transfer_id text PRIMARY KEY,
    kind        text NOT NULL,
    -- The accounts and amounts, canonical: the same id with other legs is refused, not applied.
    fingerprint text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS ledger_entries (
    entry_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transfer_id   text NOT NULL REFERENCES ledger_transfers (transfer_id),
    account_id    text NOT NULL REFERENCES ledger_accounts (account_id),
    amount        bigint NOT NULL CHECK (amount <> 0),
    balance_after bigint NOT NULL,
    created_at    timestamptz NOT NULL,
    UNIQUE (transfer_id, account_id)
);

CREATE INDEX IF NOT EXISTS ledger_entries_by_account ON ledger_entries (account_id, entry_id);

INSERT INTO ledger_accounts (account_id, balance, may_go_negative, created_at)
VALUES ('world', 0, true, now())
ON CONFLICT (account_id) DO NOTHING;

-- One round trip per transfer. Locks the accounts in id order (no deadlocks between
-- transfers touching the same accounts), then: a known transfer_id answers 'repeated' with
-- the balances it left (or 'mismatch' if its legs differ); a leg that would take a
-- non-negative account below zero answers 'insufficient' and writes nothing; otherwise
-- writes the transfer, its entries and the new balances and answers 'applied'.
-- Accounts are opened on first use ('missing': the caller opens them and retries); only
-- accounts created with may_go_negative (world) can go below zero.
CREATE OR REPLACE FUNCTION ledger_transfer(
    p_transfer_id text, p_kind text, p_accounts text[], p_amounts bigint[], p_fingerprint text, p_at timestamptz)
RETURNS TABLE (outcome text, account_id text, balance bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_fingerprint text;
    v_locked int;
    v_short text;
    v_short_balance bigint;
BEGIN
    IF coalesce(array_length(p_accounts, 1), 0) < 2 OR array_length(p_accounts, 1) <> array_length(p_amounts, 1) THEN
        RAISE EXCEPTION 'a transfer needs at least two legs' USING ERRCODE = '22023';
    END IF;
    IF (SELECT sum(a) FROM unnest(p_amounts) a) <> 0 THEN
        RAISE EXCEPTION 'the legs of a transfer must sum to zero' USING ERRCODE = '22023';
    END IF;

    SELECT count(*) INTO v_locked FROM (
        SELECT 1 FROM ledger_accounts la WHERE la.account_id = ANY (p_accounts)
        ORDER BY la.account_id FOR UPDATE) locked;
    IF v_locked < array_length(p_accounts, 1) THEN
        -- Accounts are opened in a transaction of their own (LedgerStore.OpenAccounts) and the
        -- caller retries: opening them here, while holding other rows' locks, could deadlock.
        RETURN QUERY SELECT 'missing'::text, NULL::text, NULL::bigint;
        RETURN;
    END IF;

    SELECT t.fingerprint INTO v_fingerprint FROM ledger_transfers t WHERE t.transfer_id = p_transfer_id;
    IF FOUND THEN
        IF v_fingerprint <> p_fingerprint THEN
            RETURN QUERY SELECT 'mismatch'::text, NULL::text, NULL::bigint;
        ELSE
            RETURN QUERY SELECT 'repeated'::text, e.account_id, e.balance_after
                FROM ledger_entries e WHERE e.transfer_id = p_transfer_id;
        END IF;
        RETURN;
    END IF;

    SELECT la.account_id, la.balance INTO v_short, v_short_balance
    FROM ledger_accounts la
    JOIN unnest(p_accounts, p_amounts) AS leg(acc, amt) ON leg.acc = la.account_id
    WHERE NOT la.may_go_negative AND la.balance + leg.amt < 0
    ORDER BY la.account_id LIMIT 1;
    IF FOUND THEN
        RETURN QUERY SELECT 'insufficient'::text, v_short, v_short_balance;
        RETURN;
    END IF;

    INSERT INTO ledger_transfers (transfer_id, kind, fingerprint, created_at)
    VALUES (p_transfer_id, p_kind, p_fingerprint, p_at)
    ON CONFLICT ON CONSTRAINT ledger_transfers_pkey DO NOTHING;
    IF NOT FOUND THEN
        -- Another transaction wrote this id over other accounts while we held ours.
        RETURN QUERY SELECT 'mismatch'::text, NULL::text, NULL::bigint;
        RETURN;
    END IF;

    RETURN QUERY
    WITH moved AS (
        UPDATE ledger_accounts la SET balance = la.balance + leg.amt
        FROM unnest(p_accounts, p_amounts) AS leg(acc, amt)
        WHERE la.account_id = leg.acc
        RETURNING la.account_id AS acc, leg.amt AS amt, la.balance AS after
    ), written AS (
        INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after, created_at)
        SELECT p_transfer_id, m.acc, m.amt, m.after, p_at FROM moved m
        RETURNING ledger_entries.account_id AS acc, ledger_entries.balance_after AS after
    )
    SELECT 'applied'::text, w.acc, w.after FROM written w;
END;
$$;
