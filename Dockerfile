# One image for every service; SERVICE picks which one runs (registry | trigger | enforcement | tracking |
# gateway), or a command does (`node dist/scripts/migrate.js`: the migrations, as a one-shot job). The
# console is built into it (apps/console/dist): the gateway, and the embedded mode, serve it at /
# (decision 0028); CONSOLE_DIR says where it is.
# NODE_IMAGE: the official node:20-bookworm-slim where a registry is reachable; deploy/images/build.sh
# passes its own Node 20 image made from Debian's packages where none is (decision 0045).
ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
COPY scripts scripts
# the console first: Vite is a development dependency, gone after the prune
RUN npm run console:build && test -f apps/console/dist/index.html
# the exchange schema (decision 0035): the registry validates against the documented file itself
COPY docs/exchange docs/exchange
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
# an init as PID 1 (decision 0093): it reaps what a timed-out health check leaves behind
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/apps/console/dist apps/console/dist
COPY package.json ./
COPY deploy/images/platform/entrypoint.sh /usr/local/bin/platform-entrypoint
USER node
ENV SERVICE=registry
ENV CONSOLE_DIR=/app/apps/console/dist
ENTRYPOINT ["tini", "--", "platform-entrypoint"]
CMD ["sh", "-c", "exec node --enable-source-maps dist/apps/$SERVICE/src/main.js"]
