import { randomUUID } from 'node:crypto';
import { createLogger, EventConsumer, InboxEvent, PgEventBus, RATING_CHANGED, runServiceEventsCli, type BusEvent, type RatingChanged } from '@kartoteka/kit';
import { makeInn10, makeOgrn } from '@kartoteka/kit/requisites';
import { collectPages, createTestDatabase, demoIdentity, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesEventHandlers, counterpartiesSubgraph } from '../../../subgraph';
import { COUNTERPARTIES_READ_MODELS, COUNTERPARTIES_REFERENCE_CHECKS } from '../../counterparty/counterparty-refs.readmodel';
import { upsertCounterpartyRating } from '../counterparty-rating.readmodel';

const manager = demoIdentity('manager@kartoteka.local');
const viewer = demoIdentity('viewer@kartoteka.local');
const logger = createLogger('counterparties-rating-spec', 'silent');

let subgraph: TestSubgraph;
let events: TestDatabase;
let bus: PgEventBus;

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph());
  events = await createTestDatabase('events');
  bus = new PgEventBus({ url: events.url, logger });
  await bus.connect();
});
afterAll(async () => {
  await bus?.close();
  await subgraph?.close();
  await events?.drop();
});

/** Runs the service's own consumer (its real handlers) until the bus has nothing more for it. */
async function drain(): Promise<void> {
  const worker = new EventConsumer({ consumer: 'counterparties', orm: subgraph.orm, bus, logger, handlers: counterpartiesEventHandlers() });
  try {
    while ((await worker.processBatch()) > 0);
  } finally {
    await worker.stop();
  }
}

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1) + minutes * 60_000).toISOString();
const rating = (counterpartyId: string, overrides: Partial<RatingChanged> = {}): RatingChanged => ({ counterpartyId, score: 80, grade: 'A', methodVersion: 1, computedAt: at(0), ...overrides });
const event = (payload: RatingChanged | Record<string, unknown>, id: string = randomUUID()): BusEvent => ({ id, topic: RATING_CHANGED, producer: 'finance', payload: payload as BusEvent['payload'], occurredAt: new Date() });

type Stored = { score: string | null; grade: string | null; method_version: number; computed_at: string };
async function stored(counterpartyId: string): Promise<Stored | undefined> {
  const [row] = await subgraph.orm.em.fork().getConnection().execute<(Omit<Stored, 'computed_at'> & { computed_at: string | Date })[]>(
    'select score, grade, method_version, computed_at from counterparty_ratings where counterparty_id = ?',
    [counterpartyId],
  );
  return row && { ...row, computed_at: new Date(row.computed_at).toISOString() };
}

describe('the rating read model, kept from finance.rating.changed', () => {
  it('stores a rating, keeps the newest computedAt whatever the arrival order, and takes a redelivery once', async () => {
    const id = randomUUID();
    const newest = event(rating(id, { score: 91.25, grade: 'A', methodVersion: 2, computedAt: at(20) }));
    await bus.publish([event(rating(id, { score: 40, grade: 'C', computedAt: at(10) })), newest]);
    await drain();
    expect(await stored(id)).toEqual({ score: '91.3', grade: 'A', method_version: 2, computed_at: at(20) });

    // an older state arriving late never replaces the newer one
    await bus.publish([event(rating(id, { score: 10, grade: 'D', computedAt: at(15) }))]);
    await drain();
    expect(await stored(id)).toMatchObject({ score: '91.3', grade: 'A' });

    // the same event delivered again: the inbox takes it once; applied again by hand (a replay), it changes nothing
    await bus.publish([newest]);
    await drain();
    expect(await subgraph.orm.em.fork().count(InboxEvent, { eventId: newest.id })).toBe(1);
    await subgraph.orm.em.fork().transactional((em) => counterpartiesEventHandlers()[RATING_CHANGED](newest, em));
    expect(await stored(id)).toEqual({ score: '91.3', grade: 'A', method_version: 2, computed_at: at(20) });

    // a newer one replaces it, also when the score goes away (not enough verified history)
    await bus.publish([event(rating(id, { score: null, grade: null, methodVersion: 3, computedAt: at(30) }))]);
    await drain();
    expect(await stored(id)).toEqual({ score: null, grade: null, method_version: 3, computed_at: at(30) });
  });

  it('does not let a state with the same computedAt replace the stored one (idempotent, order-independent)', async () => {
    const id = randomUUID();
    await subgraph.orm.em.fork().transactional(async (em) => {
      expect(await upsertCounterpartyRating(em, { ...rating(id, { score: 55, grade: 'B' }), computedAt: new Date(at(5)) })).toBe(true);
      expect(await upsertCounterpartyRating(em, { ...rating(id, { score: 99, grade: 'A' }), computedAt: new Date(at(5)) })).toBe(false);
      expect(await upsertCounterpartyRating(em, { ...rating(id, { score: 99, grade: 'A' }), computedAt: new Date(at(4)) })).toBe(false);
    });
    expect(await stored(id)).toMatchObject({ score: '55.0', grade: 'B' });
  });

  it('parks a malformed payload and stores nothing of it', async () => {
    const id = randomUUID();
    await bus.publish([event({ ...rating(id), grade: null }), event({ ...rating(id), score: 101 })]);
    await drain();
    expect(await stored(id)).toBeUndefined();
  });

  it('`events rebuild-ratings` rebuilds the table from the bus history, newest state per counterparty', async () => {
    const connection = subgraph.orm.em.getConnection();
    const before = await connection.execute<{ counterparty_id: string; score: string | null; grade: string | null }[]>('select counterparty_id, score, grade from counterparty_ratings order by counterparty_id');
    await connection.execute('delete from counterparty_ratings');
    const options = { service: 'counterparties', definition: counterpartiesSubgraph(), databaseUrl: subgraph.database.url, eventBusUrl: events.url, rebuild: COUNTERPARTIES_READ_MODELS, references: COUNTERPARTIES_REFERENCE_CHECKS };
    const summary = await runServiceEventsCli(options, ['rebuild-ratings']);
    expect(summary).toMatch(/^counterparties: rebuild-ratings: \d+ events applied, 2 malformed skipped$/);
    const after = await connection.execute<{ counterparty_id: string; score: string | null; grade: string | null }[]>('select counterparty_id, score, grade from counterparty_ratings order by counterparty_id');
    // only what came through the bus (the hand-written row of the test above is not in the history)
    expect(after).toEqual(before.filter((row) => after.some((rebuilt) => rebuilt.counterparty_id === row.counterparty_id)));
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ score: null, grade: null });
  });
});

// ---------------------------------------------------------------------------------------------------------
// The counterparty list filtered and sorted by the stored ratings.

type Node = { id: string; name: string };
type Page = { edges: { node: Node; cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number };
type ListVariables = { search?: string; status?: string; minRating?: number | null; ratingGrades?: string[] | null; sort?: string | null; first?: number; after?: string | null };

const LIST = `query($search: String, $status: CounterpartyStatus, $minRating: Float, $ratingGrades: [RatingGrade!], $sort: CounterpartySort, $first: Int, $after: String) {
  counterparties(search: $search, status: $status, minRating: $minRating, ratingGrades: $ratingGrades, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }`;

async function list(variables: ListVariables): Promise<Page> {
  const result = await subgraph.request<{ counterparties: Page }>(LIST, variables, viewer);
  if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.counterparties;
}

async function walk(variables: ListVariables, pageSize: number): Promise<{ names: string[]; pages: number; totalCount: number }> {
  const collected = await collectPages((after) => list({ ...variables, first: pageSize, after }), 50);
  const last = collected.pages.length - 1;
  collected.pages.forEach((page, index) => (index < last ? expect(page.edges).toHaveLength(pageSize) : expect(page.edges.length).toBeLessThanOrEqual(pageSize)));
  return { names: collected.nodes.map((node) => node.name), pages: collected.pages.length, totalCount: collected.totalCount };
}

/**
 * Name → score and grade (undefined: finance never rated it; null: rated without enough history). Ties on 80 and
 * on 55.5 and several unrated ones make the tie-break by name visible across page boundaries.
 */
const RATED: [string, number | null | undefined, 'A' | 'B' | 'C' | 'D' | null | undefined][] = [
  ['Рейтинг 01', 80, 'A'],
  ['Рейтинг 02', 95.5, 'A'],
  ['Рейтинг 03', 80, 'A'],
  ['Рейтинг 04', 55.5, 'C'],
  ['Рейтинг 05', undefined, undefined],
  ['Рейтинг 06', 70, 'B'],
  ['Рейтинг 07', null, null],
  ['Рейтинг 08', 55.5, 'C'],
  ['Рейтинг 09', 20, 'D'],
  ['Рейтинг 10', 80, 'A'],
  ['Рейтинг 11', undefined, undefined],
  ['Рейтинг 12', 69.9, 'B'],
  ['Рейтинг 13', 100, 'A'],
  ['Рейтинг 14', 0, 'D'],
];
/** The expected order by rating, by hand: best first, unrated last, ties by name. */
const BY_RATING = ['13', '02', '01', '03', '10', '06', '12', '04', '08', '09', '14', '05', '07', '11'].map((n) => `Рейтинг ${n}`);

describe('listing by rating', () => {
  beforeAll(async () => {
    for (const [index, [name, score, grade]] of RATED.entries()) {
      const serial = `9${String(index).padStart(2, '0')}${String(Date.now() % 1e5).padStart(5, '0')}`;
      const input = { name, kind: 'LEGAL_ENTITY', status: index % 2 ? 'CLIENT' : 'SUPPLIER', inn: makeInn10(`55${serial}`.slice(0, 9)), kpp: '550101001', ogrn: makeOgrn(`10255${serial}`.slice(0, 12)) };
      const result = await subgraph.request<{ createCounterparty: { id: string } }>('mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id } }', { input }, manager);
      if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors));
      if (score !== undefined) await bus.publish([event(rating(result.data.createCounterparty.id, { score, grade: grade ?? null, computedAt: at(100 + index) }))]);
    }
    await drain();
  });

  it('filters by minRating, leaving unrated counterparties out', async () => {
    const page = await list({ minRating: 80, first: 100 });
    expect(page.edges.map((edge) => edge.node.name)).toEqual(['Рейтинг 01', 'Рейтинг 02', 'Рейтинг 03', 'Рейтинг 10', 'Рейтинг 13']);
    expect(page.totalCount).toBe(5);
    expect((await list({ minRating: 69.95, sort: 'RATING', first: 100 })).edges.map((edge) => edge.node.name)).toEqual(BY_RATING.slice(0, 6));
    expect((await list({ minRating: 0, first: 100 })).totalCount).toBe(11);
    expect((await list({ minRating: 100, first: 100 })).edges.map((edge) => edge.node.name)).toEqual(['Рейтинг 13']);
  });

  it('filters by grades, and combines with minRating, status and search', async () => {
    expect((await list({ ratingGrades: ['C', 'D'], first: 100 })).edges.map((edge) => edge.node.name)).toEqual(['Рейтинг 04', 'Рейтинг 08', 'Рейтинг 09', 'Рейтинг 14']);
    expect((await list({ ratingGrades: ['B'], first: 100 })).totalCount).toBe(2);
    // empty or null: any, rated or not
    expect((await list({ ratingGrades: [], first: 100 })).totalCount).toBe(RATED.length);
    expect((await list({ ratingGrades: null, first: 100 })).totalCount).toBe(RATED.length);
    expect((await list({ ratingGrades: ['A', 'B'], minRating: 75, status: 'SUPPLIER', first: 100 })).edges.map((edge) => edge.node.name)).toEqual(['Рейтинг 01', 'Рейтинг 03', 'Рейтинг 13']);
    expect((await list({ ratingGrades: ['A'], search: 'рейтинг', sort: 'RATING', first: 100 })).edges.map((edge) => edge.node.name)).toEqual(BY_RATING.slice(0, 5));
  });

  it('sorts by rating, best first, unrated last, ties by name, in pages with no duplicates or gaps', async () => {
    for (const pageSize of [1, 3, 4, 5]) {
      const { names, pages, totalCount } = await walk({ sort: 'RATING' }, pageSize);
      expect(names).toEqual(BY_RATING);
      expect(totalCount).toBe(RATED.length);
      expect(pages).toBe(Math.ceil(RATED.length / pageSize));
    }
    // with a search too (the search filters, the rating orders), and with a filter
    expect((await walk({ sort: 'RATING', search: 'рейтинг' }, 4)).names).toEqual(BY_RATING);
    expect((await walk({ sort: 'RATING', status: 'CLIENT' }, 2)).names).toEqual(BY_RATING.filter((name) => Number(name.slice(-2)) % 2 === 0));
  });

  it('sorts by name when asked, also with a search', async () => {
    expect((await walk({ sort: 'NAME', search: 'рейтинг' }, 4)).names).toEqual(RATED.map(([name]) => name));
  });

  it('refuses minRating outside 0..100 and a cursor of another order, with typed errors', async () => {
    for (const minRating of [101, -1, 100.01]) {
      const result = await subgraph.request(LIST, { minRating, first: 10 }, viewer);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]).toMatchObject({ message: 'minRating must be between 0 and 100', extensions: { code: 'BAD_USER_INPUT', field: 'minRating' } });
    }
    const byName = await list({ first: 2 });
    const byRating = await list({ sort: 'RATING', first: 2 });
    for (const [variables, after] of [
      [{ sort: 'RATING' }, byName.pageInfo.endCursor],
      [{}, byRating.pageInfo.endCursor],
      [{ search: 'рейтинг' }, byRating.pageInfo.endCursor],
    ] as const) {
      const result = await subgraph.request(LIST, { ...variables, first: 2, after }, viewer);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });
});
