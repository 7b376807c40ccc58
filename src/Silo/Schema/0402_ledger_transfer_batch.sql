-- Group commit for the ledger: many transfers (from many org grains) applied in one
-- statement and one transaction, with the same rules as ledger_transfer (0150), transfer by
-- transfer and in the order given:
--   * a transfer id seen before answers 'repeated' (same legs) or 'mismatch' (other legs);
--   * a transfer with an account not opened yet answers 'missing' (the caller opens it and
--     retries it alone);
--   * every checked debit (a negative leg of an account that may not go negative) is checked
--     against the balance left by the transfers before it in the batch: two transfers on one
--     account in one batch can never overdraw it together ('insufficient' for the one that
--     would; nothing of it is written);
--   * checked accounts are locked in account order (no deadlocks with other batches or with
--     ledger_transfer), credits only append entries, exactly as in 0150.
-- Transfer ids within one batch are distinct (the caller ensures it). If another transaction
-- writes one of the ids while this one runs, the whole batch fails with SQLSTATE AT001 and
-- the caller applies its transfers one by one instead.
--
-- Legs come flattened: p_leg_transfer[j] is the (1-based) index of leg j's transfer, legs of a
-- transfer consecutive and in transfer order. Answers: one row per transfer (account NULL),
-- plus, as ledger_transfer does, one row per checked debit with the balance it left
-- ('applied', 'repeated') or the short account and its balance ('insufficient').
CREATE OR REPLACE FUNCTION ledger_transfer_batch(
    p_ids text[], p_kinds text[], p_fingerprints text[],
    p_leg_transfer int[], p_leg_accounts text[], p_leg_amounts bigint[], p_at timestamptz)
RETURNS TABLE (transfer_index int, outcome text, account_id text, balance bigint)
LANGUAGE plpgsql
-- Every lookup here is by key, but the row estimates of unnest()ed arrays make the planner
-- prefer scanning small tables whole (ledger_accounts with a few thousand rows): it may not.
SET enable_seqscan = off
-- Planned once per connection, not per call: every statement's plan is the same whatever the arrays hold.
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    n int := coalesce(array_length(p_ids, 1), 0);
    m int := coalesce(array_length(p_leg_accounts, 1), 0);
    v_outcome text[];
    v_short_account text[];
    v_short_balance bigint[];
    v_accounts text[];     -- checked accounts, sorted
    v_balances bigint[];   -- their balances, same order
    v_slot int[];          -- per leg: its account's index in v_accounts when it is a checked debit, else 0
    v_after bigint[];      -- per leg: balance after it (checked debits of applied transfers)
    v_applied int := 0;
    v_written int;
    v_first int;
    v_next int := 1;
    v_ok boolean;
    r record;
BEGIN
    IF n = 0 THEN RETURN; END IF;
    IF array_length(p_kinds, 1) <> n OR array_length(p_fingerprints, 1) <> n
       OR array_length(p_leg_transfer, 1) <> m OR array_length(p_leg_amounts, 1) <> m THEN
        RAISE EXCEPTION 'ledger_transfer_batch: array lengths differ' USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_leg_transfer, p_leg_amounts) AS l(t, amt) GROUP BY l.t HAVING sum(l.amt) <> 0 OR count(*) < 2) THEN
        RAISE EXCEPTION 'the legs of a transfer must sum to zero' USING ERRCODE = '22023';
    END IF;

    v_outcome := array_fill(NULL::text, ARRAY[n]);
    v_short_account := array_fill(NULL::text, ARRAY[n]);
    v_short_balance := array_fill(NULL::bigint, ARRAY[n]);
    v_after := array_fill(NULL::bigint, ARRAY[m]);

    FOR r IN SELECT DISTINCT l.t FROM unnest(p_leg_transfer, p_leg_accounts) AS l(t, acc)
             WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts la WHERE la.account_id = l.acc) LOOP
        v_outcome[r.t] := 'missing';
    END LOOP;

    -- Lock the checked accounts of the remaining transfers, in account order.
    SELECT coalesce(array_agg(s.account_id ORDER BY s.account_id), '{}') INTO v_accounts FROM (
        SELECT la.account_id FROM ledger_accounts la
        WHERE la.account_id IN (SELECT l.acc FROM unnest(p_leg_transfer, p_leg_accounts, p_leg_amounts) AS l(t, acc, amt)
                                WHERE l.amt < 0 AND v_outcome[l.t] IS NULL)
          AND NOT la.may_go_negative
        ORDER BY la.account_id FOR UPDATE) s;

    -- Ids seen before (checked after the locks, as ledger_transfer does).
    FOR r IN SELECT u.i, t.fingerprint FROM unnest(p_ids) WITH ORDINALITY AS u(id, i)
             JOIN ledger_transfers t ON t.transfer_id = u.id LOOP
        IF v_outcome[r.i] IS NULL THEN
            v_outcome[r.i] := CASE WHEN r.fingerprint = p_fingerprints[r.i] THEN 'repeated' ELSE 'mismatch' END;
        END IF;
    END LOOP;

    IF array_length(v_accounts, 1) > 0 THEN
        -- Fold the credits that arrived since each checked account's last debit.
        WITH folded AS (
            UPDATE ledger_entries e SET folded = true
            WHERE e.account_id = ANY (v_accounts) AND NOT e.folded
            RETURNING e.account_id AS acc, e.amount AS amt
        ), sums AS (
            SELECT f.acc, sum(f.amt) AS total FROM folded f GROUP BY f.acc
        )
        UPDATE ledger_accounts la SET balance = la.balance + s.total FROM sums s WHERE la.account_id = s.acc;

        SELECT array_agg(la.balance ORDER BY la.account_id) INTO v_balances
        FROM ledger_accounts la WHERE la.account_id = ANY (v_accounts);
    END IF;

    SELECT array_agg(CASE WHEN l.amt < 0 THEN coalesce(a.slot, 0) ELSE 0 END ORDER BY l.j)::int[] INTO v_slot
    FROM unnest(p_leg_accounts, p_leg_amounts) WITH ORDINALITY AS l(acc, amt, j)
    LEFT JOIN unnest(v_accounts) WITH ORDINALITY AS a(acc, slot) ON a.acc = l.acc;

    -- In order: a transfer applies when every checked debit fits what is left.
    FOR i IN 1 .. n LOOP
        v_first := v_next;
        WHILE v_next <= m AND p_leg_transfer[v_next] = i LOOP v_next := v_next + 1; END LOOP;
        CONTINUE WHEN v_outcome[i] IS NOT NULL;
        v_ok := true;
        FOR j IN v_first .. v_next - 1 LOOP
            IF v_slot[j] > 0 AND v_balances[v_slot[j]] + p_leg_amounts[j] < 0 THEN
                v_ok := false;
                v_short_account[i] := v_accounts[v_slot[j]];
                v_short_balance[i] := v_balances[v_slot[j]];
                EXIT;
            END IF;
        END LOOP;
        IF v_ok THEN
            FOR j IN v_first .. v_next - 1 LOOP
                IF v_slot[j] > 0 THEN
                    v_balances[v_slot[j]] := v_balances[v_slot[j]] + p_leg_amounts[j];
                    v_after[j] := v_balances[v_slot[j]];
                END IF;
            END LOOP;
            v_outcome[i] := 'applied';
            v_applied := v_applied + 1;
        ELSE
            v_outcome[i] := 'insufficient';
        END IF;
    END LOOP;
    IF v_next <= m THEN
        RAISE EXCEPTION 'ledger_transfer_batch: legs out of order' USING ERRCODE = '22023';
    END IF;

    IF v_applied > 0 THEN
        INSERT INTO ledger_transfers (transfer_id, kind, fingerprint, created_at)
        SELECT p_ids[i], p_kinds[i], p_fingerprints[i], p_at FROM generate_subscripts(p_ids, 1) AS i
        WHERE v_outcome[i] = 'applied'
        ON CONFLICT ON CONSTRAINT ledger_transfers_pkey DO NOTHING;
        GET DIAGNOSTICS v_written = ROW_COUNT;
        IF v_written <> v_applied THEN
            RAISE EXCEPTION 'ledger_transfer_batch: a transfer id was written concurrently' USING ERRCODE = 'AT001';
        END IF;

        UPDATE ledger_accounts la SET balance = b.bal
        FROM unnest(v_accounts, v_balances) AS b(acc, bal)
        WHERE la.account_id = b.acc AND la.balance <> b.bal;

        INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after, folded, created_at)
        SELECT p_ids[l.t], l.acc, l.amt, v_after[l.j], v_slot[l.j] > 0, p_at
        FROM unnest(p_leg_transfer, p_leg_accounts, p_leg_amounts) WITH ORDINALITY AS l(t, acc, amt, j)
        WHERE v_outcome[l.t] = 'applied';
    END IF;

    RETURN QUERY
    SELECT i::int, v_outcome[i], NULL::text, NULL::bigint FROM generate_subscripts(p_ids, 1) AS i
    UNION ALL
    SELECT l.t, 'applied'::text, l.acc, v_after[l.j]
    FROM unnest(p_leg_transfer, p_leg_accounts) WITH ORDINALITY AS l(t, acc, j)
    WHERE v_outcome[l.t] = 'applied' AND v_after[l.j] IS NOT NULL
    UNION ALL
    SELECT u.i::int, 'repeated'::text, e.account_id, e.balance_after
    FROM unnest(p_ids) WITH ORDINALITY AS u(id, i) JOIN ledger_entries e ON e.transfer_id = u.id
    WHERE v_outcome[u.i] = 'repeated' AND e.balance_after IS NOT NULL
    UNION ALL
    SELECT i::int, 'insufficient'::text, v_short_account[i], v_short_balance[i] FROM generate_subscripts(p_ids, 1) AS i
    WHERE v_outcome[i] = 'insufficient';
END;
$$;
