# The reputation server in a container: `docker build -t lantern .` then
#   docker run -p 8787:8787 -v lantern-data:/data lantern                       (SQLite in /data)
#   docker run -p 8787:8787 -e LANTERN_DATABASE=postgres://… lantern --trust-proxy   (PostgreSQL)
# See docs/deploy.md. scripts/docker.test.ts builds and starts it where Docker runs.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source where no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The moderation page (dist/moderation, served at /moderate) and the server bundle
# (dist/server/cli.mjs, which imports production dependencies only), then drop dev packages.
RUN npm run build && npm run build:server && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    LANTERN_DIST=/app/dist \
    LANTERN_HOST=0.0.0.0 \
    LANTERN_PORT=8787 \
    LANTERN_DATABASE=/data/lantern.sqlite
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/server ./dist/server
COPY --from=build /app/dist/moderation ./dist/moderation
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:8787/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) finishes requests in flight and closes the database.
ENTRYPOINT ["node", "dist/server/cli.mjs"]
