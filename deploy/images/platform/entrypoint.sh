#!/bin/sh
# Secrets from files (compose secrets, Kubernetes secret volumes): every variable NAME_FILE=/path becomes
# NAME=<the file's content, trailing newline dropped>, unless NAME is set already. Then the command.
set -eu
for pair in $(env | grep -o '^[A-Z][A-Z0-9_]*_FILE=' || true); do
  var=${pair%_FILE=}
  file=$(printenv "${var}_FILE")
  if [ -z "$(printenv "$var" || true)" ] && [ -f "$file" ]; then
    export "$var=$(cat "$file")"
  fi
done
exec "$@"
