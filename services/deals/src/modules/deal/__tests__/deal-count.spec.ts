import { randomUUID } from 'node:crypto';
import { type Identity, LIST_COUNT_CAP, LoaderRegistry } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { dealsSubgraph } from '../../../subgraph';
import { CaseTemplateVersion } from '../../case-template/case-template-version.entity';
import type { CaseDefinition } from '../../case-template/case-template.definition';
import { CaseTemplate, CaseTemplateStatus } from '../../case-template/case-template.entity';
import { Deal } from '../deal.entity';
import { DealService } from '../deal.service';

/** The deals list's counts: exact `totalCount` only when selected, `totalCountAtLeast` / `totalCountCapped` up to a cap. */
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const TEMPLATE = randomUUID();
const VERSION = randomUUID();
const DEFINITION: CaseDefinition = {
  stages: [
    { key: 's1', name: 'Первый контакт', probability: 10, outcome: 'OPEN', requiredFields: [], actions: [] },
    { key: 'won', name: 'Выиграна', probability: 100, outcome: 'WON', requiredFields: [], actions: [] },
  ],
  form: { fields: [], sections: [] },
};

let subgraph: TestSubgraph;
let statements: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph(), { onQuery: (sql) => statements.push(sql) });
  const em = subgraph.orm.em.fork();
  em.create(CaseTemplate, { id: TEMPLATE, name: 'Подсчёт', status: CaseTemplateStatus.PUBLISHED, draft: DEFINITION });
  em.create(CaseTemplateVersion, { id: VERSION, templateId: TEMPLATE, number: 1, definition: DEFINITION });
  await em.flush();
  for (let i = 0; i < 5; i += 1) em.create(Deal, { title: `Подсчёт ${i}`, counterpartyId: randomUUID(), templateId: TEMPLATE, templateVersionId: VERSION, stageKey: 's1' });
  await em.flush();
});
afterAll(() => subgraph?.close());

const service = () => new DealService({ em: subgraph.orm.em.fork(), identity: viewer, loaders: new LoaderRegistry() });
const countStatements = () => statements.filter((sql) => /count\(/i.test(sql) && /deals/.test(sql));

describe('deals list counts', () => {
  it('counts up to the cap: exact below it, a lower bound flagged as capped beyond it', async () => {
    expect(LIST_COUNT_CAP).toBeGreaterThan(5);
    expect((await service().list({ templateId: TEMPLATE }, { first: 2, countUpTo: 5 })).cappedCount).toEqual({ atLeast: 5, capped: false });
    const beyond = await service().list({ templateId: TEMPLATE }, { first: 2, countUpTo: 3 });
    expect(beyond.cappedCount).toEqual({ atLeast: 3, capped: true });
    expect(beyond.totalCount).toBe(5);
    expect((await service().list({ templateId: TEMPLATE, search: 'подсчёт 4' }, { first: 2, countUpTo: 3 })).cappedCount).toEqual({ atLeast: 1, capped: false });
  });

  it('counts only what the query selects', async () => {
    statements = [];
    const page = await subgraph.request<{ deals: { edges: unknown[] } }>('query($t: ID) { deals(templateId: $t, first: 2) { edges { node { id } } } }', { t: TEMPLATE }, viewer);
    expect(page.data?.deals.edges).toHaveLength(2);
    expect(countStatements()).toEqual([]);

    statements = [];
    const capped = await subgraph.request<{ deals: unknown }>('query($t: ID) { deals(templateId: $t, first: 2) { totalCountAtLeast totalCountCapped } }', { t: TEMPLATE }, viewer);
    expect(capped.data?.deals).toEqual({ totalCountAtLeast: 5, totalCountCapped: false });
    expect(countStatements()).toHaveLength(1);
    expect(countStatements()[0]).toMatch(/limit/i);

    statements = [];
    const exact = await subgraph.request<{ deals: unknown }>('query($t: ID) { deals(templateId: $t, first: 2) { totalCount } }', { t: TEMPLATE }, viewer);
    expect(exact.data?.deals).toEqual({ totalCount: 5 });
    expect(countStatements()).toHaveLength(1);
  });
});
