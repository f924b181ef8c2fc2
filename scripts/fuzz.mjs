#!/usr/bin/env node
// `pnpm fuzz [--seed S] [--runs N]`: the API fuzz of test/src/fuzz/api.fuzz.spec.ts for as long as asked
// (the bounded run in `pnpm test` uses the defaults of test/src/fuzz/fuzz-harness.ts), then its figures:
// calls, calls per operation and role, error codes, HTTP statuses, internal errors, and any failure with the
// smallest request that reproduces it. Exits non-zero when the fuzz found a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { seed: { type: 'string' }, runs: { type: 'string' } }, allowPositionals: true, strict: true });
for (const [name, value] of Object.entries(values)) {
  if (value !== undefined && !/^-?\d+$/.test(value)) {
    console.error(`--${name} takes an integer, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
}
const runs = values.runs ?? '5000';
const seed = values.seed ?? String(Date.now() % 2 ** 31);

const dir = mkdtempSync(join(tmpdir(), 'kartoteka-fuzz-'));
const reportFile = join(dir, 'report.json');
console.log(`fuzz: seed ${seed}, ${runs} runs`);
const result = spawnSync(
  join(ROOT, 'node_modules', '.bin', 'jest'),
  // one long test: no per-test timeout; the run is bounded by its number of calls
  ['--ci', '--runInBand', `--testTimeout=${24 * 3600 * 1000}`, 'test/src/fuzz/api.fuzz.spec.ts'],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs, FUZZ_REPORT_FILE: reportFile } },
);

if (!existsSync(reportFile)) {
  console.error('fuzz: no report was written (the stack did not start?)');
  rmSync(dir, { recursive: true, force: true });
  process.exit(result.status || 1);
}
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
rmSync(dir, { recursive: true, force: true });

const table = (counts) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => `  ${String(count).padStart(7)}  ${key}`)
    .join('\n');
console.log(`
fuzz figures — seed ${report.seed}, ${report.runs} runs, ${(report.durationMs / 1000).toFixed(1)} s
calls: ${report.calls} (${report.relogins} sessions ended by a fuzzed logout or refresh and opened again)
operations covered: ${Object.keys(report.perOperation).length}
mutations: ${report.acceptedMutations} accepted, ${report.refusedMutations} refused (${report.writeChecks} compared before/after, ${report.writeChecksSkipped} not compared)
accepted mutations per operation:
${table(report.acceptedPerOperation)}
calls per role:
${table(report.perRole)}
broken requests (malformed-requests.ts):
${table(report.perMalformation)}
HTTP statuses:
${table(report.statuses)}
error codes seen:
${table(report.codes)}
calls per operation:
${table(report.perOperation)}
most frequent answers (operation: code: message), top 40:
${table(Object.fromEntries(Object.entries(report.messages).sort(([, a], [, b]) => b - a).slice(0, 40)))}
internal: ${report.internal}
failures: ${report.failures.length}`);
for (const [i, failure] of report.failures.entries()) {
  console.log(`${i + 1}. ${failure.kind} in ${failure.operation} as ${failure.role}${failure.malformation ? `, request broken: ${failure.malformation}` : ''} (HTTP ${failure.status}, ${failure.occurrences}×): ${failure.detail}
   query: ${failure.query}
   variables: ${JSON.stringify(failure.variables)}`);
}
process.exit(result.status ?? 1);
