-- Orders, their lines, the idempotency keys of checkout and the state of each checkout saga. The
-- outbox and inbox tables come from the platform migration applied before this one into the same schema.

CREATE TABLE orders (
  id             UUID        PRIMARY KEY,
  user_id        UUID        NOT NULL,
  status         TEXT        NOT NULL,
  -- The snapshot taken at checkout: what the user agreed to pay, whatever the catalog says later.
  total_minor    BIGINT      NOT NULL,
  currency       CHAR(3)     NOT NULL,
  cancel_reason  TEXT,
  cancel_message TEXT,
  payment_id     TEXT,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT orders_status_known CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
  CONSTRAINT orders_total_non_negative CHECK (total_minor >= 0),
  -- The outcome is readable from the row alone: a reason exactly when cancelled, a payment when confirmed.
  CONSTRAINT orders_reason_when_cancelled CHECK ((status = 'CANCELLED') = (cancel_reason IS NOT NULL)),
  CONSTRAINT orders_payment_when_confirmed CHECK (status <> 'CONFIRMED' OR payment_id IS NOT NULL)
);

-- A user's orders, newest first (orders.list); id breaks ties so that pages never overlap.
CREATE INDEX orders_by_user ON orders (user_id, created_at DESC, id DESC);
-- What the invariant checker and operators look for: orders not yet decided.
CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'PENDING';

CREATE TABLE order_lines (
  order_id         UUID     NOT NULL,
  line_no          SMALLINT NOT NULL,
  product_id       UUID     NOT NULL,
  name             TEXT     NOT NULL,
  quantity         INTEGER  NOT NULL,
  unit_price_minor BIGINT   NOT NULL,
  PRIMARY KEY (order_id, line_no),
  CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT order_lines_quantity_positive CHECK (quantity > 0),
  CONSTRAINT order_lines_price_non_negative CHECK (unit_price_minor >= 0)
);

-- The same key of the same user is the same checkout. The key row is inserted first in the checkout
-- transaction (a concurrent checkout with the key waits on it, then finds the winner's order), so the
-- reference to the order is checked at commit.
CREATE TABLE idempotency_keys (
  user_id    UUID        NOT NULL,
  idem_key   TEXT        NOT NULL,
  order_id   UUID        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, idem_key),
  CONSTRAINT idempotency_keys_order_unique UNIQUE (order_id),
  CONSTRAINT idempotency_keys_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
    ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);

-- One checkout saga per order. state is the step to run next (RESERVING, CHARGING, COMMITTING,
-- COMPENSATING) or the outcome (CONFIRMED, CANCELLED). A replica drives a saga only while it holds the
-- lease (owner, lease_until); a lease that ran out (crash, lost replica) lets any replica resume it.
CREATE TABLE sagas (
  order_id         UUID        PRIMARY KEY,
  state            TEXT        NOT NULL,
  -- Set before the charge is sent: from then on, compensation must also ask payments to cancel.
  charge_attempted BOOLEAN     NOT NULL DEFAULT false,
  payment_id       TEXT,
  cancel_reason    TEXT,
  cancel_message   TEXT,
  owner            TEXT,
  lease_until      TIMESTAMPTZ,
  -- Times a replica claimed the saga after another let it go (crash, retry later): a saga that keeps
  -- coming back is what an operator wants to see.
  resumes          INTEGER     NOT NULL DEFAULT 0,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at      TIMESTAMPTZ,
  CONSTRAINT sagas_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT sagas_state_known CHECK (state IN ('RESERVING', 'CHARGING', 'COMMITTING', 'COMPENSATING', 'CONFIRMED', 'CANCELLED')),
  CONSTRAINT sagas_reason_when_compensating CHECK (state NOT IN ('COMPENSATING', 'CANCELLED') OR cancel_reason IS NOT NULL),
  CONSTRAINT sagas_finished_when_terminal CHECK ((state IN ('CONFIRMED', 'CANCELLED')) = (finished_at IS NOT NULL))
);

-- The sweep: running sagas by lease expiry (a released lease is NULL and comes first).
CREATE INDEX sagas_due ON sagas (lease_until NULLS FIRST)
  WHERE state IN ('RESERVING', 'CHARGING', 'COMMITTING', 'COMPENSATING');
