#!/usr/bin/env bash
# Runs a single-node Apache Kafka (KRaft, combined broker+controller) from Apache's own jars on
# Maven Central — this machine has no Docker. Safe to call twice.
#   deploy/local/kafka.sh start|stop|status|restart|reset
# Env: KAFKA_PORT (9092), KAFKA_HOME_DIR (.cache/kafka), KAFKA_HEAP (-Xmx512m -Xms256m)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${KAFKA_PORT:-9092}
controller_port=$((port + 1))
home=${KAFKA_HOME_DIR:-$root/.cache/kafka}
libs=$home/libs
data=$home/data-$port
logs=$home/logs-$port
pidfile=$home/kafka-$port.pid
props=$home/server-$port.properties
heap=${KAFKA_HEAP:--Xmx512m -Xms256m}

log() { printf '[kafka] %s\n' "$*" >&2; }

fetch_jars() {
  if [ -f "$libs/.complete" ]; then return; fi
  command -v mvn >/dev/null || { log "mvn not found: install Maven (apt-get install maven)"; exit 1; }
  command -v java >/dev/null || { log "java not found: install a JDK 17"; exit 1; }
  log "fetching Kafka jars from Maven Central into $libs"
  rm -rf "$libs"
  mkdir -p "$libs"
  mvn -q -B -f "$here/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$libs" -DincludeScope=runtime >&2
  touch "$libs/.complete"
}

is_running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# A bare TCP connect is not enough: KRaft accepts connections before the broker is unfenced.
# The broker answering an ApiVersions request proves it serves them (the image's probe, no JVM).
serves_requests() {
  bash "$root/deploy/images/kafka/healthcheck.sh" "$port" 2>/dev/null
}

write_props() {
  mkdir -p "$home"
  cat >"$props" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$data
num.partitions=${KAFKA_NUM_PARTITIONS:-6}
# topics are created by the project (libs/messaging), never by accident
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# tests and a local run join groups often: no 3 s wait before the first rebalance
group.initial.rebalance.delay.ms=0
log.retention.hours=168
log.segment.bytes=67108864
EOF
}

start() {
  fetch_jars
  if is_running; then
    log "already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"
    wait_ready
    return
  fi
  if serves_requests; then
    # e.g. started from another checkout: one broker per port is enough
    log "a broker not started from here already serves 127.0.0.1:$port; using it"
    return
  fi
  write_props
  mkdir -p "$logs"
  if [ ! -f "$data/meta.properties" ]; then
    log "formatting storage in $data"
    java -cp "$libs/*" -Dlog4j.configuration="file:$here/kafka/log4j-tools.properties" \
      kafka.tools.StorageTool format -t "$(java -cp "$libs/*" -Dlog4j.configuration="file:$here/kafka/log4j-tools.properties" kafka.tools.StorageTool random-uuid)" \
      -c "$props" >/dev/null
  fi
  log "starting broker on 127.0.0.1:$port (logs: $logs)"
  # setsid: the broker outlives the shell that started it (npm test, CI step)
  setsid nohup java $heap -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$logs" -Dlog4j.configuration="file:$here/kafka/log4j.properties" \
    -cp "$libs/*" kafka.Kafka "$props" >"$logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_ready
}

wait_ready() {
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  until serves_requests; do
    if ! is_running; then
      log "broker exited; last lines of $logs/stdout.log:"
      tail -n 30 "$logs/stdout.log" >&2 || true
      # the broker logs its own reason (a port taken, a bad folder) to server.log, not to stdout
      log "its errors in $logs/server.log:"
      grep -E '\] (ERROR|FATAL) ' "$logs/server.log" 2>/dev/null | tail -n 10 >&2 || true
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      log "broker did not serve requests within ${KAFKA_START_TIMEOUT:-90}s"
      exit 1
    fi
    sleep 1
  done
  log "ready on 127.0.0.1:$port"
}

stop() {
  if ! is_running; then
    log "not running"
    rm -f "$pidfile"
    return
  fi
  local pid
  pid=$(cat "$pidfile")
  log "stopping pid $pid"
  kill "$pid"
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pidfile"
}

status() {
  if is_running && serves_requests; then
    echo "running (pid $(cat "$pidfile")) on 127.0.0.1:$port"
  elif serves_requests; then
    echo "a broker not started from here serves 127.0.0.1:$port"
  elif is_running; then
    echo "starting (pid $(cat "$pidfile")), not serving yet"
    exit 1
  else
    echo "stopped"
    exit 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  restart) stop; start ;;
  reset) stop; rm -rf "$data" "$logs"; start ;;
  fetch) fetch_jars ;;
  *) echo "usage: $0 start|stop|status|restart|reset|fetch" >&2; exit 2 ;;
esac
