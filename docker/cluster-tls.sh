#!/usr/bin/env bash
# Makes the cluster's TLS material in DIR: a CA of its own (ca.crt; its key is discarded, so nothing
# else can ever be signed by it), and one certificate with its key that every shop node presents and
# checks on the event bus (cluster.crt, cluster.key: PKCS#8 PEM, EC P-256, usable as server and client).
# The compose, k8s and nomad secret scripts call it; SHOP_CLUSTER_TLS_CERT / _KEY / _CA point at the files.
# Existing files are kept (FORCE=1 replaces them: then every node needs the new files at once).
#
#   docker/cluster-tls.sh DIR [DAYS]        (DAYS: validity, 825 by default)
set -euo pipefail
dir=${1:?usage: docker/cluster-tls.sh DIR [DAYS]}
days=${2:-825}
command -v openssl >/dev/null || { echo "cluster-tls.sh: openssl is needed (apt-get install openssl)" >&2; exit 1; }
if [ -f "$dir/cluster.crt" ] && [ -f "$dir/cluster.key" ] && [ -f "$dir/ca.crt" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "cluster-tls.sh: $dir/cluster.crt exists, kept (FORCE=1 replaces it)" >&2
  exit 0
fi
umask 077
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca.key" 2>/dev/null
openssl req -x509 -new -key "$work/ca.key" -sha256 -days "$days" -subj "/CN=vertx-shop cluster CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$work/ca.crt" 2>/dev/null

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/cluster.key" 2>/dev/null
openssl req -new -key "$work/cluster.key" -subj "/CN=vertx-shop cluster member" -out "$work/cluster.csr" 2>/dev/null
cat >"$work/ext.cnf" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyAgreement
extendedKeyUsage=serverAuth,clientAuth
EXT
openssl x509 -req -in "$work/cluster.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -sha256 \
  -days "$days" -extfile "$work/ext.cnf" -out "$work/cluster.crt" 2>/dev/null
openssl verify -CAfile "$work/ca.crt" -purpose sslclient "$work/cluster.crt" >/dev/null
openssl verify -CAfile "$work/ca.crt" -purpose sslserver "$work/cluster.crt" >/dev/null

cp "$work/ca.crt" "$work/cluster.crt" "$work/cluster.key" "$dir/"
chmod 0644 "$dir/ca.crt" "$dir/cluster.crt"
chmod 0600 "$dir/cluster.key"
echo "cluster-tls.sh: wrote $dir/ca.crt, cluster.crt, cluster.key (valid $days days)" >&2
