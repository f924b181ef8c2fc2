import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isValidInn, validateOgrn, validateSettlementAccount } from '@kartoteka/kit/requisites';
import { installDeals } from '../../../services/deals/src/seed/deals.seed';
import { startStack, SUBGRAPH_NAMES, type Stack, type SubgraphName } from '../support/stack';
import { CARD_QUERY, FINANCE_PANEL_QUERY } from '../support/fixtures';
import { ROOT } from '../support/processes';

/**
 * `pnpm bench:data` (scripts/bench-data.mjs) at 1/1000 of the full dataset, against a fresh stack: the generated
 * data is what the services themselves would hold — every card loads through the gateway without errors, the
 * references resolve, the counts follow the scale, and the constraints the SQL does not enforce (requisites,
 * gap-free registration numbers) hold. The full-size run (≤ 2 min) is measured by hand, never in `pnpm test`.
 */
const SCALE = 0.001;
const COUNTERPARTIES = 100;

/** The generator's ids (scripts/bench-data.mjs `benchId`): row n of a kind. */
const KINDS = { counterparty: '0c01', document: '0d01' } as const;
function benchId(kind: keyof typeof KINDS, n: number): string {
  const hex = `be4cda7a${KINDS[kind]}40008000${n.toString(16).padStart(12, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let stack: Stack;
let token: string;
let generated: { counts: Record<string, number>; timings: { service: string; table: string; rows: number | null; ms: number }[] };

const sql = async <T = Record<string, unknown>>(service: SubgraphName, query: string, params: unknown[] = []): Promise<T[]> =>
  stack.subgraphs[service].orm.em.getConnection().execute<T[]>(query, params);

function run(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SUBGRAPH_NAMES) env[`${name.toUpperCase()}_DATABASE_URL`] = stack.subgraphs[name].database.url;
  return spawnSync(process.execPath, [join(ROOT, 'scripts/bench-data.mjs'), ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

beforeAll(async () => {
  stack = await startStack();
  // what `pnpm start` installs on every start: the default case template
  await stack.subgraphs.deals.orm.em.fork().transactional((em) => installDeals(em));
  const result = run([`--scale=${SCALE}`, '--json']);
  if (result.status !== 0) throw new Error(`bench-data failed: ${result.stderr}${result.stdout}`);
  generated = JSON.parse(result.stdout.trim().split('\n').pop()!);
  token = await stack.login('manager@kartoteka.local');
});
afterAll(() => stack?.stop());

async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await stack.call<T>(query, variables, token);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

it('writes the counts of the scale and reports a timing per table', async () => {
  expect(generated.counts).toEqual({ counterparties: COUNTERPARTIES, documents: 1000, deals: 300, payments: 1000 });
  const rows = (service: SubgraphName, table: string) => generated.timings.find((t) => t.service === service && t.table === table)?.rows;
  expect(rows('counterparties', 'counterparties')).toBe(COUNTERPARTIES);
  expect(rows('documents', 'documents')).toBe(1000);
  expect(rows('deals', 'deals')).toBe(300);
  expect(rows('finance', 'payments')).toBe(1000);

  const [counts] = await sql<{ steps: number; routes: number; drafts: number }>('documents',
    `select (select count(*)::int from approval_steps) as steps, (select count(*)::int from approval_routes) as routes, (select count(*)::int from documents where status = 'DRAFT') as drafts`);
  expect(counts.routes).toBe(1000 - counts.drafts);
  // ~3 steps per document (3M at full scale)
  expect(counts.steps).toBeGreaterThan(2800);
  expect(counts.steps).toBeLessThan(3200);
  const [visits] = await sql<{ n: number }>('deals', 'select count(*)::int as n from deal_stage_visits');
  expect(visits.n).toBeGreaterThanOrEqual(300);

  const listed = await ok<{ counterparties: { totalCount: number }; documents: { totalCount: number }; deals: { totalCount: number } }>(
    '{ counterparties(first: 1) { totalCount } documents(first: 1) { totalCount } deals(first: 1) { totalCount } }');
  // archived counterparties (1 in 20) are listed only when asked for
  expect(listed.counterparties.totalCount).toBe(COUNTERPARTIES - COUNTERPARTIES / 20);
  expect(listed.documents.totalCount).toBe(1000);
  expect(listed.deals.totalCount).toBe(300);
});

it('loads a generated counterparty card with its documents, deals and finance, all references resolved', async () => {
  // n = 10: a client (legal entity) with a signed contract among its documents
  const id = benchId('counterparty', 10);
  type Card = {
    counterparty: {
      inn: string; kind: 'LEGAL_ENTITY' | 'SOLE_PROPRIETOR'; ogrn: string; responsibleManager: { name: string } | null;
      contacts: { name: string; email: string }[]; bankAccounts: { bik: string; account: string }[];
      history: { totalCount: number; edges: { node: { actor: { name: string } | null } }[] };
      documents: { totalCount: number; edges: { node: { number: string | null; author: { name: string } | null } }[] };
      deals: { totalCount: number; edges: { node: { stage: string; owner: { name: string } | null } }[] };
    };
  };
  const { counterparty } = await ok<Card>(CARD_QUERY, { id });
  expect(isValidInn(counterparty.inn)).toBe(true);
  expect(validateOgrn(counterparty.ogrn, counterparty.kind)).toBeNull();
  expect(counterparty.responsibleManager?.name).toBeTruthy();
  expect(counterparty.contacts).toHaveLength(2);
  expect(counterparty.bankAccounts).toHaveLength(1);
  expect(validateSettlementAccount(counterparty.bankAccounts[0].account, counterparty.bankAccounts[0].bik)).toBeNull();
  expect(counterparty.history.totalCount).toBe(1);
  expect(counterparty.history.edges[0].node.actor?.name).toBeTruthy();
  expect(counterparty.documents.totalCount).toBe(10);
  expect(counterparty.documents.edges.every((edge) => edge.node.author?.name)).toBe(true);
  expect(counterparty.deals.totalCount).toBe(3);
  expect(counterparty.deals.edges.every((edge) => edge.node.owner?.name && edge.node.stage)).toBe(true);

  type Panel = { counterparty: { finance: { contracts: { contractId: string; contracted: { minor: number } }[]; lastPayment: { amount: { minor: number } } | null } } };
  const panel = await ok<Panel>(FINANCE_PANEL_QUERY, { id });
  // the generator is deterministic: this counterparty's contract (its document 0) is in force, and it has matched payments
  const [contract] = await sql<{ status: string }>('documents', 'select status from documents where id = ?', [benchId('document', 100)]);
  expect(contract.status).toBe('IN_FORCE');
  expect(panel.counterparty.finance.contracts.map((row) => row.contractId)).toContain(benchId('document', 100));
  const [payments] = await sql<{ matched: number }>('finance', `select count(*)::int as matched from payments where counterparty_id = ? and match_status = 'MATCHED'`, [id]);
  expect(payments.matched).toBeGreaterThan(0);
  expect(panel.counterparty.finance.lastPayment).not.toBeNull();
});

it('every generated counterparty card loads without errors', async () => {
  for (let n = 0; n < COUNTERPARTIES; n += 7) {
    const result = await stack.call(CARD_QUERY, { id: benchId('counterparty', n) }, token);
    expect(result.errors).toBeUndefined();
  }
});

it('loads a document with its approval route through the gateway', async () => {
  type DocumentCard = { document: { status: string; approvalRoute: { status: string; stages: { signOff: boolean; steps: { status: string }[] }[] } | null } };
  const { document } = await ok<DocumentCard>(
    'query($id: ID!) { document(id: $id) { status approvalRoute { status stages { signOff steps { status } } } } }', { id: benchId('document', 100) });
  expect(document.status).toBe('IN_FORCE');
  expect(document.approvalRoute?.status).toBe('COMPLETED');
  expect(document.approvalRoute?.stages.map((stage) => stage.signOff)).toEqual([false, true]);
  const steps = document.approvalRoute!.stages.flatMap((stage) => stage.steps);
  expect(steps.length).toBeGreaterThanOrEqual(3);
  expect(steps.every((step) => step.status === 'APPROVED')).toBe(true);
});

it('keeps the registration journals gap-free and the numbers unique', async () => {
  const rows = await sql<{ document_type: string; year: number; last_number: number; max: number; count: number }>('documents',
    `select j.document_type, j.year, j.last_number,
            max(substring(d.number from '[0-9]+$')::int)::int as max, count(d.id)::int as count
       from document_journals j join documents d on d.type = j.document_type and extract(year from d.registered_at) = j.year and d.number is not null
      group by 1, 2, 3`);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect([row.document_type, row.year, row.max, row.count]).toEqual([row.document_type, row.year, row.last_number, row.last_number]);
  const [duplicates] = await sql<{ n: number }>('documents', 'select count(*)::int as n from (select number from documents where number is not null group by number having count(*) > 1) x');
  expect(duplicates.n).toBe(0);
  // finance's facts carry the same numbers as the documents
  const facts = await sql<{ id: string; number: string }>('finance', 'select id, number from finance_documents order by id limit 20');
  expect(facts.length).toBeGreaterThan(0);
  const numbers = new Map((await sql<{ id: string; number: string }>('documents', 'select id, number from documents where id = any(?::uuid[])', [`{${facts.map((f) => f.id).join(',')}}`])).map((row) => [row.id, row.number]));
  for (const fact of facts) expect(numbers.get(fact.id)).toBe(fact.number);
});

it('refuses to run a second time on the same databases', () => {
  const result = run([`--scale=${SCALE}`]);
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/already/);
});
