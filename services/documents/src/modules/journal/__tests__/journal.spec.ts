import { apiKeyIdentity, type Identity } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { documentsSubgraph } from '../../../subgraph';
import { DocumentType } from '../../document/document.entity';
import { JournalService } from '../journal.service';

const admin: Identity = demoIdentity('admin@kartoteka.local');
const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const readingPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000dddd', '1C', ['documents:read']);

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(undefined, { workers: false }));
});
afterAll(() => subgraph?.close());

/** Takes a number in its own transaction, as a registration would. */
function take(type: DocumentType, year: number): Promise<string> {
  return subgraph.orm.em.fork().transactional((em) => new JournalService(em).nextNumber(type, year));
}

type Journal = { type: string; year: number; prefix: string; lastNumber: number; nextNumber: string };
const JOURNALS = 'query($year: Int) { documentJournals(year: $year) { type year prefix lastNumber nextNumber } }';
const UPDATE = 'mutation($input: UpdateDocumentJournalInput!) { updateDocumentJournal(input: $input) { type year prefix lastNumber nextNumber } }';

describe('JournalService.nextNumber', () => {
  it('numbers each type and year separately, with the default prefixes', async () => {
    expect(await take(DocumentType.CONTRACT, 2030)).toBe('Д-2030-00001');
    expect(await take(DocumentType.CONTRACT, 2030)).toBe('Д-2030-00002');
    expect(await take(DocumentType.INVOICE, 2030)).toBe('СЧ-2030-00001');
    expect(await take(DocumentType.CONTRACT, 2029)).toBe('Д-2029-00001');
    expect(await take(DocumentType.CONTRACT, 2030)).toBe('Д-2030-00003');
    expect(await take(DocumentType.INCOMING_LETTER, 2030)).toBe('ВХ-2030-00001');
    expect(await take(DocumentType.OUTGOING_LETTER, 2030)).toBe('ИСХ-2030-00001');
    expect(await take(DocumentType.SUPPLEMENTARY_AGREEMENT, 2030)).toBe('ДС-2030-00001');
    expect(await take(DocumentType.ACT, 2030)).toBe('АКТ-2030-00001');
    expect(await take(DocumentType.PAYMENT_ORDER, 2030)).toBe('ПП-2030-00001');
    expect(await take(DocumentType.COMMERCIAL_OFFER, 2030)).toBe('КП-2030-00001');
    expect(await take(DocumentType.OTHER, 2030)).toBe('ПР-2030-00001');
  });

  it('gives a rolled-back number to the next registration', async () => {
    await expect(
      subgraph.orm.em.fork().transactional(async (em) => {
        expect(await new JournalService(em).nextNumber(DocumentType.ACT, 2031)).toBe('АКТ-2031-00001');
        throw new Error('registration failed');
      }),
    ).rejects.toThrow('registration failed');
    expect(await take(DocumentType.ACT, 2031)).toBe('АКТ-2031-00001');
  });

  it('50 concurrent registrations, some rolling back: the committed numbers are exactly 1..N', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        subgraph.orm.em.fork().transactional(async (em) => {
          const number = await new JournalService(em).nextNumber(DocumentType.CONTRACT, 2032);
          // Hold the journal row while others queue behind it, then fail every fifth registration.
          await em.execute('select pg_sleep(0.005)');
          if (i % 5 === 2) throw new Error(`rolled back ${number}`);
          return number;
        }),
      ),
    );
    const committed = outcomes.filter((outcome): outcome is PromiseFulfilledResult<string> => outcome.status === 'fulfilled').map((outcome) => outcome.value);
    const rolledBack = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(rolledBack).toHaveLength(10);
    for (const outcome of rolledBack) expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/rolled back Д-2032-\d{5}/);
    expect(committed).toHaveLength(40);
    const numbers = committed.map((value) => Number(value.replace(/^Д-2032-/, ''))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const [journal] = await subgraph.orm.em.getConnection().execute<{ last_number: number }[]>("select last_number from document_journals where document_type = 'CONTRACT' and year = 2032");
    expect(journal.last_number).toBe(40);
    expect(await take(DocumentType.CONTRACT, 2032)).toBe('Д-2032-00041');
  });

  it('runs only inside the caller’s transaction and checks the year', async () => {
    await expect(new JournalService(subgraph.orm.em.fork()).nextNumber(DocumentType.OTHER, 2030)).rejects.toThrow(/inside the transaction/);
    await expect(take(DocumentType.OTHER, 30)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'year' } });
  });
});

describe('documentJournals, updateDocumentJournal', () => {
  it('lists every type with its prefix and last number', async () => {
    await take(DocumentType.INVOICE, 2033);
    await take(DocumentType.INVOICE, 2033);
    const result = await subgraph.request<{ documentJournals: Journal[] }>(JOURNALS, { year: 2033 }, viewer);
    expect(result.errors).toBeUndefined();
    const journals = result.data!.documentJournals;
    expect(journals.map((journal) => journal.type)).toEqual(Object.values(DocumentType));
    expect(journals.find((journal) => journal.type === 'INVOICE')).toEqual({ type: 'INVOICE', year: 2033, prefix: 'СЧ', lastNumber: 2, nextNumber: 'СЧ-2033-00003' });
    expect(journals.find((journal) => journal.type === 'ACT')).toEqual({ type: 'ACT', year: 2033, prefix: 'АКТ', lastNumber: 0, nextNumber: 'АКТ-2033-00001' });

    const current = await subgraph.request<{ documentJournals: Journal[] }>(JOURNALS, {}, readingPartner);
    expect(current.errors).toBeUndefined();
    expect(current.data?.documentJournals.every((journal) => journal.year === new Date().getUTCFullYear())).toBe(true);

    const badYear = await subgraph.request(JOURNALS, { year: 99 }, viewer);
    expect(badYear.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
    const anonymous = await subgraph.request(JOURNALS, { year: 2033 });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('applies a new prefix to the next number, keeping the count', async () => {
    expect(await take(DocumentType.SUPPLEMENTARY_AGREEMENT, 2034)).toBe('ДС-2034-00001');
    const updated = await subgraph.request<{ updateDocumentJournal: Journal }>(UPDATE, { input: { type: 'SUPPLEMENTARY_AGREEMENT', prefix: ' ДОП-С ' } }, admin);
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.updateDocumentJournal).toMatchObject({ type: 'SUPPLEMENTARY_AGREEMENT', prefix: 'ДОП-С', year: new Date().getUTCFullYear() });
    expect(await take(DocumentType.SUPPLEMENTARY_AGREEMENT, 2034)).toBe('ДОП-С-2034-00002');
    expect(await take(DocumentType.CONTRACT, 2034)).toBe('Д-2034-00001');

    const listed = await subgraph.request<{ documentJournals: Journal[] }>(JOURNALS, { year: 2034 }, viewer);
    expect(listed.data?.documentJournals.find((journal) => journal.type === 'SUPPLEMENTARY_AGREEMENT')).toEqual({ type: 'SUPPLEMENTARY_AGREEMENT', year: 2034, prefix: 'ДОП-С', lastNumber: 2, nextNumber: 'ДОП-С-2034-00003' });

    const again = await subgraph.request<{ updateDocumentJournal: Journal }>(UPDATE, { input: { type: 'SUPPLEMENTARY_AGREEMENT', prefix: 'DS2' } }, admin);
    expect(again.data?.updateDocumentJournal.prefix).toBe('DS2');
    expect(await take(DocumentType.SUPPLEMENTARY_AGREEMENT, 2034)).toBe('DS2-2034-00003');
  });

  it('rejects invalid prefixes with BAD_USER_INPUT on prefix, and non-administrators', async () => {
    for (const prefix of ['', '   ', 'ABCDEFGHIJK', 'Д/1', 'Д 1', 'Д_1']) {
      const result = await subgraph.request(UPDATE, { input: { type: 'CONTRACT', prefix } }, admin);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'prefix' });
    }
    const longest = await subgraph.request<{ updateDocumentJournal: Journal }>(UPDATE, { input: { type: 'OTHER', prefix: 'ПРОЧЕЕ-123' } }, admin);
    expect(longest.data?.updateDocumentJournal.prefix).toBe('ПРОЧЕЕ-123');

    for (const identity of [manager, viewer, apiKeyIdentity('00000000-0000-4000-8000-00000000eeee', 'ERP', ['documents:read', 'documents:write'])]) {
      const denied = await subgraph.request(UPDATE, { input: { type: 'CONTRACT', prefix: 'X' } }, identity);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await take(DocumentType.CONTRACT, 2035)).toBe('Д-2035-00001');
  });
});
