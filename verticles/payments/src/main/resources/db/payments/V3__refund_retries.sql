-- A cancel that must refund (or must ask the provider whether there is anything to refund) is a
-- pending compensation until it settles: refund_due_at says when the refund sweeper tries it next.
-- It is set when a cancel begins for a payment that may have a capture, and when a capture arrives
-- after a cancel began; a failed try moves it later (doubling backoff); a settled cancel clears it.

ALTER TABLE payments
  ADD COLUMN refund_due_at   TIMESTAMPTZ,
  -- Failed tries of the pending compensation, and the last failure, for operators.
  ADD COLUMN refund_attempts INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN refund_error    TEXT;

CREATE INDEX payments_refund_due ON payments (refund_due_at) WHERE refund_due_at IS NOT NULL;
