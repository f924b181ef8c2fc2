import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The apps' generated GraphQL types (`pnpm codegen`, frontends/tooling/codegen.mjs) are committed; this spec
 * generates them again in memory from the committed supergraph and the apps' `.graphql` documents and fails
 * when a committed file differs: a schema change that alters what an app selects, or a document edited
 * without regenerating, is caught here instead of in a browser.
 */
const ROOT = join(__dirname, '..', '..', '..');
const CODEGEN = join(ROOT, 'frontends', 'tooling', 'codegen.mjs');
const SUPERGRAPH = join(ROOT, 'gateway', 'supergraph.graphql');

const check = (...args: string[]) => spawnSync(process.execPath, [CODEGEN, '--check', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

describe('the generated GraphQL types of the portal', () => {
  it('are what the committed supergraph and documents generate', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/generated files are up to date/);
  });

  it('are reported stale when the schema changes what an app selects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-'));
    try {
      // a new deal status: every deals file that selects a status now types it differently
      const changed = readFileSync(SUPERGRAPH, 'utf8').replace(/(enum DealStatus\s+@join__type\(graph: DEALS\)\s*\{)/, '$1\n  ARCHIVED @join__enumValue(graph: DEALS)');
      expect(changed).toContain('ARCHIVED @join__enumValue(graph: DEALS)');
      const supergraph = join(dir, 'supergraph.graphql');
      writeFileSync(supergraph, changed);
      const result = check('--supergraph', supergraph);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/frontends\/deals\/src\/api\/__generated__\/funnel\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
