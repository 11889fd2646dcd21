#!/usr/bin/env bash
# Starts a Docker engine (Debian's docker.io: dockerd + containerd) when none answers, and waits for its
# socket. Safe to call twice. No image registry is reachable on these machines: deploy/images/build.sh
# makes every image the project needs from Debian's packages.
#   deploy/images/dockerd.sh [start|status|stop]
# Env: DOCKERD_INSTALL=1 installs docker.io, docker-compose and debootstrap with apt-get when missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state=${DOCKERD_STATE_DIR:-$root/.cache/dockerd}
pidfile=$state/dockerd.pid
logfile=$state/dockerd.log
sock=/var/run/docker.sock
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

log() { printf '[dockerd] %s\n' "$*" >&2; }

answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

install() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v iptables >/dev/null || missing+=(iptables)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]} from Debian's packages"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
    { $sudo apt-get update -q >&2 && $sudo env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
}

start() {
  [ "${DOCKERD_INSTALL:-0}" = 1 ] && install
  if answers; then
    log "an engine already answers on $sock"
    return
  fi
  command -v dockerd >/dev/null || { log "dockerd not found: DOCKERD_INSTALL=1 $0 start installs docker.io"; exit 1; }
  mkdir -p "$state"
  log "starting dockerd (log: $logfile)"
  # setsid: the engine outlives the shell that started it (a CI step, a test run)
  $sudo setsid nohup dockerd --pidfile "$pidfile" >"$logfile" 2>&1 </dev/null &
  local deadline=$((SECONDS + ${DOCKERD_START_TIMEOUT:-60}))
  until answers; do
    if [ $SECONDS -ge $deadline ]; then
      log "dockerd did not answer within ${DOCKERD_START_TIMEOUT:-60}s; last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  log "ready: engine $(docker version --format '{{.Server.Version}}') on $sock"
}

stop() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "stopping dockerd (pid $(cat "$pidfile"))"
    $sudo kill "$(cat "$pidfile")"
  else
    log "no dockerd started from here"
  fi
}

case "${1:-start}" in
  start) start ;;
  status) answers && docker version --format 'engine {{.Server.Version}}' || { echo "no engine"; exit 1; } ;;
  stop) stop ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
