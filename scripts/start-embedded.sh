#!/usr/bin/env bash
# npm start: the whole platform in one process (embedded mode) on port 3000 — no PostgreSQL, Kafka or
# Redis needed. Builds first when the sources are newer than dist/. Arguments go to the process
# (--demo loads the demo again, --no-demo never loads it). Ctrl-C stops it; the data stays in
# ${EMBEDDED_DATA_DIR:-.data/embedded}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# a local run: the built-in development secret is accepted only where NODE_ENV says so (decision 0019)
export NODE_ENV=${NODE_ENV:-development}

main=dist/apps/embedded/src/main.js
if [ ! -f "$main" ] || [ -n "$(find apps libs scripts -name '*.ts' -newer "$main" -print -quit)" ]; then
  echo "building…"
  npm run -s build
fi
# the console served at / (decision 0028)
if [ ! -f apps/console/dist/index.html ] || [ -n "$(find apps/console/src apps/console/index.html -newer apps/console/dist/index.html -print -quit)" ]; then
  echo "building the console…"
  npm run -s console:build
fi
# npm start is the way to try the platform on one's own machine: development, so the demo's tokens are
# printed (the process prints none unless NODE_ENV is development); NODE_ENV=production npm start does not
export NODE_ENV="${NODE_ENV:-development}"
# a small young generation and a heap tuned for size: ~40 MB less resident memory for a little more GC
# work (npm run bench:embedded)
exec node --max-semi-space-size=1 --optimize-for-size "$main" "$@"
