# One image for every service; SERVICE picks which one runs (registry | trigger | enforcement | tracking |
# gateway). The console is built into it (apps/console/dist): the gateway, and the embedded mode, serve it
# at / (decision 0028); CONSOLE_DIR says where it is.
FROM node:20-bookworm-slim AS build
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

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/apps/console/dist apps/console/dist
COPY package.json ./
USER node
ENV SERVICE=registry
ENV CONSOLE_DIR=/app/apps/console/dist
CMD ["sh", "-c", "exec node --enable-source-maps dist/apps/$SERVICE/src/main.js"]
