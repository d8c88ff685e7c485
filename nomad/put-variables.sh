#!/usr/bin/env bash
# Stores the shop's secrets as Nomad Variables at nomad/jobs/shop (readable by the shop job's tasks, and
# by the postgres job through nomad/acl/postgres-reads-shop-variables.policy.hcl): a random password
# per database role, the gateway admin token, the users service's RS256 signing key (PKCS#8 PEM), the
# cluster secret and the event bus's TLS material (cluster_tls_cert, _key, _ca by docker/cluster-tls.sh).
# Refuses to overwrite existing variables (FORCE=1 does, but PostgreSQL keeps the passwords it was
# initialised with until its volume is emptied).
set -euo pipefail
command -v nomad >/dev/null || { echo "put-variables.sh: the nomad CLI is needed (NOMAD_ADDR, NOMAD_TOKEN)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "put-variables.sh: openssl is needed" >&2; exit 1; }
if nomad var get nomad/jobs/shop >/dev/null 2>&1 && [ "${FORCE:-0}" != 1 ]; then
  echo "put-variables.sh: nomad/jobs/shop exists, kept (FORCE=1 replaces it)" >&2
  exit 0
fi
random() { openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | cut -c1-32; }
key=$(mktemp)
tls=$(mktemp -d)
trap 'rm -rf "$key" "$tls"' EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null
"$(dirname "$0")/../docker/cluster-tls.sh" "$tls" 2>/dev/null
args=(postgres_password="$(random)" admin_token="$(random)" jwt_private_key=@"$key" cluster_secret="$(random)"
  cluster_tls_cert=@"$tls/cluster.crt" cluster_tls_key=@"$tls/cluster.key" cluster_tls_ca=@"$tls/ca.crt")
for role in catalog users cart orders payments notifications auditor; do
  args+=("db_password_$role=$(random)")
done
nomad var put -force nomad/jobs/shop "${args[@]}" >/dev/null
echo "put-variables.sh: stored nomad/jobs/shop (${#args[@]} items)" >&2
