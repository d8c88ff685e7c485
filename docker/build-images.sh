#!/usr/bin/env bash
# Builds every Vert.x Shop image, tagged with VERSION:
#
#   vertx-shop/<service>:VERSION  for gateway catalog users cart orders payments notifications search payment-provider
#   vertx-shop/kafka:VERSION      single-node KRaft broker (jars from Maven Central, docker/kafka/pom.xml)
#   vertx-shop/postgres:VERSION   PostgreSQL 15 with the shop's roles and schemas
#
# Usage: docker/build-images.sh VERSION          (e.g. docker/build-images.sh 0.1.0)
#
# The service images come from the fat jars (verticles/<service>/target/shop-<service>-*-fat.jar: run
# `./mvnw -B -DskipTests package` first). BASE_IMAGE (default vertx-shop/jre:17, made by
# docker/build-base.sh when missing) may name a registry image instead, e.g. eclipse-temurin:17-jre.
# SERVICES="gateway catalog" limits the service images built. Each build gets a context holding only
# what its Dockerfile copies (hard links), so the repository's other build output is never sent.
set -euo pipefail

VERSION=${1:?usage: docker/build-images.sh VERSION}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

ALL_SERVICES="gateway catalog users cart orders payments notifications search payment-provider"
SERVICES=${SERVICES:-$ALL_SERVICES}
BASE_IMAGE=${BASE_IMAGE:-vertx-shop/jre:17}
POSTGRES_BASE_IMAGE=${POSTGRES_BASE_IMAGE:-vertx-shop/postgres-os:15}
PROJECT_VERSION=0.1.0-SNAPSHOT

log() { printf '%s build-images: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

docker info >/dev/null 2>&1 || die "no Docker daemon answers (start dockerd)"
case $VERSION in
  latest|"") die "pin a version (e.g. 0.1.0); 'latest' is not a version" ;;
esac

missing_base=()
for image in "$BASE_IMAGE" "$POSTGRES_BASE_IMAGE" vertx-shop/haproxy-os:2.6; do
  case $image in
    vertx-shop/*) docker image inspect "$image" >/dev/null 2>&1 || missing_base+=("$image") ;;
  esac
done
if [ ${#missing_base[@]} -gt 0 ]; then
  log "local base images missing (${missing_base[*]}): running docker/build-base.sh"
  "$root/docker/build-base.sh"
fi

revision=$(git -C "$root" rev-parse --verify --quiet HEAD 2>/dev/null || echo unknown)
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
common_args=(--build-arg "VERSION=$VERSION" --build-arg "REVISION=$revision" --build-arg "CREATED=$created")

stage_root="$root/docker/target/contexts"
rm -rf "$stage_root"
mkdir -p "$stage_root"
trap 'rm -rf "$stage_root"' EXIT

# A build context with the given repository files, linked (or copied across file systems).
stage() {
  local dir=$1; shift
  for path in "$@"; do
    mkdir -p "$dir/$(dirname "$path")"
    cp -al "$root/$path" "$dir/$path" 2>/dev/null || cp -a "$root/$path" "$dir/$path"
  done
}

build() {
  local tag=$1 dockerfile=$2 context=$3; shift 3
  local t0; t0=$(date +%s)
  if ! docker build -f "$context/$dockerfile" "${common_args[@]}" "$@" -t "$tag" "$context" >"$context.log" 2>&1; then
    tail -30 "$context.log" >&2
    die "docker build of $tag failed"
  fi
  log "$tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'), $(( $(date +%s) - t0 )) s)"
}

start=$(date +%s)
for service in $SERVICES; do
  jar="verticles/$service/target/shop-$service-$PROJECT_VERSION-fat.jar"
  [ -f "$jar" ] || die "$jar is missing: run ./mvnw -B -DskipTests package first"
  ctx="$stage_root/$service"
  stage "$ctx" docker/service/Dockerfile docker/service/shop-entrypoint docker/service/shop-healthcheck "$jar"
  build "vertx-shop/$service:$VERSION" docker/service/Dockerfile "$ctx" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "SERVICE=$service" --build-arg "JAR=$jar"
done

if [ ! -d docker/kafka/target/lib ] || [ -z "$(ls -A docker/kafka/target/lib 2>/dev/null)" ]; then
  log "gathering the Kafka broker jars (docker/kafka/pom.xml)"
  ./mvnw -B -q -f docker/kafka/pom.xml dependency:copy-dependencies
fi
ctx="$stage_root/kafka"
stage "$ctx" docker/kafka/Dockerfile docker/kafka/logback.xml docker/kafka/kafka-entrypoint docker/kafka/kafka-healthcheck docker/kafka/target/lib
build "vertx-shop/kafka:$VERSION" docker/kafka/Dockerfile "$ctx" --build-arg "BASE_IMAGE=$BASE_IMAGE"

ctx="$stage_root/postgres"
stage "$ctx" docker/postgres/Dockerfile docker/postgres/postgres-entrypoint docker/postgres/initdb
build "vertx-shop/postgres:$VERSION" docker/postgres/Dockerfile "$ctx" --build-arg "BASE_IMAGE=$POSTGRES_BASE_IMAGE"

log "all images built in $(( $(date +%s) - start )) s"
