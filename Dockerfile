# syntax=docker/dockerfile:1
# dmp-fhir-server image. Written and kept working by review (D32): no Docker engine runs on the
# project's machines, so this file has not been built there.

# --- build: compile TypeScript to dist/ --------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY profiles ./profiles
COPY capability ./capability
RUN npm run build

# --- runtime: production dependencies and compiled code only ------------------------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# Development auth mode (generated key, POST /dev/token) must never be an image's default: without
# AUTH_* the server refuses to start (D1). Run with -e NODE_ENV=development for a local demo.
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=8080
COPY package.json package-lock.json ./
# lmdb and msgpackr-extract load prebuilt binaries for linux x64/arm64 (glibc), so no compiler is needed.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read at run time from the project root (src/search/profiles-file.ts looks three levels above dist/src/…).
COPY profiles ./profiles
COPY capability ./capability
# The embedded store and the development signing key live in DATA_DIR: owned by the unprivileged
# user the server runs as; application files stay root-owned and read-only to it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# No curl in the slim image: Node 20's fetch does the probe. /healthz answers while the process serves.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
