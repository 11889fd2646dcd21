#!/usr/bin/env bash
# npm test: unit tests and the cross-service tests against the real PostgreSQL, Redis and Kafka.
# Starts the project's Kafka broker if none is configured; extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/infra-check.sh

require_postgres
require_redis
if [ -z "${KAFKA_BROKERS:-}" ]; then
  bash deploy/local/kafka.sh start
fi

exec npx jest --maxWorkers=2 "$@"
