import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { changedTables } from './db-fingerprint';
import { describeFailures, fingerprint, fuzzConfig, runFuzz, settle, startFuzzEnvironment, type FuzzEnvironment } from './fuzz-harness';

/**
 * Property-based fuzz of the whole public API through the gateway: arguments for every query and mutation
 * of the composed supergraph (valid, boundary and hostile values, real ids mixed in), sent as every role
 * and as a partner API key. Every answer must be free of INTERNAL_SERVER_ERROR, HTTP 5xx, stack traces and
 * errors without a code, and a refused mutation must leave every service's database as it was.
 *
 * Bounded by the number of runs (FUZZ_RUNS, default in fuzz-harness.ts) from a fixed seed (FUZZ_SEED), so
 * a failure in CI reproduces with `pnpm fuzz --seed <seed> --runs <runs>`; long runs: `pnpm fuzz`.
 */
const config = fuzzConfig();
let environment: FuzzEnvironment;

beforeAll(async () => {
  environment = await startFuzzEnvironment();
});
afterAll(() => environment?.stop());

describe('API fuzz through the gateway', () => {
  it('covers every query and mutation of the API schema, none of the federation internals', () => {
    const fields = environment.operations.map((operation) => operation.field);
    expect(fields).toEqual(expect.arrayContaining(['counterparties', 'createDocument', 'createDeal', 'login', 'previewCaseTemplate']));
    expect(fields).not.toContain('_entities');
    expect(fields).not.toContain('_service');
    expect(environment.roles.map((role) => role.name)).toEqual(['anonymous', 'admin', 'manager', 'approver', 'accountant', 'director', 'viewer', 'partner']);
  });

  it('sees a committed write in the database fingerprint, and none for a refused call', async () => {
    const token = (name: string) => environment.roles.find((role) => role.name === name)!.token!;
    expect(await settle(environment)).toBe(true);
    const before = await fingerprint(environment);
    const refused = await environment.stack.call(CREATE_COUNTERPARTY, { input: legalEntityInput() }, token('viewer'));
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(changedTables(before, await fingerprint(environment))).toEqual([]);
    const accepted = await environment.stack.call(CREATE_COUNTERPARTY, { input: legalEntityInput() }, token('manager'));
    expect(accepted.errors).toBeUndefined();
    expect(changedTables(before, await fingerprint(environment))).toEqual(expect.arrayContaining(['counterparties.counterparties', 'counterparties.outbox_events']));
  });

  it('refuses an explicit null for a non-null argument with a default as BAD_USER_INPUT on that argument (found by this fuzz)', async () => {
    const admin = environment.roles.find((role) => role.name === 'admin')!.token!;
    for (const [query, argument] of [
      ['query($first: Int) { counterparties(first: $first) { totalCount } }', 'first'],
      ['query($first: Int) { documents(first: $first) { totalCount } }', 'first'],
      ['query($first: Int) { users(first: $first) { totalCount } }', 'first'],
      ['query($includeArchived: Boolean) { caseTemplates(includeArchived: $includeArchived) { id } }', 'includeArchived'],
    ]) {
      const result = await environment.stack.call(query, { [argument]: null }, admin);
      expect(result.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: argument })]);
    }
  });

  it(`answers ${config.runs} generated calls (seed ${config.seed}) without internal errors, 5xx, stack traces, untyped errors or writes by refused calls`, async () => {
    const report = await runFuzz(environment, config);
    const summary = `fuzz seed ${report.seed}, ${report.calls} calls; reproduce with: pnpm fuzz --seed ${report.seed} --runs ${report.runs}\n${describeFailures(report)}`;
    if (report.failures.length) console.error(summary);
    expect({ seed: report.seed, failures: report.failures.map((failure) => `${failure.kind} in ${failure.operation}: ${failure.detail.slice(0, 200)}`) }).toEqual({ seed: report.seed, failures: [] });
    expect(report.calls).toBe(config.runs);
    expect(report.internal).toBe(0);
    // the write check really ran: refused mutations were compared before and after
    expect(report.writeChecks).toBeGreaterThan(0);
  });
});
