#!/usr/bin/env bash
# npm run start:cluster: the four services as separate processes against the local PostgreSQL and
# Redis and the project's Kafka broker. Ctrl-C stops them all (the broker keeps running:
# deploy/local/kafka.sh stop).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# a local run: the built-in development secret is accepted only where NODE_ENV says so (decision 0019)
export NODE_ENV=${NODE_ENV:-development}
source scripts/infra-check.sh

require_postgres
require_redis
bash deploy/local/kafka.sh start
ensure_database "${CREDIT_DB:-credit}"
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@$PG_HOST:$PG_PORT/${CREDIT_DB:-credit}}

if [ ! -f dist/apps/registry/src/main.js ] || [ -n "$(find apps libs -name '*.ts' -newer dist/apps/registry/src/main.js -print -quit)" ]; then
  echo "building…"
  npm run -s build
fi

declare -A PORTS=([registry]=3001 [trigger]=3002 [enforcement]=3003 [tracking]=3004)
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "stopping services…"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

mkdir -p .data/logs
for svc in registry trigger enforcement tracking; do
  PORT=${PORTS[$svc]} KAFKA_INSTANCE_ID=${KAFKA_INSTANCE_ID:-$(hostname)-$svc} node --enable-source-maps dist/apps/$svc/src/main.js >".data/logs/$svc.log" 2>&1 &
  pids+=($!)
done

# the one address (API.md): the gateway on port 3000 routes /v1 and /public/v1 and serves the console
if [ ! -f apps/console/dist/index.html ]; then
  echo "building the console…"
  npm run -s console:build
fi
PORT=${GATEWAY_PORT:-3000} node --enable-source-maps dist/apps/gateway/src/main.js >.data/logs/gateway.log 2>&1 &
pids+=($!)

for svc in registry trigger enforcement tracking; do
  port=${PORTS[$svc]}
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
    printf '%-12s ready   http://127.0.0.1:%s  (docs: /docs, logs: .data/logs/%s.log)\n' "$svc" "$port" "$svc"
  else
    printf '%-12s NOT READY on port %s — see .data/logs/%s.log\n' "$svc" "$port" "$svc"
  fi
done
if curl -fs "http://127.0.0.1:${GATEWAY_PORT:-3000}/health/live" >/dev/null 2>&1; then
  printf '%-12s ready   http://127.0.0.1:%s  (the console, and /v1 routed to the services)\n' gateway "${GATEWAY_PORT:-3000}"
else
  printf '%-12s NOT READY on port %s — see .data/logs/gateway.log\n' gateway "${GATEWAY_PORT:-3000}"
fi
echo "Kafka: 127.0.0.1:9092   PostgreSQL: $DATABASE_URL   Redis: $REDIS_HOST:$REDIS_PORT"
echo "Mint a token: npm run token -- --dept COURT --roles initiator      Ctrl-C stops the services."
wait -n "${pids[@]}"
