#!/usr/bin/env bash
# promtool (Prometheus's rule checker) for CI's check of deploy/observability/alerts.yml. Taken out of
# Debian's `prometheus` package without installing it: installing would register and start a Prometheus
# server, which CI has no use for. The .deb stays in apt's cache, so a second run costs nothing.
# Quick and silent when promtool is already on the PATH.
set -euo pipefail
command -v promtool >/dev/null 2>&1 && exit 0
target=${PROMTOOL_INSTALL_DIR:-/usr/local/bin}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
archives=/var/cache/apt/archives
deb=$(ls "$archives"/prometheus_*.deb 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$deb" ]; then
  echo "downloading Debian's prometheus package (for promtool)…"
  $SUDO apt-get install -y -qq --download-only --no-install-recommends prometheus >/dev/null ||
    { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --download-only --no-install-recommends prometheus >/dev/null; }
  deb=$(ls "$archives"/prometheus_*.deb | sort -V | tail -1)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" ./usr/bin/promtool
$SUDO install -m 0755 "$work/usr/bin/promtool" "$target/promtool"
"$target/promtool" --version 2>&1 | head -1
