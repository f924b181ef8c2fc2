#!/usr/bin/env node
/** Starts the portal: `pnpm --filter @kartoteka/root-config start` (after `pnpm build`). */
import {
  DEFAULT_GATEWAY_URL,
  DEFAULT_PORTAL_HOST,
  DEFAULT_PORTAL_PORT,
  startPortalServer,
} from './portal-server.mjs';

// The only reader of process.env for the portal.
const readConfig = () => {
  const port = Number(process.env.PORTAL_PORT ?? DEFAULT_PORTAL_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORTAL_PORT must be a port number, got "${process.env.PORTAL_PORT}"`);
  const gatewayUrl = process.env.GATEWAY_PUBLIC_URL || DEFAULT_GATEWAY_URL;
  // PORTAL_PRELOAD_ROUTES=false: pages preload only the root config's modules (a baseline for `pnpm bench:portal`)
  const preloadRoutes = !/^(0|false|off|no)$/i.test(process.env.PORTAL_PRELOAD_ROUTES ?? '');
  // origins an import-map override may load an app from (`'self'`: this server's paths); unset: overrides off
  const importMapOverrideOrigins = (process.env.PORTAL_IMPORT_MAP_OVERRIDE_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of importMapOverrideOrigins) {
    if (origin !== "'self'" && !/^https?:\/\/[^/]+$/.test(origin)) throw new Error(`PORTAL_IMPORT_MAP_OVERRIDE_ORIGINS: not an origin: ${origin}`);
  }
  return { port, host: process.env.PORTAL_HOST || DEFAULT_PORTAL_HOST, gatewayUrl, preloadRoutes, importMapOverrideOrigins };
};

try {
  const config = readConfig();
  const portal = await startPortalServer({ ...config, log: (line) => console.error(line) });
  console.log(`portal: listening on ${portal.url} (gateway ${config.gatewayUrl})`);

  const shutdown = (signal) => {
    console.log(`portal: ${signal}, shutting down`);
    portal.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  console.error(`portal: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
