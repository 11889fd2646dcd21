#!/usr/bin/env bash
# npm test: unit tests, medium tests (PGlite + in-process bus, decision 0046) and the cross-service tests
# against the real PostgreSQL, Redis and Kafka.
# Starts the project's Kafka broker if none is configured; extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/infra-check.sh

require_postgres
require_redis
if [ -z "${KAFKA_BROKERS:-}" ]; then
  bash deploy/local/kafka.sh start
fi

# the console's component tests (Vitest, jsdom); its end-to-end tests (test/console) run with jest below and
# need the built console (npm run console:build) and Chromium (scripts/ensure-chromium.sh)
if [ $# -eq 0 ]; then
  npx vitest run --config apps/console/vite.config.mts
  [ -f apps/console/dist/index.html ] || npm run -s console:build
fi

exec npx jest --maxWorkers=2 "$@"
