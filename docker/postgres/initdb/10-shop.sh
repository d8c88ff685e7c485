#!/bin/bash
# The Vert.x Shop database: database SHOP_DB_NAME (shop); per service in SHOP_DB_SERVICES a login role
# shop_<service> that owns the schema <service> (its Flyway migrations create the tables at start);
# and shop_auditor, read-only on every schema (the audit tool, tools/audit). Passwords come from the
# environment, one per role: SHOP_DB_PASSWORD_<SERVICE> (upper case, - as _), SHOP_DB_PASSWORD_AUDITOR.
# Runs once, on an empty data directory, as the superuser over the local socket.
set -euo pipefail

db=${SHOP_DB_NAME:-shop}
services=${SHOP_DB_SERVICES:-catalog users cart orders payments notifications}

password_of() {
  local var
  var="SHOP_DB_PASSWORD_$(printf '%s' "$1" | tr '[:lower:]-' '[:upper:]_')"
  if [ -z "${!var:-}" ]; then
    echo "10-shop.sh: $var is not set: every database role needs its password" >&2
    exit 1
  fi
  printf '%s' "${!var}"
}

run_sql() { psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet "$@"; }

run_sql --dbname=postgres -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I ENCODING ''UTF8'' TEMPLATE template0', :'db')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SQL

for service in $services; do
  role="shop_${service//-/_}"
  schema="${service//-/_}"
  run_sql --dbname="$db" -v db="$db" -v role="$role" -v schema="$schema" -v password="$(password_of "$service")" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'password') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'role') \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', :'schema', :'role') \gexec
SELECT format('ALTER SCHEMA %I OWNER TO %I', :'schema', :'role') \gexec
SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', :'role', :'db', :'schema') \gexec
SQL
  echo "10-shop.sh: role $role owns schema $db.$schema" >&2
done

run_sql --dbname="$db" -v db="$db" -v password="$(password_of auditor)" <<'SQL'
SELECT format('CREATE ROLE shop_auditor LOGIN PASSWORD %L', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shop_auditor') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO shop_auditor', :'db') \gexec
-- Reads every table of every schema, present and future; writes nothing.
GRANT pg_read_all_data TO shop_auditor;
ALTER ROLE shop_auditor SET default_transaction_read_only = on;
-- Nobody but the owners creates objects in public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
echo "10-shop.sh: role shop_auditor reads every schema of $db" >&2
