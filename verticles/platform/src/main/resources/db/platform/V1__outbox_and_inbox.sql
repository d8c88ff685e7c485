-- Shared by every service, applied into the service's own schema before its own migrations.

-- Transactional outbox: rows written in the same transaction as the state change they describe,
-- relayed to Kafka by the outbox relay in id order.
CREATE TABLE outbox (
  id           BIGSERIAL PRIMARY KEY,
  event_id     UUID        NOT NULL UNIQUE,
  topic        TEXT        NOT NULL,
  event_key    TEXT        NOT NULL,
  event_type   TEXT        NOT NULL,
  payload      JSONB       NOT NULL,
  correlation_id TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Idempotent consumers: an event id recorded here in the same transaction as its effect is never
-- applied twice.
CREATE TABLE inbox (
  consumer     TEXT        NOT NULL,
  event_id     UUID        NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
