-- The money core: one double-entry ledger behind every credit, escrow and payout.
-- Amounts are integers (cents or credits). A transfer is one transaction that writes
-- balanced entries, identified by transfer_id: applying the same transfer twice changes
-- nothing and returns the first outcome.
--
-- Balances. An account's balance is ledger_accounts.balance plus its entries not yet folded
-- into it. A debit of an account that must not go negative locks the account row, folds its
-- new entries in, checks, and moves the balance: debits of one account are serialised and
-- can never overdraw it. Every other leg (a credit, or any leg of the world account) only
-- appends an entry, takes no lock, and is folded in by the account's next checked debit:
-- thousands of buyers paying one publisher do not queue behind its row.

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
    -- The account's balance right after this entry, for checked debits; NULL for unlocked legs.
    balance_after bigint,
    -- Whether ledger_accounts.balance includes this entry.
    folded        boolean NOT NULL,
    created_at    timestamptz NOT NULL,
    UNIQUE (transfer_id, account_id)
);

CREATE INDEX IF NOT EXISTS ledger_entries_by_account ON ledger_entries (account_id, entry_id);
CREATE INDEX IF NOT EXISTS ledger_entries_unfolded ON ledger_entries (account_id) WHERE NOT folded;

INSERT INTO ledger_accounts (account_id, balance, may_go_negative, created_at)
VALUES ('world', 0, true, now())
ON CONFLICT (account_id) DO NOTHING;

-- One round trip per transfer. Answers:
--   'applied'      written now; a row without an account, then one row per checked debit
--                  with the balance it left
--   'repeated'     this transfer_id was applied before with the same legs; nothing changed;
--                  rows as for 'applied', from the first application
--   'mismatch'     this transfer_id was used with other legs; nothing written
--   'insufficient' a checked debit would go below zero; one row: that account, its balance
--   'missing'      an account is not open yet: the caller opens it in a transaction of its
--                  own and retries (opening it here, holding other locks, could deadlock)
CREATE OR REPLACE FUNCTION ledger_transfer(
    p_transfer_id text, p_kind text, p_accounts text[], p_amounts bigint[], p_fingerprint text, p_at timestamptz)
RETURNS TABLE (outcome text, account_id text, balance bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_fingerprint text;
    v_known int;
    v_short text;
    v_short_balance bigint;
    v_checked text[];
    v_checked_amt bigint[];
BEGIN
    IF coalesce(array_length(p_accounts, 1), 0) < 2 OR array_length(p_accounts, 1) <> array_length(p_amounts, 1) THEN
        RAISE EXCEPTION 'a transfer needs at least two legs' USING ERRCODE = '22023';
    END IF;
    IF (SELECT sum(a) FROM unnest(p_amounts) a) <> 0 THEN
        RAISE EXCEPTION 'the legs of a transfer must sum to zero' USING ERRCODE = '22023';
    END IF;

    SELECT count(*) INTO v_known FROM ledger_accounts la WHERE la.account_id = ANY (p_accounts);
    IF v_known < array_length(p_accounts, 1) THEN
        RETURN QUERY SELECT 'missing'::text, NULL::text, NULL::bigint;
        RETURN;
    END IF;

    -- The checked debits, locked in account order (no deadlocks between transfers).
    SELECT array_agg(la.account_id ORDER BY la.account_id), array_agg(leg.amt ORDER BY la.account_id)
    INTO v_checked, v_checked_amt
    FROM ledger_accounts la JOIN unnest(p_accounts, p_amounts) AS leg(acc, amt) ON leg.acc = la.account_id
    WHERE leg.amt < 0 AND NOT la.may_go_negative;
    PERFORM 1 FROM ledger_accounts la WHERE la.account_id = ANY (v_checked)
    ORDER BY la.account_id FOR UPDATE;

    SELECT t.fingerprint INTO v_fingerprint FROM ledger_transfers t WHERE t.transfer_id = p_transfer_id;
    IF FOUND THEN
        IF v_fingerprint <> p_fingerprint THEN
            RETURN QUERY SELECT 'mismatch'::text, NULL::text, NULL::bigint;
        ELSE
            RETURN QUERY SELECT 'repeated'::text, NULL::text, NULL::bigint
                UNION ALL
                SELECT 'repeated'::text, e.account_id, e.balance_after
                FROM ledger_entries e WHERE e.transfer_id = p_transfer_id AND e.balance_after IS NOT NULL;
        END IF;
        RETURN;
    END IF;

    -- Fold the credits that arrived since each checked account's last debit.
    WITH folded AS (
        UPDATE ledger_entries e SET folded = true
        WHERE e.account_id = ANY (v_checked) AND NOT e.folded
        RETURNING e.account_id AS acc, e.amount AS amt
    ), sums AS (
        SELECT f.acc, sum(f.amt) AS total FROM folded f GROUP BY f.acc
    )
    UPDATE ledger_accounts la SET balance = la.balance + s.total FROM sums s WHERE la.account_id = s.acc;

    SELECT la.account_id, la.balance INTO v_short, v_short_balance
    FROM ledger_accounts la JOIN unnest(v_checked, v_checked_amt) AS c(acc, amt) ON c.acc = la.account_id
    WHERE la.balance + c.amt < 0
    ORDER BY la.account_id LIMIT 1;
    IF FOUND THEN
        RETURN QUERY SELECT 'insufficient'::text, v_short, v_short_balance;
        RETURN;
    END IF;

    INSERT INTO ledger_transfers (transfer_id, kind, fingerprint, created_at)
    VALUES (p_transfer_id, p_kind, p_fingerprint, p_at)
    ON CONFLICT ON CONSTRAINT ledger_transfers_pkey DO NOTHING;
    IF NOT FOUND THEN
        -- Another transaction wrote this id (over other accounts) while we held ours.
        RETURN QUERY SELECT 'mismatch'::text, NULL::text, NULL::bigint;
        RETURN;
    END IF;

    RETURN QUERY
    WITH moved AS (
        UPDATE ledger_accounts la SET balance = la.balance + c.amt
        FROM unnest(v_checked, v_checked_amt) AS c(acc, amt) WHERE la.account_id = c.acc
        RETURNING la.account_id AS acc, la.balance AS after
    ), written AS (
        INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after, folded, created_at)
        SELECT p_transfer_id, leg.acc, leg.amt, m.after, m.acc IS NOT NULL, p_at
        FROM unnest(p_accounts, p_amounts) AS leg(acc, amt) LEFT JOIN moved m ON m.acc = leg.acc
        RETURNING ledger_entries.account_id AS acc, ledger_entries.balance_after AS after
    )
    SELECT 'applied'::text, NULL::text, NULL::bigint
    UNION ALL
    SELECT 'applied'::text, w.acc, w.after FROM written w WHERE w.after IS NOT NULL;
END;
$$;
