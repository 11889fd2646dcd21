#!/usr/bin/env bash
# Builds every image the project runs in containers, with no image registry: a Debian base made by
# debootstrap + `docker import`, then the platform (one image; SERVICE picks the service), PostgreSQL,
# Redis (Debian's packages) and Kafka (Apache's jars from Maven Central, Java from Debian) on it.
# Each image is tagged by a hash of its inputs: a second build with the same inputs skips it.
#   deploy/images/build.sh [base|node|postgres|redis|kafka|platform ...]   (default: all)
# Env:
#   PLATFORM_BUILT=1      dist/ and apps/console/dist are this tree's build: the platform image takes them
#                         as they are instead of running `npm run build` and `npm run console:build`
#   IMAGE_BASE=local      (default) the debootstrap base; =official takes debian:bookworm-slim and
#                         node:20-bookworm-slim from a registry (the same Dockerfiles, other build args)
#   DEBIAN_MIRROR         (http://deb.debian.org/debian)
#   IMAGE_PREFIX          (credit) image names are $IMAGE_PREFIX/<name>
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${IMAGES_CACHE_DIR:-$root/.cache/images}
mode=${IMAGE_BASE:-local}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
prefix=${IMAGE_PREFIX:-credit}
# the legacy builder: Debian's engine has no buildx, and it needs nothing but the engine
export DOCKER_BUILDKIT=0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

log() { printf '[images] %s\n' "$*" >&2; }

# A short hash of strings and files (directories: every file in them, by path and content).
inputs_hash() {
  local item
  for item in "$@"; do
    if [ -d "$item" ]; then
      (cd "$item" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
    elif [ -f "$item" ]; then
      sha256sum <"$item"
    else
      printf '%s\n' "$item"
    fi
  done | sha256sum | cut -c1-12
}

have() { docker image inspect "$1" >/dev/null 2>&1; }
image_id() { docker image inspect --format '{{.Id}}' "$1"; }

# build <name> <tag> <alias> <context> [docker build args…]: skips when the tag exists
build() {
  local name=$1 tag=$2 alias=$3 context=$4
  shift 4
  if have "$tag"; then
    log "$name: $tag exists (same inputs), skipped"
  else
    log "$name: building $tag"
    local t0=$SECONDS
    # host network: the build's apt-get and npm reach the mirrors the way the machine does
    docker build --network host -t "$tag" "$@" "$context" >"$cache/build-$name.log" 2>&1 ||
      { tail -n 40 "$cache/build-$name.log" >&2; log "$name: build failed (log: $cache/build-$name.log)"; exit 1; }
    log "$name: built in $((SECONDS - t0)) s"
  fi
  docker tag "$tag" "$alias"
}

debian_image() {
  if [ "$mode" = official ]; then
    echo debian:bookworm-slim
    return
  fi
  local include=ca-certificates
  local h
  h=$(inputs_hash "$suite" "$mirror" minbase "$include" base-v1)
  local tag=$prefix/debian:$suite-$h
  if ! have "$tag"; then
    command -v debootstrap >/dev/null || { log "debootstrap not found: DOCKERD_INSTALL=1 deploy/images/dockerd.sh installs it"; exit 1; }
    local rootfs=$cache/rootfs-$h t0=$SECONDS
    log "base: debootstrap $suite ($mirror) into $rootfs"
    $sudo rm -rf "$rootfs"
    mkdir -p "$cache"
    $sudo debootstrap --variant=minbase --include="$include" "$suite" "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
      { tail -n 30 "$cache/debootstrap.log" >&2; exit 1; }
    # the sources the images' apt-get use, security updates included; no caches in the image
    $sudo tee "$rootfs/etc/apt/sources.list" >/dev/null <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb http://deb.debian.org/debian-security $suite-security main
SOURCES
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' |
      $sudo tee "$rootfs/etc/apt/apt.conf.d/99-no-recommends" >/dev/null
    $sudo rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
    log "base: docker import as $tag"
    $sudo tar -C "$rootfs" --numeric-owner -c . |
      docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' - "$tag" >/dev/null
    $sudo rm -rf "$rootfs"
    log "base: made in $((SECONDS - t0)) s"
  else
    log "base: $tag exists (same inputs), skipped"
  fi
  docker tag "$tag" "$prefix/debian:$suite"
  echo "$tag"
}

# Node 20: Debian bookworm has only Node 18, so the machine's own Node 20 binary and npm go onto the base.
node_image() {
  local base=$1
  if [ "$mode" = official ]; then
    echo node:20-bookworm-slim
    return
  fi
  local node npm_dir ctx h
  node=$(readlink -f "$(command -v node)")
  npm_dir=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)
  h=$(inputs_hash "$(image_id "$base")" "$node" "$npm_dir/package.json" "$here/node")
  ctx=$cache/ctx-node
  if ! have "$prefix/node:20-$h"; then
    rm -rf "$ctx" && mkdir -p "$ctx"
    cp "$here/node/Dockerfile" "$ctx/"
    cp "$node" "$ctx/node"
    cp -r "$npm_dir" "$ctx/npm"
  fi
  build node "$prefix/node:20-$h" "$prefix/node:20" "$ctx" --build-arg "BASE=$base" >&2
  echo "$prefix/node:20-$h"
}

simple_image() { # name version base [extra context dirs…]
  local name=$1 version=$2 base=$3
  shift 3
  local h ctx=$cache/ctx-$name
  h=$(inputs_hash "$(image_id "$base")" "$here/$name" "$@")
  if ! have "$prefix/$name:$version-$h"; then
    rm -rf "$ctx" && mkdir -p "$ctx"
    cp -r "$here/$name/." "$ctx/"
    local extra
    for extra in "$@"; do cp -r "$extra" "$ctx/"; done
  fi
  build "$name" "$prefix/$name:$version-$h" "$prefix/$name:$version" "$ctx" --build-arg "BASE=$base"
}

kafka_image() {
  local base=$1
  bash "$root/deploy/local/kafka.sh" fetch
  simple_image kafka 3.9 "$base" "${KAFKA_HOME_DIR:-$root/.cache/kafka}/libs"
}

# The platform. With a registry (IMAGE_BASE=official): the root Dockerfile, which builds inside the image.
# Here: build containers cannot reach npm (the machine's TLS proxy), so the services and the console are
# built on this machine and staged (deploy/images/platform/Dockerfile) over an image of the production
# node_modules (deploy/images/platform/deps.Dockerfile), which is tagged by the lockfile's hash: a change
# of the source tree re-stages only dist/ and the console, a few MB. PLATFORM_BUILT=1: dist/ and
# apps/console/dist are this tree's build already (CI builds once, before, decision 0060); else build.sh
# runs `npm run build` and `npm run console:build` itself.

# the production node_modules (npm prune --omit=dev of this machine's install), cached by the lockfile;
# sets platform_deps to the tag (not echoed: a command substitution would run it without `set -e`)
platform_deps=""
platform_deps_image() {
  local node=$1 h ctx=$cache/ctx-platform-deps
  h=$(inputs_hash "$(image_id "$node")" "$root/package-lock.json" "$here/platform/deps.Dockerfile")
  local tag=$prefix/platform-deps:$h
  if ! have "$tag"; then
    local t0=$SECONDS
    rm -rf "$ctx" && mkdir -p "$ctx"
    cp "$root/package.json" "$root/package-lock.json" "$ctx/"
    cp "$here/platform/deps.Dockerfile" "$ctx/Dockerfile"
    # node_modules may be a symlink (worktrees): copy what it points at, then drop the dev dependencies
    cp -a "$(readlink -f "$root/node_modules")" "$ctx/node_modules"
    (cd "$ctx" && npm prune --omit=dev --no-audit --no-fund --offline) >"$cache/deps-prune.log" 2>&1 ||
      { tail -n 30 "$cache/deps-prune.log" >&2; exit 1; }
    rm "$ctx/package.json" "$ctx/package-lock.json"
    log "platform-deps: staged in $((SECONDS - t0)) s ($(du -sh "$ctx/node_modules" | cut -f1) of node_modules)"
  fi
  build platform-deps "$tag" "$prefix/platform-deps:local" "$ctx" --build-arg "NODE_IMAGE=$node"
  rm -rf "$ctx"
  platform_deps=$tag
}

platform_image() {
  local node=$1 h
  [ "$mode" = official ] || platform_deps_image "$node"
  h=$(inputs_hash "$(image_id "$node")" "$mode" "$platform_deps" "$root/Dockerfile" "$root/.dockerignore" \
    $(cd "$root" && git ls-files --cached --others --exclude-standard -- package.json package-lock.json \
      'tsconfig*.json' apps libs scripts deploy/images/platform | sed "s|^|$root/|"))
  local tag=$prefix/platform:$h
  # what the tag was made of, to tell why a build was not skipped
  (cd "$root" && git ls-files --cached --others --exclude-standard -- package.json package-lock.json \
    'tsconfig*.json' apps libs scripts deploy/images/platform | xargs -r sha256sum) >"$cache/platform-inputs-$h.txt"
  if [ "$mode" = official ]; then
    build platform "$tag" "$prefix/platform:local" "$root" --build-arg "NODE_IMAGE=$node"
    return
  fi
  local ctx=$cache/ctx-platform
  if ! have "$tag"; then
    local t0=$SECONDS
    if [ "${PLATFORM_BUILT:-0}" = 1 ]; then
      [ -f "$root/dist/apps/registry/src/main.js" ] && [ -f "$root/apps/console/dist/index.html" ] ||
        { log "PLATFORM_BUILT=1 but dist/ or apps/console/dist is missing (npm run build, npm run console:build)"; exit 1; }
      log "platform: the build already made (PLATFORM_BUILT=1): dist/ and apps/console/dist"
    else
      log "platform: npm run build and console:build, on this machine"
      (cd "$root" && npm run -s build && npm run -s console:build) >"$cache/host-build.log" 2>&1 ||
        { tail -n 30 "$cache/host-build.log" >&2; exit 1; }
    fi
    rm -rf "$ctx" && mkdir -p "$ctx"
    cp "$root/package.json" "$here/platform/Dockerfile" "$here/platform/entrypoint.sh" "$ctx/"
    cp -a "$root/dist" "$ctx/dist"
    cp -a "$root/apps/console/dist" "$ctx/console"
    log "platform: staged in $((SECONDS - t0)) s"
  fi
  build platform "$tag" "$prefix/platform:local" "$ctx" --build-arg "DEPS_IMAGE=$platform_deps"
  rm -rf "$ctx"
}

main() {
  mkdir -p "$cache"
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
    { log "no Docker engine answers: run deploy/images/dockerd.sh first"; exit 1; }
  local wanted=("$@")
  [ ${#wanted[@]} -eq 0 ] && wanted=(postgres redis kafka platform)
  local t0=$SECONDS base node=""
  base=$(debian_image)
  for w in "${wanted[@]}"; do
    case "$w" in
      base) ;;
      node) node=$(node_image "$base") ;;
      postgres) simple_image postgres 15 "$base" ;;
      redis) simple_image redis 7 "$base" ;;
      kafka) kafka_image "$base" ;;
      platform) [ -n "$node" ] || node=$(node_image "$base"); platform_image "$node" ;;
      *) log "unknown image $w"; exit 2 ;;
    esac
  done
  log "done in $((SECONDS - t0)) s ($mode base): $(docker images --format '{{.Repository}}:{{.Tag}}' "$prefix/*" | grep -v -- '-[0-9a-f]\{12\}$' | sort | tr '\n' ' ')"
}

main "$@"
