-- Carts: one per user, with at most 50 lines of 1..99 units each. The outbox and inbox tables come
-- from the platform migration applied before this one into the same schema (the inbox records the
-- order events already applied).

CREATE TABLE carts (
  user_id    UUID        PRIMARY KEY,
  -- Incremented by every change; its row lock serializes the writes to one cart, so the line limit
  -- is checked against what is really there.
  version    BIGINT      NOT NULL DEFAULT 1,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT carts_version_positive CHECK (version >= 1)
);

CREATE TABLE cart_lines (
  user_id    UUID        NOT NULL,
  product_id UUID        NOT NULL,
  quantity   INTEGER     NOT NULL,
  added_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- Also the index that reads a user's lines.
  PRIMARY KEY (user_id, product_id),
  CONSTRAINT cart_lines_cart_fk FOREIGN KEY (user_id) REFERENCES carts (user_id) ON DELETE CASCADE,
  CONSTRAINT cart_lines_quantity_range CHECK (quantity BETWEEN 1 AND 99)
);
