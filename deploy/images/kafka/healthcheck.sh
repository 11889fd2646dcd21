#!/bin/sh
# Healthy when the broker answers an API-versions request (KRaft accepts connections before it serves).
exec java -Xmx64m -cp '/opt/kafka/libs/*' -Dlog4j.configuration=file:/opt/kafka/log4j.properties \
  -Dlog4j.rootLogger=ERROR,stdout kafka.admin.BrokerApiVersionsCommand --bootstrap-server 127.0.0.1:9092 >/dev/null 2>&1
