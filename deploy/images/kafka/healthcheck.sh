#!/bin/bash
# Healthy when the broker answers an ApiVersions request (KRaft accepts connections before it serves
# them: a bare TCP connect is not enough). Usage: healthcheck.sh [port] (9092).
#
# The request is written by hand over bash's /dev/tcp rather than by Kafka's own tool: the tool starts a
# JVM, 2.4 CPU-seconds a probe, which every 3 s took most of the broker container's one CPU (decision 0083).
set -u
port=${1:-9092}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
# ApiVersions v0: size 12, api key 18, version 0, correlation id 1, client id "hc"
printf '\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02hc' >&3
# the answer starts: size (4 bytes), correlation id (4), error code (2) — 0 when the broker serves
reply=$(timeout 5 head -c 10 <&3 | od -An -tx1 | tr -d ' \n')
exec 3<&-
[ "${reply:8:12}" = "000000010000" ]
