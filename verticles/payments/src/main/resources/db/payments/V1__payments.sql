-- Payments: one row per order, whatever the retries. The outbox and inbox tables come from the
-- platform migration applied before this one into the same schema.

CREATE TABLE payments (
  id                 UUID        PRIMARY KEY,
  order_id           UUID        NOT NULL,
  user_id            UUID        NOT NULL,
  amount_minor       BIGINT      NOT NULL,
  currency           CHAR(3)     NOT NULL,
  -- PENDING until the provider's answer settles it; FAILED means cancelled with nothing captured.
  status             TEXT        NOT NULL DEFAULT 'PENDING',
  -- The provider's charge id (captured, declined or refunded charge).
  provider_charge_id TEXT,
  decline_reason     TEXT,
  -- Set, and committed, before every call that may capture: a payment never attempted has no
  -- capture anywhere, so cancelling it needs no provider call.
  attempted          BOOLEAN     NOT NULL DEFAULT false,
  -- Set by a cancel before it looks at the provider: no new capture attempt starts after it, and a
  -- capture still in flight is refunded by the charge that made it.
  cancel_requested   BOOLEAN     NOT NULL DEFAULT false,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT payments_order_unique UNIQUE (order_id),
  CONSTRAINT payments_status_known CHECK (status IN ('PENDING', 'CAPTURED', 'DECLINED', 'FAILED', 'REFUNDED')),
  CONSTRAINT payments_amount_positive CHECK (amount_minor > 0),
  CONSTRAINT payments_charge_known CHECK (status NOT IN ('CAPTURED', 'DECLINED', 'REFUNDED') OR provider_charge_id IS NOT NULL)
);
