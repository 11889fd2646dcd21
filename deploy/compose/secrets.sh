#!/usr/bin/env bash
# Writes the compose stack's secret files (deploy/compose/secrets/*) once: a random database password
# and the URL that carries it, the webhook key (32 random bytes, base64, decision 0022) and a JWT secret
# (used only without AUTH_JWKS_URL, i.e. development and test). Existing files are kept.
#   deploy/compose/secrets.sh [dir]
set -euo pipefail
dir=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets}
mkdir -p "$dir"
chmod 700 "$dir"
rand() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
put() { # name value: only when missing; readable in the containers (their users differ), not in the dir
  [ -s "$dir/$1" ] && return
  printf '%s' "$2" >"$dir/$1"
  chmod 644 "$dir/$1"
}
put postgres_password "$(rand 24 | tr -d '/+=')"
put database_url "postgres://credit:$(cat "$dir/postgres_password")@postgres:5432/credit"
put webhook_secret_key "$(rand 32)"
put jwt_secret "$(rand 48)"
echo "secrets in $dir"
