import { DEMO_COUNTERPARTY_IDS, DEMO_MANAGER_IDS, DEMO_USERS } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../subgraph';
import { demoCompanies } from '../demo-companies';
import { demoCounterpartyId, demoCounterpartyIdOf, seedCounterparties, uuidV5 } from '../counterparties.seed';

let subgraph: TestSubgraph;
const viewer = demoIdentity('viewer@kartoteka.local');

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph());
});
afterAll(() => subgraph?.close());

describe('demo ids', () => {
  it('computes RFC 4122 version-5 UUIDs (reference values of the uuid package)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(demoCounterpartyIdOf('7715301256', '771501001')).toBe('2a8bb2a1-2c22-5f0e-90d4-aa3004761cf2');
  });

  it('gives every demo company its own stable id', () => {
    const ids = demoCompanies.map((_, index) => demoCounterpartyId(index));
    expect(new Set(ids).size).toBe(demoCompanies.length);
    expect(ids[0]).toBe(demoCounterpartyIdOf(demoCompanies[0].inn, demoCompanies[0].kpp));
    expect(() => demoCounterpartyId(demoCompanies.length)).toThrow(RangeError);
  });

  it('matches the list kit gives the documents and deals seeds', () => {
    expect(demoCompanies.map((_, index) => demoCounterpartyId(index))).toEqual(DEMO_COUNTERPARTY_IDS);
  });
});

describe('seedCounterparties', () => {
  it('seeds the demo companies once, with their ids, managers and a CREATED entry by the demo admin', async () => {
    expect(await seedCounterparties(subgraph.orm.em.fork())).toBe(`counterparties: ${demoCompanies.length} demo counterparties`);
    expect(await seedCounterparties(subgraph.orm.em.fork())).toBe('counterparties: counterparties exist, nothing seeded');

    const connection = subgraph.orm.em.getConnection();
    const rows = await connection.execute<{ id: string; inn: string; kpp: string | null; responsible_manager_id: string; contacts: number; accounts: number }[]>(
      `select c.id, c.inn, c.kpp, c.responsible_manager_id,
              (select count(*)::int from counterparty_contacts x where x.counterparty_id = c.id) as contacts,
              (select count(*)::int from counterparty_bank_accounts x where x.counterparty_id = c.id) as accounts
         from counterparties c`,
    );
    expect(rows).toHaveLength(demoCompanies.length);
    demoCompanies.forEach((company, index) => {
      const row = rows.find((candidate) => candidate.id === demoCounterpartyId(index));
      expect(row).toMatchObject({ inn: company.inn, kpp: company.kpp, contacts: company.contacts.length, accounts: company.bankAccounts.length });
      expect(DEMO_MANAGER_IDS).toContain(row?.responsible_manager_id);
    });
    expect(new Set(rows.map((row) => row.responsible_manager_id))).toEqual(new Set(DEMO_MANAGER_IDS));

    const changes = await connection.execute<{ action: string; actor_id: string; version: number }[]>('select action, actor_id, version from counterparty_changes');
    expect(changes).toHaveLength(demoCompanies.length);
    expect(changes.every((change) => change.action === 'CREATED' && change.actor_id === DEMO_USERS[0].id && change.version === 1)).toBe(true);
  });

  it('makes the demo data searchable', async () => {
    const head = demoCompanies[0];
    const result = await subgraph.request<{ counterparties: { totalCount: number; edges: { node: { id: string } }[] } }>(
      'query($search: String) { counterparties(search: $search, first: 5) { totalCount edges { node { id } } } }',
      { search: head.inn },
      viewer,
    );
    // The head office and its branch share the INN.
    const branches = demoCompanies.map((company, index) => ({ company, index })).filter(({ company }) => company.inn === head.inn);
    expect(result.data?.counterparties.edges.map((edge) => edge.node.id).sort()).toEqual(branches.map(({ index }) => demoCounterpartyId(index)).sort());
  });
});
