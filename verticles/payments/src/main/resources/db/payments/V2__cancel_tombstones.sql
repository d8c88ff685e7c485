-- A cancel of an order that has no payment yet leaves a tombstone: a CANCELLED row without user,
-- amount or currency. A charge for that order arriving later (queued on a stalled node, delivered after
-- the saga gave up) finds the row and is refused instead of creating a fresh payment and capturing.
-- The unique order_id makes a cancel and a charge racing for the first row decide in the database.

ALTER TABLE payments
  ALTER COLUMN user_id DROP NOT NULL,
  ALTER COLUMN amount_minor DROP NOT NULL,
  ALTER COLUMN currency DROP NOT NULL;

ALTER TABLE payments DROP CONSTRAINT payments_status_known;
ALTER TABLE payments ADD CONSTRAINT payments_status_known
  CHECK (status IN ('PENDING', 'CAPTURED', 'DECLINED', 'FAILED', 'REFUNDED', 'CANCELLED'));

-- Only a tombstone lacks the charge's fields, and a tombstone never had a provider call.
ALTER TABLE payments ADD CONSTRAINT payments_tombstone_shape CHECK (
  (status = 'CANCELLED') = (user_id IS NULL)
  AND (user_id IS NULL) = (amount_minor IS NULL)
  AND (user_id IS NULL) = (currency IS NULL)
  AND (status <> 'CANCELLED' OR (NOT attempted AND provider_charge_id IS NULL)));
