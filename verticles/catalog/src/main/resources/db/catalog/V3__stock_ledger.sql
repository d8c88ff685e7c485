-- The stock ledger: one row per change of products.stock, written by a trigger so that no path
-- (create, admin update or adjustment, reserve, release, SQL by hand) can change a level without a
-- row. For every product, the sum of its deltas is its stock, and each row says why it moved.

CREATE TABLE stock_movements (
  id          BIGSERIAL   PRIMARY KEY,
  product_id  UUID        NOT NULL,
  -- Units added (> 0) or taken (< 0) from products.stock ("available now").
  delta       INTEGER     NOT NULL,
  stock_after INTEGER     NOT NULL,
  -- Set by the writing transaction (catalog.stock_reason): "created", "adjusted: <admin's reason>",
  -- "product update (version n)", "reserved for order <id>", "released by order <id>".
  reason      TEXT        NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT stock_movements_product_fk FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
  CONSTRAINT stock_movements_delta_not_zero CHECK (delta <> 0),
  CONSTRAINT stock_movements_after_non_negative CHECK (stock_after >= 0)
);

-- A product's history in order, and the audit's sum per product.
CREATE INDEX stock_movements_by_product ON stock_movements (product_id, id);

-- Levels from before the ledger: one opening row each, so that the sums hold from the start.
INSERT INTO stock_movements (product_id, delta, stock_after, reason)
SELECT id, stock, stock, 'opening balance' FROM products WHERE stock <> 0;

-- search_path fixed at creation (the catalog schema): the trigger writes there whoever changes a product.
CREATE FUNCTION record_stock_movement() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  moved INTEGER;
BEGIN
  IF TG_OP = 'INSERT' THEN
    moved := NEW.stock;
  ELSE
    moved := NEW.stock - OLD.stock;
  END IF;
  IF moved <> 0 THEN
    INSERT INTO stock_movements (product_id, delta, stock_after, reason)
    VALUES (NEW.id, moved, NEW.stock, coalesce(nullif(current_setting('catalog.stock_reason', true), ''),
      CASE WHEN TG_OP = 'INSERT' THEN 'created' ELSE 'changed without a reason' END));
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER products_stock_ledger AFTER INSERT OR UPDATE OF stock ON products
  FOR EACH ROW EXECUTE FUNCTION record_stock_movement();
