-- Notifications shown to users. The inbox table (consumed event ids) comes from the platform
-- migration applied before this one into the same schema.

CREATE TABLE notifications (
  id         UUID        PRIMARY KEY,
  user_id    UUID        NOT NULL,
  -- The event type that caused it (OrderConfirmed, PaymentCaptured...).
  type       TEXT        NOT NULL,
  title      TEXT        NOT NULL,
  body       TEXT        NOT NULL,
  order_id   UUID,
  -- One notification per event, even if the inbox were bypassed.
  event_id   UUID        NOT NULL,
  -- When the event happened (its occurredAt), so a backlog replayed after an outage keeps its order.
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT notifications_event_unique UNIQUE (event_id),
  CONSTRAINT notifications_title_not_blank CHECK (btrim(title) <> '')
);

-- A user's page, newest first; id breaks ties so pages never overlap or skip rows.
CREATE INDEX notifications_by_user ON notifications (user_id, created_at DESC, id DESC);
