#!/usr/bin/env bash
# npm test: unit tests, medium tests (PGlite + in-process bus, decision 0046) and the cross-service tests
# against real PostgreSQL, Redis and Kafka — one set of containers of the project's images for the run, or
# the machine's own services (decision 0048):
#   TEST_INFRA=containers  containers (a Docker engine and deploy/images/build.sh's images; fails without)
#   TEST_INFRA=local       the machine's services; starts the project's Kafka broker if KAFKA_BROKERS is unset
#   unset                  containers when a Docker engine answers and the images build, else local
# Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/infra-check.sh

mode=${TEST_INFRA:-}
case "$mode" in
  containers | local) ;;
  "")
    if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
      mode=containers
    else
      mode=local
      echo "test infrastructure: the machine's services (no Docker engine answers; deploy/images/dockerd.sh start)"
    fi
    ;;
  *) echo "TEST_INFRA must be containers or local, not $mode" >&2; exit 2 ;;
esac

if [ "$mode" = containers ]; then
  # the images, cached by content: seconds when they exist, minutes the first time
  if ! bash deploy/images/build.sh postgres redis kafka; then
    [ -z "${TEST_INFRA:-}" ] || { echo "TEST_INFRA=containers: the images could not be built" >&2; exit 1; }
    mode=local
    echo "test infrastructure: the machine's services (the images could not be built, see above)"
  fi
fi
if [ "$mode" = local ]; then
  require_postgres
  require_redis
  if [ -z "${KAFKA_BROKERS:-}" ]; then
    bash deploy/local/kafka.sh start
  fi
fi
# jest's globalSetup (test/support/global-setup.ts) starts the containers and exports their addresses
export TEST_INFRA=$mode

# the console's component tests (Vitest, jsdom); its end-to-end tests (test/console) run with jest below and
# need the built console (npm run console:build) and Chromium (scripts/ensure-chromium.sh)
if [ $# -eq 0 ]; then
  npx vitest run --config apps/console/vite.config.mts
  # The services' build and the console's, made once before the tests that run them, when a source is
  # newer. The compose stack's image then takes this build (PLATFORM_BUILT, as in CI, decision 0060):
  # its own `npm run build` would empty dist/ under the service processes of the tests beside it.
  newer_than() { [ ! -f "$1" ] || [ -n "$(find "${@:2}" -newer "$1" -print -quit)" ]; }
  if newer_than dist/apps/registry/src/main.js apps libs -path apps/console -prune -o -name '*.ts'; then
    npm run -s build
  fi
  if newer_than apps/console/dist/index.html apps/console/src apps/console/index.html; then
    npm run -s console:build
  fi
  export PLATFORM_BUILT=1
fi

# The tests' throw-away files in memory when the machine has a tmpfs (decision 0086): each medium platform
# and embedded process copies a 67 MB, 2,200-file PGlite folder and writes to it, and the console's browser
# profiles, own brokers and logs go there too. TEST_TMPDIR chooses another folder.
scratch=${TEST_TMPDIR:-}
if [ -z "$scratch" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then scratch=/dev/shm/credit-tests; fi
if [ -n "$scratch" ]; then
  mkdir -p "$scratch"
  export TMPDIR=$scratch
fi

exec npx jest --maxWorkers=2 "$@"
