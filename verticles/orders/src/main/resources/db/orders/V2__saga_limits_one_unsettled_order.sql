-- Limits of a checkout saga (runs per step, and an age), the NEEDS_ATTENTION status of an order whose
-- saga hit them while money may be taken, one unsettled order per cart (user), and the pruning of old
-- idempotency keys.

-- NEEDS_ATTENTION: not decided, and not to be decided silently; the saga keeps its step and is tried
-- again at a slow pace until it ends or an operator settles the order.
ALTER TABLE orders DROP CONSTRAINT orders_status_known;
ALTER TABLE orders ADD CONSTRAINT orders_status_known
  CHECK (status IN ('PENDING', 'NEEDS_ATTENTION', 'CONFIRMED', 'CANCELLED'));

ALTER TABLE sagas
  -- Runs of the current step (each claim of the saga starts one), across replicas and restarts; back to
  -- 1 when the saga moves to another step. A step past its ceiling is not run again as usual.
  ADD COLUMN step_runs       INTEGER     NOT NULL DEFAULT 0,
  -- Why the last run of the step gave up (code and message of the failure), for operators.
  ADD COLUMN last_error      TEXT,
  -- When the saga hit its limits in a step that may have taken money (commit, compensation); kept once
  -- the saga ends, as the record that the order needed an operator.
  ADD COLUMN attention_since TIMESTAMPTZ;

ALTER TABLE sagas ADD CONSTRAINT sagas_attention_after_charge
  CHECK (attention_since IS NULL OR state IN ('COMMITTING', 'COMPENSATING', 'CONFIRMED', 'CANCELLED'));

-- Before this version a cart could be checked out again under a new key while its first order was
-- still PENDING. Such orders may exist now (the sagas that looped without end kept theirs PENDING): the
-- oldest unsettled order of each user stays PENDING, the others go to an operator, since one of them may
-- have charged the same cart a second time. Their sagas go on and settle them as before.
WITH extra AS (
  SELECT id FROM (
    SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY created_at, id) AS n
    FROM orders WHERE status = 'PENDING') ranked
  WHERE n > 1)
UPDATE orders SET status = 'NEEDS_ATTENTION', updated_at = now() WHERE id IN (SELECT id FROM extra);

-- One PENDING order per user: two checkouts of one cart under different keys, at the same moment on
-- two replicas, cannot both insert one; the second waits for the first to commit and then fails, and
-- answers the first. (NEEDS_ATTENTION orders are checked by the checkout transaction itself; the index
-- leaves them out so that the orders set aside above do not break it.)
CREATE UNIQUE INDEX orders_one_pending_per_user ON orders (user_id) WHERE status = 'PENDING';

-- The admin listing by status, oldest first, and the NEEDS_ATTENTION count behind the gauge.
CREATE INDEX orders_by_status ON orders (status, created_at, id);

-- The pruning of keys older than the retention.
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
