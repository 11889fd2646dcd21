# Shared checks for the scripts: fail early, naming what is missing and how to start it.
PG_HOST=${PGHOST:-127.0.0.1}
PG_PORT=${PGPORT:-5432}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}

require_postgres() {
  if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    echo "PostgreSQL is not answering on $PG_HOST:$PG_PORT." >&2
    echo "Start it (Debian): pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
    exit 1
  fi
}

require_redis() {
  if [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" != "PONG" ]; then
    echo "Redis is not answering on $REDIS_HOST:$REDIS_PORT." >&2
    echo "Start it: redis-server --daemonize yes --bind 127.0.0.1 --port $REDIS_PORT --save '' --appendonly no" >&2
    exit 1
  fi
}

ensure_database() {
  local name=$1
  if ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE \"$name\""
  fi
}
