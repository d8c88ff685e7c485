-- The users service: accounts and sign-in throttling. The outbox and inbox tables come from the
-- platform migration applied before this one into the same schema.

CREATE TABLE users (
  id            UUID        PRIMARY KEY,
  -- Stored as registered; uniqueness and sign-in compare lower(email) (see the index below).
  email         TEXT        NOT NULL,
  name          TEXT        NOT NULL,
  -- An Argon2id PHC string ($argon2id$v=19$m=..,t=..,p=..$salt$hash): the parameters travel with
  -- the hash, so they can be raised later without invalidating existing accounts.
  password_hash TEXT        NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT users_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
  CONSTRAINT users_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
  CONSTRAINT users_password_hash_argon2id CHECK (password_hash LIKE '$argon2id$%')
);

-- The only arbiter of "e-mail taken": exact under concurrent registrations, where a SELECT first
-- would race. The service matches the name to answer CONFLICT. Also serves sign-in lookups.
CREATE UNIQUE INDEX users_email_lower_unique ON users (lower(email));

-- Sign-in attempts per account and per client address, one fixed window per row. Subjects are
-- SHA-256 digests (base64url) of the lower-cased e-mail or the address, so the table holds no
-- personal data in clear. Rows whose window has passed are pruned periodically, which bounds the
-- table to the subjects seen within one window.
CREATE TABLE login_attempts (
  scope        TEXT        NOT NULL,
  subject      TEXT        NOT NULL,
  window_start TIMESTAMPTZ NOT NULL,
  attempts     INTEGER     NOT NULL,
  PRIMARY KEY (scope, subject),
  CONSTRAINT login_attempts_scope CHECK (scope IN ('account', 'address')),
  CONSTRAINT login_attempts_non_negative CHECK (attempts >= 0)
);
CREATE INDEX login_attempts_by_window_start ON login_attempts (window_start);
