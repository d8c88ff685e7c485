#!/usr/bin/env bash
# Writes the files the overlay's secretGenerator reads (k8s/overlays/<env>/secrets/, git-ignored): a
# random password per database role, the gateway admin token, and the users service's RS256 signing
# key (PKCS#8 PEM), the cluster secret and the event bus's TLS material (cluster.crt, cluster.key,
# cluster-ca.crt, by docker/cluster-tls.sh). Existing files are kept (FORCE=1 replaces them; the database keeps its old role
# passwords until its volume is recreated).
#
#   k8s/make-secrets.sh dev      then   kubectl apply -k k8s/overlays/dev
set -euo pipefail
env=${1:?usage: k8s/make-secrets.sh dev|prod}
dir="$(cd "$(dirname "$0")" && pwd)/overlays/$env/secrets"
[ -d "$(dirname "$dir")" ] || { echo "make-secrets.sh: no overlay '$env'" >&2; exit 1; }
command -v openssl >/dev/null || { echo "make-secrets.sh: openssl is needed (apt-get install openssl)" >&2; exit 1; }
umask 077
mkdir -p "$dir"

random() { openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | cut -c1-32; }
write() {
  local file="$dir/$1"
  if [ -f "$file" ] && [ "${FORCE:-0}" != 1 ]; then return; fi
  # No trailing newline: the file content is the value.
  printf '%s' "$2" >"$file"
  echo "make-secrets.sh: wrote overlays/$env/secrets/$1" >&2
}

write postgres-password "$(random)"
for role in catalog users cart orders payments notifications auditor; do
  write "db-password-$role" "$(random)"
done
write admin-token "$(random)"
if [ ! -f "$dir/jwt-private-key.pem" ] || [ "${FORCE:-0}" = 1 ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/jwt-private-key.pem" 2>/dev/null
  echo "make-secrets.sh: wrote overlays/$env/secrets/jwt-private-key.pem" >&2
fi
write cluster-secret "$(random)"
if [ ! -f "$dir/cluster.crt" ] || [ "${FORCE:-0}" = 1 ]; then
  tls=$(mktemp -d)
  trap 'rm -rf "$tls"' EXIT
  "$(dirname "$0")/../docker/cluster-tls.sh" "$tls" >/dev/null 2>&1
  cp "$tls/cluster.crt" "$tls/cluster.key" "$dir/"
  cp "$tls/ca.crt" "$dir/cluster-ca.crt"
  echo "make-secrets.sh: wrote overlays/$env/secrets/cluster.crt, cluster.key, cluster-ca.crt" >&2
fi
