-- Idempotency keys of cart adds: an add sent again under the same key (a client retrying after a
-- timeout) answers what the first one answered instead of adding the units a second time.

CREATE TABLE idempotency_keys (
  -- A key belongs to one user: the same text sent by two users is two keys.
  user_id    UUID        NOT NULL,
  idem_key   TEXT        NOT NULL,
  -- The event-bus address the key was used on, and the request's own fields there (without userId
  -- and key): a key sent again with another product or quantity is refused, not answered.
  operation  TEXT        NOT NULL,
  request    JSONB       NOT NULL,
  -- The first answer (the priced cart after the add), given again to every replay. Written by the
  -- same transaction that claimed the key, before it commits: a committed row always has it.
  reply      JSONB,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- The claim is the first statement of the add's transaction: a concurrent add with the same key
  -- waits on this key, then finds the winner's row and answers its reply.
  PRIMARY KEY (user_id, idem_key),
  CONSTRAINT idempotency_keys_length CHECK (length(idem_key) BETWEEN 1 AND 64)
);

-- The pruning of keys older than the retention.
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
