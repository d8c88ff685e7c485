-- A cancel that found no capture for a payment it had attempted looks again a few times (rechecks_left):
-- a charge request the provider processed late (queued, or answered after the caller gave up) may only
-- show up after that first look; found then, it is refunded.
-- NEEDS_ATTENTION: a payment whose capture state cannot be established (the provider has no record of
-- a capture we recorded): never decided silently nor retried for ever; attention_reason says why.

ALTER TABLE payments
  ADD COLUMN rechecks_left    INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN attention_reason TEXT;

ALTER TABLE payments DROP CONSTRAINT payments_status_known;
ALTER TABLE payments ADD CONSTRAINT payments_status_known
  CHECK (status IN ('PENDING', 'CAPTURED', 'DECLINED', 'FAILED', 'REFUNDED', 'CANCELLED', 'NEEDS_ATTENTION'));
ALTER TABLE payments ADD CONSTRAINT payments_attention_reason CHECK ((status = 'NEEDS_ATTENTION') = (attention_reason IS NOT NULL));

CREATE INDEX payments_needing_attention ON payments (updated_at) WHERE status = 'NEEDS_ATTENTION';
