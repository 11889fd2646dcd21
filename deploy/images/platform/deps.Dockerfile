# The platform's production node_modules (deploy/images/build.sh stages them: this machine's install,
# `npm prune --omit=dev`), an image of their own tagged by the lockfile's hash, so that a change of the
# source tree rebuilds only the layers of deploy/images/platform/Dockerfile above it (decision 0060).
ARG NODE_IMAGE=credit/node:20
FROM ${NODE_IMAGE}
WORKDIR /app
COPY node_modules node_modules
