# syntax=docker/dockerfile:1
# Earshot on one Node process: the app, the built widget and dashboard, and the database as an
# embedded libSQL file on the /data volume (or any libSQL server / Turso through LIBSQL_URL).
#   docker build -t earshot .
#   docker run -p 8787:8787 -v earshot-data:/data earshot
# compose.yaml runs it alone, or (profile "libsql") on a libSQL server. Settings: .env.example.
# test/config/docker.test.ts checks this file against package.json and runs its entry and
# health check (Docker itself cannot run on the machine the tests run on).

# --- build: every dependency, then `npm run build` (dist/public: widget.js, dashboard) --------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY widget/package.json widget/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime dependencies only (tsx runs the TypeScript server; native libSQL) ----------------
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY widget/package.json widget/
RUN npm ci --omit=dev --no-audit --no-fund

# --- the image -----------------------------------------------------------------------------
FROM node:20-slim
WORKDIR /app
# Customers' screenshots on the volume too, whatever LIBSQL_URL names (by default they go beside an
# embedded database file, else under /app, which the server's user cannot write).
ENV HOST=0.0.0.0 \
    PORT=8787 \
    LIBSQL_URL=file:/data/earshot.db \
    EARSHOT_ATTACHMENTS_DIR=/data/attachments
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist/public dist/public
COPY package.json tsconfig.json ./
COPY worker worker
RUN mkdir -p /data && chown node:node /data
# The `node` user of the official image: nothing runs as root.
USER node
VOLUME /data
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# What `npm start` runs after its build (the `serve` script), without npm in between, so the
# server gets SIGTERM itself and shuts down cleanly.
CMD ["node", "--import", "tsx", "worker/entries/node.ts"]
