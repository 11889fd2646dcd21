#!/bin/sh
# Writes the broker's properties from the environment, formats the storage on first start, runs the broker.
set -eu
data=/var/lib/kafka/data
props=/tmp/server.properties
host=${KAFKA_ADVERTISED_HOST:-kafka}
# KAFKA_ADVERTISED_LISTENERS replaces the whole address: a client outside the container network (the tests'
# testcontainers) reaches the broker on a host port it chose, which the broker must advertise
cat >"$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=${KAFKA_ADVERTISED_LISTENERS:-PLAINTEXT://$host:9092}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$data
num.partitions=${KAFKA_NUM_PARTITIONS:-6}
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=${KAFKA_LOG_RETENTION_HOURS:-168}
PROPS
cp="/opt/kafka/libs/*"
log4j=-Dlog4j.configuration=file:/opt/kafka/log4j.properties
if [ ! -f "$data/meta.properties" ]; then
  java -Xmx128m -cp "$cp" $log4j kafka.tools.StorageTool format \
    --cluster-id="${KAFKA_CLUSTER_ID:-$(java -cp "$cp" $log4j kafka.tools.StorageTool random-uuid | tail -n 1)}" -c "$props"
fi
exec java ${KAFKA_HEAP:--Xmx512m -Xms256m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
  $log4j -cp "$cp" kafka.Kafka "$props"
