#!/usr/bin/env bash
# Builds the local base images that stand in for registry images when no registry is reachable:
#
#   vertx-shop/jre:17         Debian 12 minbase + openjdk-17-jre-headless  (stands in for eclipse-temurin:17-jre)
#   vertx-shop/postgres-os:15 Debian 12 minbase + postgresql-15            (the OS layer of vertx-shop/postgres)
#   vertx-shop/haproxy-os:2.6 Debian 12 minbase + haproxy                  (the edge proxy of Compose and Nomad)
#
# Each one is a `debootstrap --variant=minbase bookworm` root file system with its packages installed
# in a chroot, trimmed (no docs, man pages, locales, apt lists or caches) and `docker import`ed, so
# nothing but Debian's package mirror is needed. An image that already exists is kept (FORCE=1
# rebuilds). Needs root, debootstrap and a running Docker daemon.
#
# Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian), FORCE=1, ONLY="jre postgres haproxy".
set -euo pipefail

MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
ONLY=${ONLY:-"jre postgres haproxy"}
# Fixed numeric ids, so that Kubernetes securityContext and Nomad can name them and volumes keep owners.
SHOP_UID=10001
POSTGRES_UID=999

declare -A IMAGE=(
  [jre]=vertx-shop/jre:17
  [postgres]=vertx-shop/postgres-os:15
  [haproxy]=vertx-shop/haproxy-os:2.6
)
declare -A PACKAGES=(
  [jre]="openjdk-17-jre-headless"
  [postgres]="postgresql-15"
  [haproxy]="haproxy"
)

log() { printf '%s build-base: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap and chroot)"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
docker info >/dev/null 2>&1 || die "no Docker daemon answers (start dockerd)"

todo=()
for variant in $ONLY; do
  [ -n "${IMAGE[$variant]:-}" ] || die "unknown variant '$variant' (jre, postgres, haproxy)"
  if [ "${FORCE:-0}" != 1 ] && docker image inspect "${IMAGE[$variant]}" >/dev/null 2>&1; then
    log "${IMAGE[$variant]} exists, kept (FORCE=1 rebuilds)"
  else
    todo+=("$variant")
  fi
done
[ ${#todo[@]} -gt 0 ] || exit 0

work=$(mktemp -d /var/tmp/vertx-shop-base.XXXXXX)
cleanup() {
  for m in "$work"/*/proc; do mountpoint -q "$m" 2>/dev/null && umount -l "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

start=$(date +%s)
log "debootstrap --variant=minbase $SUITE from $MIRROR"
debootstrap --variant=minbase --arch="$(dpkg --print-architecture)" "$SUITE" "$work/minbase" "$MIRROR" \
  >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
log "minbase ready in $(( $(date +%s) - start )) s"

in_chroot() { chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "${@:2}"; }

build_variant() {
  local variant=$1 root="$work/$1"
  local t0; t0=$(date +%s)
  cp -a "$work/minbase" "$root"
  # Installed daemons must not start inside the chroot; nothing should pull in recommends or docs.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
  cat >"$root/etc/apt/apt.conf.d/90vertx-shop" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
  cat >"$root/etc/dpkg/dpkg.cfg.d/90vertx-shop-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  echo "deb $MIRROR $SUITE main" >"$root/etc/apt/sources.list"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
  # Accounts with fixed ids before the packages would create them with whatever id is free.
  in_chroot "$root" groupadd --gid "$SHOP_UID" shop
  in_chroot "$root" useradd --uid "$SHOP_UID" --gid "$SHOP_UID" --home-dir /opt/shop --no-create-home --shell /usr/sbin/nologin shop
  if [ "$variant" = postgres ]; then
    in_chroot "$root" groupadd --system --gid "$POSTGRES_UID" postgres
    in_chroot "$root" useradd --system --uid "$POSTGRES_UID" --gid "$POSTGRES_UID" --home-dir /var/lib/postgresql --no-create-home --shell /bin/bash postgres
    # The image makes its own cluster at first start (docker/postgres/entrypoint.sh), not at install.
    mkdir -p "$root/etc/postgresql-common/createcluster.d"
    echo "create_main_cluster = false" >"$root/etc/postgresql-common/createcluster.d/no-main-cluster.conf"
  fi
  in_chroot "$root" apt-get update -qq >/dev/null
  # shellcheck disable=SC2086 # a list of packages
  in_chroot "$root" apt-get install -y -qq ${PACKAGES[$variant]} >"$work/$variant-apt.log" 2>&1 \
    || { tail -30 "$work/$variant-apt.log" >&2; die "apt-get install ${PACKAGES[$variant]} failed"; }
  in_chroot "$root" apt-get clean
  umount "$root/proc"

  # Trim: what a container never reads.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
         "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
         "$root"/usr/share/lintian "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/* \
         "$root"/usr/sbin/policy-rc.d "$root"/etc/machine-id
  : >"$root/etc/resolv.conf"
  : >"$root/etc/hostname"
  chmod 1777 "$root/tmp" "$root/var/tmp"

  local changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
                 --change 'ENV LANG=C.UTF-8'
                 --change 'CMD ["/bin/bash"]')
  case $variant in
    jre)
      local java_home
      # shellcheck disable=SC2016 # expanded by the chroot's shell
      java_home=$(chroot "$root" /bin/sh -c 'dirname "$(dirname "$(readlink -f /usr/bin/java)")"')
      changes+=(--change "ENV JAVA_HOME=$java_home")
      ;;
    postgres)
      changes+=(--change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
      ;;
  esac
  tar --numeric-owner -C "$root" -c . \
    | docker import "${changes[@]}" \
        --message "debootstrap --variant=minbase $SUITE + ${PACKAGES[$variant]} (vertx-shop docker/build-base.sh)" \
        - "${IMAGE[$variant]}" >/dev/null
  log "${IMAGE[$variant]}: $(docker image inspect -f '{{.Size}}' "${IMAGE[$variant]}" | awk '{printf "%.0f MB", $1/1e6}') in $(( $(date +%s) - t0 )) s"
  rm -rf "$root"
}

for variant in "${todo[@]}"; do
  build_variant "$variant"
done
log "done in $(( $(date +%s) - start )) s"
