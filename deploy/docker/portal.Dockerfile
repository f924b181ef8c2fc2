# syntax=docker/dockerfile:1
# The portal: frontends/root-config/server.mjs serving the root config, the shared vendor modules and every
# microfrontend's build (the same server `pnpm start` runs). Build from the repository root:
#   docker build -f deploy/docker/portal.Dockerfile -t kartoteka/portal:0.1.0 .
# The browser calls the gateway at GATEWAY_PUBLIC_URL (written into the page at run time, not at build time).

# --- toolchain: Node and pnpm, both pinned -----------------------------------------------------------------
FROM node:20.20.2-bookworm-slim AS base
ENV CI=true
RUN npm install --global pnpm@12.4.2 && npm cache clean --force
WORKDIR /app

# --- build: every frontend package (root config, utility module, microfrontends) with Vite -----------------
FROM base AS build
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store --package-import-method=copy --ignore-scripts --filter "./frontends/*" --filter "./gateway..."
RUN pnpm --filter "./frontends/*" run build
# the partner API reference (SpectaQL) from the committed supergraph, served at /api-reference/
RUN pnpm --filter "./services/kit" run build && pnpm --filter "./gateway" run api-reference

# --- runtime: the portal server needs Node's standard library and one plain module of frontend-tooling
# (externals.mjs, no imports), so the image carries no node_modules at all: the pruned install is empty.
FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production PORTAL_HOST=0.0.0.0 PORTAL_PORT=8080 GATEWAY_PUBLIC_URL=http://127.0.0.1:4000/graphql
WORKDIR /app/frontends
COPY --from=build /app/frontends/tooling/package.json /app/frontends/tooling/externals.mjs ./tooling/
COPY --from=build /app/frontends/root-config/package.json /app/frontends/root-config/server.mjs /app/frontends/root-config/portal-server.mjs ./root-config/
COPY --from=build /app/frontends/root-config/dist ./root-config/dist
COPY --from=build /app/frontends/api/dist ./api/dist
COPY --from=build /app/frontends/counterparties/dist ./counterparties/dist
COPY --from=build /app/frontends/documents/dist ./documents/dist
COPY --from=build /app/frontends/deals/dist ./deals/dist
COPY --from=build /app/frontends/finance/dist ./finance/dist
COPY --from=build /app/frontends/admin/dist ./admin/dist
COPY --from=build /app/frontends/mailings/dist ./mailings/dist
COPY --from=build /app/gateway/dist/api-reference /app/gateway/dist/api-reference
# the workspace link pnpm would make: root-config → @kartoteka/frontend-tooling
RUN mkdir -p root-config/node_modules/@kartoteka && ln -s ../../../tooling root-config/node_modules/@kartoteka/frontend-tooling
WORKDIR /app/frontends/root-config
# the base image's unprivileged `node` user, numeric so that Kubernetes can check runAsNonRoot
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORTAL_PORT || 8080) + '/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.mjs"]
