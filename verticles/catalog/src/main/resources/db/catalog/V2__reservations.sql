-- Stock reservations: units taken from products.stock and held for an order until the checkout saga
-- commits (sold) or releases them (back to stock). products.stock stays "available now".

CREATE TABLE reservations (
  -- One reservation per order: the key is what makes reserve idempotent and concurrent reserves of
  -- the same order end in one reservation.
  order_id   UUID        PRIMARY KEY,
  -- A RELEASED row without lines is a tombstone: the order was released before anything was held,
  -- and a reserve that arrives late must be refused.
  status     TEXT        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT reservations_status_known CHECK (status IN ('HELD', 'COMMITTED', 'RELEASED'))
);

CREATE TABLE reservation_lines (
  order_id         UUID    NOT NULL,
  product_id       UUID    NOT NULL,
  quantity         INTEGER NOT NULL,
  -- Price and name as they were when the units were taken: the saga snapshots them into the order.
  unit_price_minor BIGINT  NOT NULL,
  currency         CHAR(3) NOT NULL,
  name             TEXT    NOT NULL,
  -- Duplicate product lines are merged before insert, so one line per product.
  PRIMARY KEY (order_id, product_id),
  CONSTRAINT reservation_lines_reservation_fk FOREIGN KEY (order_id) REFERENCES reservations (order_id) ON DELETE CASCADE,
  CONSTRAINT reservation_lines_product_fk FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT reservation_lines_quantity_positive CHECK (quantity > 0),
  CONSTRAINT reservation_lines_price_non_negative CHECK (unit_price_minor >= 0)
);

-- The product foreign key is checked on every product delete: without this index, a full scan.
CREATE INDEX reservation_lines_by_product ON reservation_lines (product_id);

-- Holds that were never committed nor released are what an operator (or a sweeper) looks for.
CREATE INDEX reservations_held_since ON reservations (created_at) WHERE status = 'HELD';
