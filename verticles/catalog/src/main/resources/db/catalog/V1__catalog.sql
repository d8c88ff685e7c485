-- The catalog: categories and products. The outbox table comes from the platform migration applied
-- before this one into the same schema.

CREATE TABLE categories (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- Category ids travel in URLs and Kafka payloads: keep them slugs.
  CONSTRAINT categories_id_slug CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  CONSTRAINT categories_name_not_blank CHECK (btrim(name) <> '')
);

CREATE TABLE products (
  id          UUID        PRIMARY KEY,
  sku         TEXT        NOT NULL,
  name        TEXT        NOT NULL,
  description TEXT        NOT NULL DEFAULT '',
  category_id TEXT        NOT NULL,
  price_minor BIGINT      NOT NULL,
  currency    CHAR(3)     NOT NULL,
  -- Units available to sell. Stock reservations (a later migration) will hold units in their own
  -- table and move them from here, so this column stays "available now".
  stock       INTEGER     NOT NULL,
  version     BIGINT      NOT NULL DEFAULT 1,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- Constraint names are matched by the service to turn violations into CONFLICT / BAD_REQUEST.
  CONSTRAINT products_sku_unique UNIQUE (sku),
  CONSTRAINT products_category_fk FOREIGN KEY (category_id) REFERENCES categories (id),
  CONSTRAINT products_price_non_negative CHECK (price_minor >= 0),
  CONSTRAINT products_stock_non_negative CHECK (stock >= 0),
  CONSTRAINT products_version_positive CHECK (version >= 1)
);

-- Listing: every sort order ends with id so that pages never overlap or skip rows; the same
-- indexes serve the descending orders by backward scans.
CREATE INDEX products_by_name ON products (name, id);
CREATE INDEX products_by_price ON products (price_minor, id);
CREATE INDEX products_by_category_name ON products (category_id, name, id);
CREATE INDEX products_by_category_price ON products (category_id, price_minor, id);
