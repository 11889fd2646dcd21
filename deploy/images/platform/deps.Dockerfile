# The platform's production node_modules (deploy/images/build.sh stages them: this machine's install,
# `npm prune --omit=dev`), an image of their own tagged by the lockfile's hash, so that a change of the
# source tree rebuilds only the layers of deploy/images/platform/Dockerfile above it (decision 0060).
ARG NODE_IMAGE=credit/node:20
FROM ${NODE_IMAGE}
# an init as PID 1 (decision 0093): Node reaps no child it did not start, so what a timed-out health
# check leaves behind would stay as zombies
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY node_modules node_modules
