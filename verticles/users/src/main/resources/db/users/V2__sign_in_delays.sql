-- Sign-in is slowed per account and client address (scope 'pair') instead of locking an account for
-- everyone: blocked_until is when a pair may try again. Sign-ups are counted per address (scope
-- 'register'). The per-account lockout rows ('account') go: they would only keep owners out.
ALTER TABLE login_attempts ADD COLUMN blocked_until TIMESTAMPTZ;
DELETE FROM login_attempts WHERE scope = 'account';
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_scope;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_scope CHECK (scope IN ('pair', 'address', 'register'));
