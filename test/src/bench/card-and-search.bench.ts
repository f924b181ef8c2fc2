import { makeInn10 } from '@kartoteka/kit/requisites';
import { DEMO_COUNTERPARTY_IDS, demoFinanceHistory, todayUtc } from '@kartoteka/kit';
import { seedCounterparties } from '../../../services/counterparties/src/seed/counterparties.seed';
import { seedDocuments } from '../../../services/documents/src/seed/documents.seed';
import { seedDeals } from '../../../services/deals/src/seed/deals.seed';
import { seedFinanceDemo } from '../../../services/finance/src/seed/finance.seed';
import { Client, Pool } from 'pg';
import { startStack, SUBGRAPH_NAMES, type Stack, type SubgraphName } from '../support/stack';
import { backendPids, CpuMeter, graphqlLoadClient, median, processRssMb, stackDatabases, staleBuilds, startPeerGateway, startProcessStack, underLoad, type ProcessStack } from './process-stack';
import type { NodeProcess } from '../support/processes';
import { CARD_QUERY, FINANCE_PANEL_QUERY } from '../support/fixtures';
import { eventually } from '../support/timing';

/**
 * Latency of the portal's main reads through the whole stack (gateway + subgraphs + PostgreSQL) with the
 * demo data plus BULK extra counterparties. Targets are p95 in milliseconds on the 2-core reference machine.
 */
const BULK = Number(process.env.BENCH_COUNTERPARTIES ?? 20000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 60);
/** The card under load: clients at once, length of a measured round, rounds (the median counts), warm-up. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 20_000);
/** Goals of issue 10, checked on the warm medians. */
const GOALS = { ratio: 0.25, gatewayCpuMs: 3, totalCpuMs: 15, rssMb: 200 };
const TARGETS_P95_MS: Record<string, number> = {
  // argon2id verification dominates (deliberately slow KDF)
  'login': 400,
  'list, first page': 150,
  // the bulk names are built from 20 words, so a search matches ~5% of all rows: a deliberately hard case
  'search, typo (Cyrillic)': 400,
  'search, INN prefix': 100,
  'card (all subgraphs)': 150,
  // the card's finance panel of the demo client with the longest history (a year of contracts, invoices, acts, payments)
  'card finance panel': 150,
};

const WORDS = ['Ромашка', 'Вектор', 'Альфа', 'Сибирь', 'Техно', 'Строй', 'Логистик', 'Энерго', 'Агро', 'Север', 'Медиа', 'Трейд', 'Урал', 'Волга', 'Прогресс', 'Гранит', 'Орион', 'Полюс', 'Меридиан', 'Капитал'];

async function bulkCounterparties(stack: Stack, count: number): Promise<void> {
  const connection = stack.subgraphs.counterparties.orm.em.getConnection();
  for (let start = 0; start < count; start += 2000) {
    const rows = Array.from({ length: Math.min(2000, count - start) }, (_, i) => {
      const n = start + i;
      const name = `ООО «${WORDS[n % WORDS.length]}${WORDS[Math.floor(n / WORDS.length) % WORDS.length].toLowerCase()} ${n}»`;
      return { name, inn: makeInn10(`50${String(n).padStart(7, '0')}`) };
    });
    await connection.execute(
      `insert into counterparties (id, name, kind, status, inn, kpp, tags, version)
       select gen_random_uuid(), r.name, 'LEGAL_ENTITY', 'CLIENT', r.inn, '500101001', '{}', 1
         from jsonb_to_recordset(?::jsonb) as r(name text, inn text)`,
      [JSON.stringify(rows)],
    );
  }
  await connection.execute('analyze counterparties');
}

/**
 * The raw-SQL floor of the card: the same data as CARD_QUERY read with hand-written SQL (one round of queries per
 * database, in parallel, names joined in memory) and serialised to JSON, through one pool per database. The
 * card through the gateway divided by it says how much the layers above the SQL cost.
 */
async function rawCard(pools: Record<'identity' | 'counterparties' | 'documents' | 'deals', Pool>, id: string): Promise<string> {
  const sql = async (name: keyof typeof pools, text: string, values: unknown[]) => (await pools[name].query(text, values)).rows;
  const [[counterparty], contacts, bankAccounts, history, [historyCount], documents, [documentCount], deals, [dealCount]] = await Promise.all([
    sql('counterparties', 'select id, name, kind, status, inn, kpp, ogrn, version, responsible_manager_id from counterparties where id = $1', [id]),
    sql('counterparties', 'select name, email from counterparty_contacts where counterparty_id = $1 order by sort_order', [id]),
    sql('counterparties', 'select bik, account from counterparty_bank_accounts where counterparty_id = $1 order by sort_order', [id]),
    sql('counterparties', 'select action, actor_id, changes from counterparty_changes where counterparty_id = $1 order by version desc limit 5', [id]),
    sql('counterparties', 'select count(*)::int as n from counterparty_changes where counterparty_id = $1', [id]),
    sql('documents', 'select id, type, number, title, status, amount_minor, currency, author_id from documents where counterparty_id = $1 order by date desc, created_at desc, id desc limit 20', [id]),
    sql('documents', 'select count(*)::int as n from documents where counterparty_id = $1', [id]),
    sql('deals', 'select id, title, stage, amount_minor, currency, owner_id from deals where counterparty_id = $1 order by created_at desc, id desc limit 20', [id]),
    sql('deals', 'select count(*)::int as n from deals where counterparty_id = $1', [id]),
  ]);
  const userIds = [...new Set([counterparty.responsible_manager_id, ...history.map((row) => row.actor_id), ...documents.map((row) => row.author_id), ...deals.map((row) => row.owner_id)].filter(Boolean))];
  const users = new Map((await sql('identity', 'select id, name from users where id = any($1::uuid[])', [userIds])).map((row) => [row.id, { name: row.name }]));
  return JSON.stringify({
    data: {
      counterparty: {
        ...counterparty,
        responsibleManager: users.get(counterparty.responsible_manager_id) ?? null,
        contacts,
        bankAccounts,
        history: { totalCount: historyCount.n, edges: history.map((row) => ({ node: { action: row.action, actor: users.get(row.actor_id) ?? null, changes: row.changes } })) },
        documents: { totalCount: documentCount.n, edges: documents.map((row) => ({ node: { ...row, amount: { minor: row.amount_minor, currency: row.currency }, author: users.get(row.author_id) ?? null } })) },
        deals: { totalCount: dealCount.n, edges: deals.map((row) => ({ node: { ...row, amount: { minor: row.amount_minor, currency: row.currency }, owner: users.get(row.owner_id) ?? null } })) },
      },
    },
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(name: string, run: () => Promise<unknown>): Promise<{ name: string; p50: number; p95: number; max: number }> {
  for (let i = 0; i < 5; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const started = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { name, p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1] };
}

let stack: Stack;
let processes: ProcessStack | null = null;
let peerProcess: NodeProcess | null = null;
afterAll(async () => {
  await peerProcess?.stop();
  await processes?.stop();
  await stack?.stop();
});

it(`meets the latency targets and the card's CPU, throughput and memory goals with ${BULK} extra counterparties`, async () => {
  stack = await startStack({ production: true });
  await seedCounterparties(stack.subgraphs.counterparties.orm.em.fork());
  await seedDocuments(stack.subgraphs.documents.orm.em.fork(), { counterpartyIds: DEMO_COUNTERPARTY_IDS });
  await seedDeals(stack.subgraphs.deals.orm.em.fork(), { counterpartyIds: DEMO_COUNTERPARTY_IDS });
  await stack.subgraphs.finance.orm.em.fork().transactional((em) => seedFinanceDemo(em));
  await bulkCounterparties(stack, BULK);
  const token = await stack.login('manager@kartoteka.local');
  const ok = async (query: string, variables: Record<string, unknown> = {}, auth: string | undefined = token) => {
    const result = await stack.call(query, variables, auth);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result;
  };

  // the demo finance history reaches finance through documents' signed events: wait for the busiest client's contracts
  const history = demoFinanceHistory(todayUtc());
  const busiest = history.counterparties
    .map((counterparty) => ({ id: counterparty.id, contracts: history.contracts.filter((contract) => contract.counterpartyId === counterparty.id).length }))
    .sort((a, b) => b.contracts - a.contracts)[0];
  await eventually(async () => {
    const panel = await ok(FINANCE_PANEL_QUERY, { id: busiest.id });
    const contracts = (panel.data as { counterparty: { finance: { contracts: unknown[] } } }).counterparty.finance.contracts;
    return contracts.length === busiest.contracts ? true : null;
  }, 'the demo finance history has arrived', { timeoutMs: 120_000 });

  const results = [
    await measure('login', () => ok('mutation { login(email: "viewer@kartoteka.local", password: "viewer") { token } }', {}, undefined)),
    await measure('list, first page', () => ok('{ counterparties(first: 20) { totalCount edges { node { id name inn kpp status responsibleManager { name } } } } }')),
    await measure('search, typo (Cyrillic)', () => ok('{ counterparties(search: "рамашка", first: 20) { totalCount edges { node { id name } } } }')),
    await measure('search, INN prefix', () => ok('{ counterparties(search: "5000012", first: 20) { totalCount edges { node { id name } } } }')),
    await measure('card (all subgraphs)', () => ok(CARD_QUERY, { id: DEMO_COUNTERPARTY_IDS[1] })),
    await measure('card finance panel', () => ok(FINANCE_PANEL_QUERY, { id: busiest.id })),
  ];
  const table = results.map((r) => `${r.name.padEnd(26)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p95 ${r.p95.toFixed(1).padStart(7)} ms   max ${r.max.toFixed(1).padStart(7)} ms   target p95 ≤ ${TARGETS_P95_MS[r.name]} ms`);
  process.stdout.write(`\nLatency, whole stack in one process (${BULK} extra counterparties, ${ITERATIONS} iterations, one client)\n${table.join('\n')}\n`);
  const missed = results.filter((r) => r.p95 > TARGETS_P95_MS[r.name]).map((r) => `${r.name}: p95 ${r.p95.toFixed(1)} ms > ${TARGETS_P95_MS[r.name]} ms`);

  // SQL statements of one card, per service (the in-process stack records them)
  const cardId = DEMO_COUNTERPARTY_IDS[1];
  await ok(CARD_QUERY, { id: cardId });
  stack.resetQueryLog();
  await ok(CARD_QUERY, { id: cardId });
  const statements = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, stack.queries[name].length])) as Record<SubgraphName, number>;
  const statementsTotal = Object.values(statements).reduce((a, b) => a + b, 0);

  // CPU per card: the gateway and every subgraph as separate processes (as in production), PostgreSQL's backends
  const databases = stackDatabases(stack);
  const stale = staleBuilds();
  if (stale.length) process.stdout.write(`\nWarning: the build of ${stale.join(', ')} is older than its sources; run \`pnpm build\` for figures of the current code\n`);
  processes = await startProcessStack(stack, { logLevel: 'info' });
  // the load: a kept-alive HTTP client in this process (its own CPU is shown apart, as the load generator's)
  const client = graphqlLoadClient(processes.gatewayUrl, CARD_QUERY, { id: cardId }, { authorization: `Bearer ${token}` }, CONCURRENCY);
  const card = client.request;
  const admin = new Client({ connectionString: stack.subgraphs.identity.database.url });
  await admin.connect();
  const components = [...processes.processes.map((child) => ({ name: child.name, meter: new CpuMeter(() => [child.child.pid!]) })), { name: 'PostgreSQL', meter: new CpuMeter(() => backendPids(admin, databases)) }];
  const round = async (ms: number) => {
    await Promise.all(components.map((component) => component.meter.begin()));
    const loadCpu = process.cpuUsage();
    const cards = await underLoad(CONCURRENCY, ms, card);
    const cpu = await Promise.all(components.map((component) => component.meter.end()));
    const load = process.cpuUsage(loadCpu);
    return {
      cards,
      perSecond: (cards * 1000) / ms,
      cpuMs: Object.fromEntries(components.map((component, i) => [component.name, cpu[i] / cards])) as Record<string, number>,
      loadCpuMs: (load.user + load.system) / 1000 / cards,
    };
  };
  // the raw-SQL floor: the same data read with hand-written SQL from CONCURRENCY clients in this process (the
  // stack's processes idle meanwhile)
  const pools = Object.fromEntries((['identity', 'counterparties', 'documents', 'deals'] as const).map((name) => [name, new Pool({ connectionString: stack.subgraphs[name].database.url, max: CONCURRENCY })])) as Record<'identity' | 'counterparties' | 'documents' | 'deals', Pool>;
  const rawPerSecond: number[] = [];
  let rawCpuMicros = 0;
  let rawCards = 0;
  const rawRound = async () => {
    const before = process.cpuUsage();
    const cards = await underLoad(CONCURRENCY, ROUND_MS, () => rawCard(pools, cardId));
    const used = process.cpuUsage(before);
    rawCpuMicros += used.user + used.system;
    rawCards += cards;
    rawPerSecond.push((cards * 1000) / ROUND_MS);
  };
  const cold = await round(ROUND_MS);
  await underLoad(CONCURRENCY, WARMUP_MS, card);
  // The peer gateway over the same subgraph processes, for comparison only (no goal): the same card, the same load
  const peer = await startPeerGateway(stack, processes);
  peerProcess = peer.process;
  const peerClient = graphqlLoadClient(peer.url, CARD_QUERY, { id: cardId }, { authorization: `Bearer ${token}` }, CONCURRENCY);
  const subgraphProcesses = processes.processes.filter((child) => child.name !== 'gateway');
  const peerMeters = [{ name: 'peer', meter: new CpuMeter(() => [peer.process.child.pid!]) }, { name: 'subgraphs', meter: new CpuMeter(() => subgraphProcesses.map((child) => child.child.pid!)) }];
  const peerRound = async (ms: number) => {
    await Promise.all(peerMeters.map((component) => component.meter.begin()));
    const cards = await underLoad(CONCURRENCY, ms, peerClient.request);
    const [peerCpu, subgraphCpu] = await Promise.all(peerMeters.map((component) => component.meter.end()));
    return { perSecond: (cards * 1000) / ms, gatewayCpuMs: peerCpu / cards, subgraphsCpuMs: subgraphCpu / cards };
  };
  const sameAnswer = await (async () => {
    const read = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: CARD_QUERY, variables: { id: cardId } }) }).then((response) => response.text());
    const [ours, theirs] = await Promise.all([read(processes!.gatewayUrl), read(peer.url)]);
    return JSON.stringify(JSON.parse(ours)) === JSON.stringify(JSON.parse(theirs));
  })();
  await underLoad(CONCURRENCY, WARMUP_MS, peerClient.request);
  const warmRounds: Awaited<ReturnType<typeof round>>[] = [];
  const peerRounds: Awaited<ReturnType<typeof peerRound>>[] = [];
  try {
    await underLoad(CONCURRENCY, 2000, () => rawCard(pools, cardId));
    // A card round, a raw round and a peer round in turns: the rates of a turn see the same state of the machine (a
    // shared 2-core VM whose speed drifts by tens of percent over minutes), and the ratio is the median of the pairs'.
    for (let i = 0; i < ROUNDS; i += 1) {
      warmRounds.push(await round(ROUND_MS));
      await rawRound();
      peerRounds.push(await peerRound(ROUND_MS));
    }
  } finally {
    peerClient.close();
    await Promise.all(Object.values(pools).map((pool) => pool.end()));
  }
  const peerRss = processRssMb(peer.process.child.pid!) ?? 0;
  await peer.process.stop();
  peerProcess = null;
  const rawNodeCpuMs = rawCpuMicros / 1000 / rawCards;
  const rss = Object.fromEntries(processes.processes.map((child) => [child.name, processRssMb(child.child.pid!) ?? 0]));
  client.close();
  await processes.stop();
  processes = null;
  await admin.end();

  const names = components.map((component) => component.name);
  const range = (values: number[], digits = 1) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[0] === sorted[sorted.length - 1] ? sorted[0].toFixed(digits) : `${sorted[0].toFixed(digits)}–${sorted[sorted.length - 1].toFixed(digits)}`;
  };
  const warm = (name: string) => warmRounds.map((r) => r.cpuMs[name]);
  const totals = warmRounds.map((r) => names.reduce((sum, name) => sum + r.cpuMs[name], 0));
  const coldTotal = names.reduce((sum, name) => sum + cold.cpuMs[name], 0);
  const cardPerSecond = median(warmRounds.map((r) => r.perSecond));
  const rawMedian = median(rawPerSecond);
  const pairRatios = warmRounds.map((r, i) => r.perSecond / rawPerSecond[i]);
  const ratio = median(pairRatios);
  const lines = [
    `card through the gateway   ${range(warmRounds.map((r) => r.perSecond), 0)} requests/s (${CONCURRENCY} clients; median ${cardPerSecond.toFixed(0)}; just after start ${cold.perSecond.toFixed(0)})`,
    `raw SQL, same data         ${range(rawPerSecond, 0)} requests/s (${CONCURRENCY} clients; median ${rawMedian.toFixed(0)}; ${rawNodeCpuMs.toFixed(2)} CPU-ms per card in this process)`,
    `ratio                      ${ratio.toFixed(2)}× of the raw-SQL floor (goal ≥ ${GOALS.ratio}×; median of ${ROUNDS} pairs of rounds run in turns: ${pairRatios.map((r) => `${r.toFixed(2)}×`).join(', ')}; of the medians ${(cardPerSecond / rawMedian).toFixed(2)}×)`,
    `CPU-ms per card            warm (${ROUNDS} rounds of ${ROUND_MS / 1000} s)   just after start (first ${ROUND_MS / 1000} s)`,
    ...names.map((name) => `  ${name.padEnd(24)} ${range(warm(name), 2).padStart(12)}   ${cold.cpuMs[name].toFixed(2).padStart(10)}${name === 'gateway' ? `   goal ≤ ${GOALS.gatewayCpuMs}` : ''}`),
    `  ${'total'.padEnd(24)} ${range(totals, 2).padStart(12)}   ${coldTotal.toFixed(2).padStart(10)}   goal ≤ ${GOALS.totalCpuMs}`,
    `  ${'(the load generator)'.padEnd(24)} ${range(warmRounds.map((r) => r.loadCpuMs), 2).padStart(12)}   ${cold.loadCpuMs.toFixed(2).padStart(10)}   (this process: not the stack's)`,
    `peer gateway: Hive Gateway ${peer.version} (@graphql-hive/gateway-runtime) on the same supergraph and subgraph processes, for comparison (no goal); same answer as ours: ${sameAnswer ? 'yes' : 'NO'}`,
    `  card through it          ${range(peerRounds.map((r) => r.perSecond), 0)} requests/s (median ${median(peerRounds.map((r) => r.perSecond)).toFixed(0)}; ours ${cardPerSecond.toFixed(0)} in the same turns)`,
    `  its CPU-ms per card      ${range(peerRounds.map((r) => r.gatewayCpuMs), 2)} (median ${median(peerRounds.map((r) => r.gatewayCpuMs)).toFixed(2)}; ours ${median(warm('gateway')).toFixed(2)}); the subgraphs behind it ${range(peerRounds.map((r) => r.subgraphsCpuMs), 2)}; RSS ${peerRss.toFixed(0)} MiB`,
    `SQL statements per card    ${statementsTotal} (${SUBGRAPH_NAMES.map((name) => `${name} ${statements[name]}`).join(', ')})`,
    `RSS after the load, MiB    ${Object.entries(rss).map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(', ')} (goal ≤ ${GOALS.rssMb} each)`,
  ];
  process.stdout.write(`\nCard under load: gateway and subgraphs as separate processes, PostgreSQL's backends read from /proc\n${lines.join('\n')}\n`);

  const gatewayMedian = median(warm('gateway'));
  const totalMedian = median(totals);
  if (ratio < GOALS.ratio) missed.push(`card ${ratio.toFixed(2)}× of raw SQL < ${GOALS.ratio}×`);
  if (gatewayMedian > GOALS.gatewayCpuMs) missed.push(`gateway ${gatewayMedian.toFixed(2)} CPU-ms per card > ${GOALS.gatewayCpuMs}`);
  if (totalMedian > GOALS.totalCpuMs) missed.push(`whole stack ${totalMedian.toFixed(2)} CPU-ms per card > ${GOALS.totalCpuMs}`);
  for (const [name, mb] of Object.entries(rss)) if (mb > GOALS.rssMb) missed.push(`${name} RSS ${mb.toFixed(0)} MiB > ${GOALS.rssMb}`);
  expect(missed).toEqual([]);
});
