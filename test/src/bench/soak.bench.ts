import { DEMO_COUNTERPARTY_IDS } from '@kartoteka/kit';
import { postGraphQL } from '@kartoteka/kit/testing';
import { seedCounterparties } from '../../../services/counterparties/src/seed/counterparties.seed';
import { seedDocuments } from '../../../services/documents/src/seed/documents.seed';
import { seedDeals } from '../../../services/deals/src/seed/deals.seed';
import { startStack, type Stack } from '../support/stack';
import { CARD_QUERY } from '../support/fixtures';
import { median, PRODUCTION_NODE_FLAGS, processCpuMs, processRssMb, staleBuilds, startProcessStack, underLoad, type ProcessStack } from './process-stack';

/**
 * `pnpm bench:soak`: the memory goal of issue 10 over time. The gateway and every subgraph run as separate
 * processes from their builds (as in production, with production's node options) under the card load for
 * BENCH_SOAK_SECONDS; the RSS of each is sampled every BENCH_SOAK_SAMPLE_SECONDS. After the warm-up is excluded
 * (the JIT, the caches and the heap settling: the first minute, or a fifth of a shorter run, and at least
 * BENCH_SOAK_WARMUP_CARDS cards, since they settle with the work done, not with the time: on a busy machine a
 * minute may serve a few hundred cards), RSS must not grow by 5% or more (the median of the first minute after
 * the warm-up against the median of the last minute) and no process may pass 200 MiB at any time.
 *
 * BENCH_SOAK_COMPARE=1 runs, instead, the production node options against node's defaults in one run
 * (alternating, BENCH_SOAK_COMPARE_SECONDS of load each after a warm-up) and prints RSS and CPU-ms per card.
 */
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const WARMUP_SECONDS = Number(process.env.BENCH_SOAK_WARMUP_SECONDS ?? Math.min(60, Math.round(SOAK_SECONDS / 5)));
const WARMUP_CARDS = Number(process.env.BENCH_SOAK_WARMUP_CARDS ?? 5000);
const SAMPLE_SECONDS = Number(process.env.BENCH_SOAK_SAMPLE_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const COMPARE = process.env.BENCH_SOAK_COMPARE === '1';
const COMPARE_SECONDS = Number(process.env.BENCH_SOAK_COMPARE_SECONDS ?? 60);
const COMPARE_WARMUP_SECONDS = Number(process.env.BENCH_SOAK_COMPARE_WARMUP_SECONDS ?? 30);
const COMPARE_REPEATS = Number(process.env.BENCH_SOAK_COMPARE_REPEATS ?? 2);
const GOALS = { rssMb: 200, growthPercent: 5 };

type Sample = { atSeconds: number; cards: number; rss: Record<string, number>; cpuMs: Record<string, number> };

let stack: Stack | null = null;
let processes: ProcessStack | null = null;
afterAll(async () => {
  await processes?.stop();
  await stack?.stop();
});

/** The in-process stack with the demo counterparties, their documents and deals; a manager's token. */
async function seededStack(): Promise<{ stack: Stack; token: string }> {
  stack = await startStack({ production: true });
  await seedCounterparties(stack.subgraphs.counterparties.orm.em.fork());
  await seedDocuments(stack.subgraphs.documents.orm.em.fork(), { counterpartyIds: DEMO_COUNTERPARTY_IDS });
  await seedDeals(stack.subgraphs.deals.orm.em.fork(), { counterpartyIds: DEMO_COUNTERPARTY_IDS });
  const token = await stack.login('manager@kartoteka.local');
  const stale = staleBuilds();
  if (stale.length) process.stdout.write(`\nWarning: the build of ${stale.join(', ')} is older than its sources; run \`pnpm build\` for figures of the current code\n`);
  return { stack, token };
}

/** Answers with errors the soak tolerates (a subgraph timing out on a busy machine), as a share of all cards. */
const MAX_FAILED_SHARE = 0.01;

type CardLoad = { card: () => Promise<void>; failures: () => { count: number; last: string } };

/**
 * One full card after another over every demo counterparty in turn. An answer with errors is counted, not thrown
 * (one timeout on a busy machine must not end a ten-minute run); a process that exits ends the run at once.
 */
function cardLoad(running: ProcessStack, token: string): CardLoad {
  let next = 0;
  let count = 0;
  let last = '';
  const card = async () => {
    const gone = running.processes.find((child) => child.child.exitCode !== null || child.child.signalCode !== null);
    if (gone) throw new Error(`${gone.name} exited under the card load:\n${gone.output().slice(-5000)}`);
    const id = DEMO_COUNTERPARTY_IDS[next++ % DEMO_COUNTERPARTY_IDS.length];
    const result = await postGraphQL(running.gatewayUrl, CARD_QUERY, { id }, { authorization: `Bearer ${token}` }).catch((error: unknown) => ({ errors: [{ message: String(error) }], data: null }));
    if (result.errors || !result.data) {
      count += 1;
      last = JSON.stringify(result.errors);
    }
  };
  return { card, failures: () => ({ count, last }) };
}

function readings(running: ProcessStack, read: (pid: number) => number | null): Record<string, number> {
  return Object.fromEntries(running.processes.map((child) => [child.name, read(child.child.pid!) ?? Number.NaN]));
}

/** Load for `seconds`, in slices of `sliceSeconds`, sampling RSS and CPU after each slice. */
async function loadAndSample(running: ProcessStack, card: () => Promise<void>, seconds: number, sliceSeconds: number, onSample?: (sample: Sample) => void): Promise<Sample[]> {
  const samples: Sample[] = [];
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    const cards = await underLoad(CONCURRENCY, Math.min(sliceSeconds * 1000, seconds * 1000 - (Date.now() - started)), card);
    const sample = { atSeconds: (Date.now() - started) / 1000, cards, rss: readings(running, processRssMb), cpuMs: readings(running, processCpuMs) };
    samples.push(sample);
    onSample?.(sample);
  }
  return samples;
}

const mib = (value: number) => value.toFixed(0).padStart(5);

(COMPARE ? it.skip : it)(
  `keeps every process ≤ ${GOALS.rssMb} MiB RSS with < ${GOALS.growthPercent}% growth over ${SOAK_SECONDS} s of card load`,
  async () => {
    const { stack: seeded, token } = await seededStack();
    processes = await startProcessStack(seeded, { logLevel: 'info' });
    const names = processes.processes.map((child) => child.name);
    const load = cardLoad(processes, token);
    const card = load.card;
    const startRss = readings(processes, processRssMb);
    process.stdout.write(
      `\nSoak: card load from ${CONCURRENCY} clients for ${SOAK_SECONDS} s (warm-up: ${WARMUP_SECONDS} s and ${WARMUP_CARDS} cards, excluded), node options: ${PRODUCTION_NODE_FLAGS.join(' ') || '(node defaults)'}\n` +
        `RSS MiB every minute    ${names.map((name) => name.padStart(16)).join('')}   cards/s\n` +
        `  at start (idle)       ${names.map((name) => mib(startRss[name]).padStart(16)).join('')}\n`,
    );
    let lastPrinted = 0;
    let cardsSincePrinted = 0;
    const samples = await loadAndSample(processes, card, SOAK_SECONDS, SAMPLE_SECONDS, (sample) => {
      cardsSincePrinted += sample.cards;
      if (sample.atSeconds - lastPrinted >= 60 || sample.atSeconds >= SOAK_SECONDS - 0.5) {
        process.stdout.write(`  at ${sample.atSeconds.toFixed(0).padStart(4)} s             ${names.map((name) => mib(sample.rss[name]).padStart(16)).join('')}   ${(cardsSincePrinted / (sample.atSeconds - lastPrinted)).toFixed(0).padStart(7)}\n`);
        lastPrinted = sample.atSeconds;
        cardsSincePrinted = 0;
      }
    });
    await processes.stop();
    processes = null;

    let done = 0;
    const warmedUp = samples.findIndex((sample) => (done += sample.cards) >= WARMUP_CARDS && sample.atSeconds >= WARMUP_SECONDS);
    const measured = warmedUp < 0 ? [] : samples.slice(warmedUp);
    const total = samples.reduce((sum, sample) => sum + sample.cards, 0);
    if (measured.length < 4) throw new Error(`the soak (${SOAK_SECONDS} s, ${total} cards) is too short for its warm-up (${WARMUP_SECONDS} s and ${WARMUP_CARDS} cards) and samples (${SAMPLE_SECONDS} s): run it longer, or on a machine less busy`);
    // the first and the last minute after the warm-up (a quarter each of a shorter run), compared by their medians
    const windowSeconds = Math.min(60, (measured[measured.length - 1].atSeconds - measured[0].atSeconds) / 4);
    const first = measured.filter((sample) => sample.atSeconds <= measured[0].atSeconds + windowSeconds);
    const last = measured.filter((sample) => sample.atSeconds >= measured[measured.length - 1].atSeconds - windowSeconds);
    const cards = measured.reduce((sum, sample) => sum + sample.cards, 0) - measured[0].cards;
    const seconds = measured[measured.length - 1].atSeconds - measured[0].atSeconds;
    const missed: string[] = [];
    const lines = names.map((name) => {
      const startMb = median(first.map((sample) => sample.rss[name]));
      const endMb = median(last.map((sample) => sample.rss[name]));
      const peakMb = Math.max(...samples.map((sample) => sample.rss[name]));
      const growth = ((endMb - startMb) / startMb) * 100;
      const cpuPerCard = (measured[measured.length - 1].cpuMs[name] - measured[0].cpuMs[name]) / cards;
      if (peakMb > GOALS.rssMb) missed.push(`${name} peak RSS ${peakMb.toFixed(0)} MiB > ${GOALS.rssMb}`);
      if (!(growth < GOALS.growthPercent)) missed.push(`${name} RSS grew ${growth.toFixed(1)}% (${startMb.toFixed(0)} → ${endMb.toFixed(0)} MiB) ≥ ${GOALS.growthPercent}%`);
      return `  ${name.padEnd(16)} ${mib(startMb)} ${mib(endMb)} ${mib(peakMb)}   ${`${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%`.padStart(7)}   ${cpuPerCard.toFixed(2).padStart(6)}`;
    });
    process.stdout.write(
      `\nAfter the warm-up (${measured[0].atSeconds.toFixed(0)} s, ${total - cards} cards): start = median of the first ${windowSeconds.toFixed(0)} s, end = median of the last ${windowSeconds.toFixed(0)} s; peak over the whole run\n` +
        `  ${'process'.padEnd(16)} start   end  peak    growth   CPU-ms/card   (MiB; goals: peak ≤ ${GOALS.rssMb}, growth < ${GOALS.growthPercent}%)\n${lines.join('\n')}\n` +
        `  ${(cards / seconds).toFixed(0)} cards/s over ${seconds.toFixed(0)} s (${cards} cards); answers with errors: ${load.failures().count}${load.failures().count ? ` (last: ${load.failures().last})` : ''}\n`,
    );
    if (load.failures().count > total * MAX_FAILED_SHARE) missed.push(`${load.failures().count} of ${total} cards answered with errors (last: ${load.failures().last})`);
    expect(missed).toEqual([]);
  },
  (SOAK_SECONDS + 600) * 1000,
);

(COMPARE ? it : it.skip)(
  'production node options against node defaults: RSS and CPU-ms per card, in one run',
  async () => {
    const { stack: seeded, token } = await seededStack();
    // BENCH_SOAK_COMPARE_VARIANTS: more sets of node options to try, `;` between sets (e.g. `--max-semi-space-size=4;--max-old-space-size=256`)
    const variants = [
      { name: PRODUCTION_NODE_FLAGS.join(' ') || '(production: node defaults)', nodeArgs: PRODUCTION_NODE_FLAGS },
      { name: '(node defaults)', nodeArgs: [] as string[] },
      ...(process.env.BENCH_SOAK_COMPARE_VARIANTS ?? '')
        .split(';')
        .map((set) => set.trim())
        .filter(Boolean)
        .map((set) => ({ name: set, nodeArgs: set.split(/\s+/) })),
    ];
    const results: { variant: string; failed: number; rss: Record<string, number>; peak: Record<string, number>; cpuPerCard: Record<string, number>; perSecond: number }[] = [];
    for (let repeat = 0; repeat < COMPARE_REPEATS; repeat += 1) {
      for (const variant of repeat % 2 === 0 ? variants : [...variants].reverse()) {
        processes = await startProcessStack(seeded, { logLevel: 'info', nodeArgs: variant.nodeArgs });
        const load = cardLoad(processes, token);
        const card = load.card;
        await underLoad(CONCURRENCY, COMPARE_WARMUP_SECONDS * 1000, card);
        const cpuBefore = readings(processes, processCpuMs);
        const samples = await loadAndSample(processes, card, COMPARE_SECONDS, SAMPLE_SECONDS);
        const cards = samples.reduce((sum, sample) => sum + sample.cards, 0);
        const lastSample = samples[samples.length - 1];
        const names = Object.keys(cpuBefore);
        results.push({
          variant: variant.name,
          failed: load.failures().count,
          rss: lastSample.rss,
          peak: Object.fromEntries(names.map((name) => [name, Math.max(...samples.map((sample) => sample.rss[name]))])),
          cpuPerCard: Object.fromEntries(names.map((name) => [name, (lastSample.cpuMs[name] - cpuBefore[name]) / cards])),
          perSecond: cards / COMPARE_SECONDS,
        });
        await processes.stop();
        processes = null;
      }
    }
    const names = Object.keys(results[0].rss);
    const lines = results.map(
      (result) =>
        `  ${result.variant.padEnd(48)} ${result.perSecond.toFixed(0).padStart(6)}  ` +
        names.map((name) => `${result.peak[name].toFixed(0)} MiB ${result.cpuPerCard[name].toFixed(2)} ms`.padStart(22)).join('') +
        `  ${names.reduce((sum, name) => sum + result.cpuPerCard[name], 0).toFixed(2).padStart(6)}${result.failed ? `  (${result.failed} answers with errors)` : ''}`,
    );
    process.stdout.write(
      `\nNode options compared (${COMPARE_SECONDS} s of card load each after ${COMPARE_WARMUP_SECONDS} s of warm-up, ${CONCURRENCY} clients)\n` +
        `  ${'node options'.padEnd(48)} cards/s  ${names.map((name) => name.padStart(22)).join('')}  CPU-ms (peak RSS and CPU-ms per card of each process; their sum)\n${lines.join('\n')}\n`,
    );
  },
  (COMPARE_REPEATS * 6 * (COMPARE_SECONDS + COMPARE_WARMUP_SECONDS + 60) + 600) * 1000,
);
