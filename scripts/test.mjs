#!/usr/bin/env node
// `pnpm test`: checks that a PostgreSQL server is reachable, builds every package (Vite builds the portal
// for the browser tests), type-checks everything including the specs, then runs the portal server's spec
// and all jest projects in one run.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
try {
  await client.connect();
  await client.end();
} catch (error) {
  console.error(`Tests need a PostgreSQL server at ${new URL(serverUrl).host} (set TEST_DATABASE_URL): ${error.message}`);
  process.exit(1);
}

if (process.env.KARTOTEKA_SKIP_BUILD !== 'true') {
  run('pnpm', ['-r', '--workspace-concurrency=2', 'run', 'build']);
  // the build checks the shipped code; this also checks the specs and the Vue templates
  run('pnpm', ['-r', '--workspace-concurrency=2', 'run', 'typecheck']);
}
// The portal server's own spec is an ES module: node's test runner; everything else: one jest run.
if (process.argv.length <= 2) run(process.execPath, ['--test', 'frontends/root-config/__tests__/portal-server.spec.mjs']);
// Three files side by side on the two cores: a file waits for PostgreSQL, the browser and its stack's servers part of
// its time, and a third worker fills those waits (on 2026-12-07: jest 547 s with three workers, 620 and 671 s with two).
run(join(ROOT, 'node_modules', '.bin', 'jest'), ['--ci', '--maxWorkers=3', ...process.argv.slice(2)]);
