# syntax=docker/dockerfile:1
# The mailings subgraph (offer mailings: audience, approval, sending, unsubscribe). Build from the repository root (see deploy/README.md):
#   docker build -f deploy/docker/mailings.Dockerfile -t kartoteka/mailings:0.1.0 .
# The same image applies the service's migrations: `node dist/cli/migration.js migration:up` (the initContainer
# of deploy/k8s/base/mailings.yaml).

# --- toolchain: Node and pnpm, both pinned -----------------------------------------------------------------
FROM node:20.20.2-bookworm-slim AS base
ENV CI=true
RUN npm install --global pnpm@12.4.2 && npm cache clean --force
WORKDIR /app

# --- build: the service and kit with every dependency (dev ones too), compiled by tsc ----------------------
# (a path filter: frontends/mailings may share the package name of a service)
FROM base AS build
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store --package-import-method=copy --ignore-scripts --filter "{services/mailings}..."
RUN pnpm --filter "{services/mailings}..." run build

# --- prod-deps: a pruned install, only the production dependencies of the service and kit -----------------
FROM base AS prod-deps
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store --package-import-method=copy --ignore-scripts --prod --filter "{services/mailings}..."

# --- runtime: Node, the pruned node_modules and the compiled output; no pnpm, no sources, no compilers -----
FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4106
# V8 heap settings (the same in scripts/start.mjs and the benchmarks): node's defaults let the heap grow to 4x
# what it keeps alive under load plus 32 MiB of young generation; these keep RSS under 200 MiB at a small CPU
# cost (figures: `pnpm bench:soak`). They also apply to the migration and seed commands of the same image.
# Keep the container's memory limit above 256 MiB of old space plus ~100 MiB (code, young generation, buffers).
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=256"
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=prod-deps /app/services/kit/package.json ./services/kit/package.json
COPY --from=prod-deps /app/services/kit/node_modules ./services/kit/node_modules
COPY --from=prod-deps /app/services/mailings/package.json ./services/mailings/package.json
COPY --from=prod-deps /app/services/mailings/node_modules ./services/mailings/node_modules
COPY --from=build /app/services/kit/dist ./services/kit/dist
COPY --from=build /app/services/mailings/dist ./services/mailings/dist
WORKDIR /app/services/mailings
# the base image's unprivileged `node` user, numeric so that Kubernetes can check runAsNonRoot
USER 1000:1000
EXPOSE 4106
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4106) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
