import { randomUUID } from 'node:crypto';
import { CounterpartyDirectory, GATEWAY_TOKEN_HEADER, PAYMENT_RECEIVED, paymentReceivedContract, signGatewayToken, type Identity, type PaymentReceived } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { defaultFinanceSettings } from '../../../config';
import { sign } from '../../../testing/finance.fixtures';
import { documentLines, encode, headerLines, incoming, OUR_ACCOUNT, statementLines } from '../../../testing/statement.fixtures';
import { Payment } from '../../payment/payment.entity';
import { rematchPending } from '../../payment/payment.service';
import { statementImportWorker } from '../statement-import.worker';
import { StatementImport, StatementImportStatus } from '../statement-import.entity';

const ACCOUNTANT = demoIdentity('accountant@kartoteka.local');
const VIEWER = demoIdentity('viewer@kartoteka.local');

const ROMASHKA = { id: randomUUID(), inn: '7707083893', kpp: '770701001' };
const IVANOV = { id: randomUUID(), inn: '500100732259', kpp: null };
const ROMASHKA_ACCOUNT = '40702810100000000777';
const IVANOV_ACCOUNT = '40802810500000001234';

type Upload = { status: number; body: Record<string, unknown> };

describe('statement import (REST upload → preview → background import) and payments', () => {
  let subgraph: TestSubgraph;
  let base: string;
  let invoiceA15: string;

  const upload = async (bytes: Buffer, identity: Identity = ACCOUNTANT, fileName = 'statement.txt'): Promise<Upload> => {
    const token = await signGatewayToken(identity, 'finance', subgraph.secret, randomUUID());
    const response = await fetch(`${base}/internal/rest/statements?fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', [GATEWAY_TOKEN_HEADER]: token },
      body: bytes,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const gql = async <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, identity: Identity = ACCOUNTANT): Promise<T> => {
    const result = await subgraph.request<T>(query, variables, identity);
    if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  };
  const drain = () => statementImportWorker({ orm: subgraph.orm, logger: subgraph.logger }).drain();
  const importFully = async (bytes: Buffer): Promise<Record<string, any>> => {
    const uploaded = await upload(bytes);
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id as string;
    const confirmed = await gql(`mutation($id: ID!) { confirmStatementImport(id: $id) { status } }`, { id });
    expect(confirmed.confirmStatementImport.status).toBe('RUNNING');
    await drain();
    return (await gql(`query($id: ID!) { statementImport(id: $id) { id status total processed created duplicates matched ambiguous unmatched progress duplicateLines { line code } refusedLines { line code } } }`, { id })).statementImport;
  };
  const payments = () => subgraph.orm.em.fork().find(Payment, {}, { orderBy: { date: 'asc', number: 'asc' } });
  /** `finance.payment.received` events in the outbox (for the counterparty timeline), parsed by their contract. */
  const received = async (): Promise<PaymentReceived[]> =>
    (await subgraph.orm.em.fork().execute<{ payload: Record<string, never> }[]>('select payload from outbox_events where topic = ? order by created_at, id', [PAYMENT_RECEIVED])).map((row) => {
      const parsed = paymentReceivedContract.parse(row);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    });

  beforeAll(async () => {
    subgraph = await startTestSubgraph(financeSubgraph(defaultFinanceSettings(), { workers: false }));
    base = subgraph.url.replace(/\/graphql$/, '');
    const em = subgraph.orm.em.fork();
    const directory = new CounterpartyDirectory(em);
    for (const counterparty of [ROMASHKA, IVANOV]) {
      await directory.upsert({ id: counterparty.id, name: `Контрагент ${counterparty.inn}`, shortName: null, inn: counterparty.inn, kpp: counterparty.kpp, status: 'CLIENT', updatedAt: new Date() });
    }
    invoiceA15 = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId: ROMASHKA.id, number: 'A-15/2026', amountMinor: 1_250_050, date: '2026-02-01', dueDate: '2026-02-10' });
  });
  afterAll(() => subgraph?.close());

  const february = (): string[] =>
    statementLines([
      ...documentLines('Платежное поручение', incoming()), // Ромашка pays invoice А-15/2026 in full
      ...documentLines('Платежное поручение', incoming({ Номер: '16', Сумма: '500.00', ПлательщикСчет: IVANOV_ACCOUNT, Плательщик1: 'ИП Иванов', ПлательщикИНН: IVANOV.inn, ПлательщикКПП: '0', НазначениеПлатежа: 'Оплата за услуги' })),
      ...documentLines('Платежное поручение', incoming({ Номер: '17', Сумма: '99.00', ПлательщикСчет: '40702810900000000555', ПлательщикИНН: '7736207543', НазначениеПлатежа: 'Возврат' })),
    ]);

  it('refuses a malformed statement with 422, the line and the reason, and stores nothing', async () => {
    const lines = february();
    const broken = lines.map((line, index) => (index === 20 && line.startsWith('Сумма=') ? 'Сумма=12,5,0' : line));
    const badLine = lines.findIndex((line) => line.startsWith('Сумма=')) + 1;
    broken[badLine - 1] = 'Сумма=двенадцать';
    const answer = await upload(encode(broken, 'windows-1251'));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'BAD_STATEMENT', line: badLine, reason: expect.stringMatching(/Сумма: "двенадцать" is not an amount/), message: expect.stringContaining(`Line ${badLine}`) });
    expect(await subgraph.orm.em.fork().count(StatementImport, {})).toBe(0);
    expect(await subgraph.orm.em.fork().count(Payment, {})).toBe(0);
  });

  it('needs payments:import to upload, confirm or discard', async () => {
    expect((await upload(encode(february(), 'utf-8'), VIEWER)).status).toBe(403);
    const result = await subgraph.request(`mutation { confirmStatementImport(id: "${randomUUID()}") { id } }`, {}, VIEWER);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('stores a PREVIEW with proposed matches, then imports it in the background: matched by INN and invoice number, unknown INN unmatched', async () => {
    const uploaded = await upload(encode(february(), 'windows-1251'), ACCOUNTANT, 'C:\\fakepath\\kl_to_1c.txt');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ fileName: 'kl_to_1c.txt', status: 'PREVIEW', encoding: 'windows-1251', accounts: [OUR_ACCOUNT], dateFrom: '2026-02-01', dateTo: '2026-02-05', total: 3, duplicates: 0, matched: 2, unmatched: 1, ambiguous: 0 });
    const id = uploaded.body.id as string;
    const preview = (await gql(`query($id: ID!) { statementImport(id: $id) { status preview { line number direction amount { minor } counterpartyInn duplicate matchStatus matchConfidence matchReasons counterparty { id } invoice { id } } } }`, { id })).statementImport;
    expect(preview.preview).toEqual([
      expect.objectContaining({ number: '15', direction: 'INCOMING', amount: { minor: 1_250_050 }, duplicate: false, matchStatus: 'MATCHED', matchConfidence: 1, counterparty: { id: ROMASHKA.id }, invoice: { id: invoiceA15 } }),
      expect.objectContaining({ number: '16', matchStatus: 'MATCHED', matchConfidence: 0.5, matchReasons: ['inn'], counterparty: { id: IVANOV.id }, invoice: null }),
      expect.objectContaining({ number: '17', matchStatus: 'UNMATCHED', matchReasons: ['inn.unknown'], counterparty: null }),
    ]);
    expect(await subgraph.orm.em.fork().count(Payment, {})).toBe(0);

    await gql(`mutation($id: ID!) { confirmStatementImport(id: $id) { status } }`, { id });
    await drain();
    const done = (await gql(`query($id: ID!) { statementImport(id: $id) { status total processed created duplicates matched unmatched progress finishedAt preview { line } } }`, { id })).statementImport;
    expect(done).toMatchObject({ status: 'DONE', total: 3, processed: 3, created: 3, duplicates: 0, matched: 2, unmatched: 1, progress: 1, preview: [] });
    const stored = await payments();
    expect(stored.map((payment) => [payment.number, payment.direction, payment.matchStatus, payment.counterpartyId, payment.invoiceId, payment.statementImportId])).toEqual([
      ['15', 'INCOMING', 'MATCHED', ROMASHKA.id, invoiceA15, id],
      ['16', 'INCOMING', 'MATCHED', IVANOV.id, null, id],
      ['17', 'INCOMING', 'UNMATCHED', null, null, id],
    ]);
    // each payment matched to a counterparty is announced once (the unmatched one is not)
    expect((await received()).map((event) => [event.counterpartyId, event.number, event.amountMinor, event.invoiceId, event.direction]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      [ROMASHKA.id, '15', 1_250_050, invoiceA15, 'INCOMING'],
      [IVANOV.id, '16', 50_000, null, 'INCOMING'],
    ]);
    // the account of a matched payment is now known
    const known = await subgraph.orm.em.fork().execute<{ counterparty_id: string; account: string }[]>('select counterparty_id, account from known_accounts order by account');
    expect(known).toEqual([
      { counterparty_id: ROMASHKA.id, account: ROMASHKA_ACCOUNT },
      { counterparty_id: IVANOV.id, account: IVANOV_ACCOUNT },
    ]);
  });

  it('re-importing the same statement (the other encoding) duplicates nothing; an overlapping one adds only what is new', async () => {
    const again = await importFully(encode(february(), 'utf-8'));
    expect(again).toMatchObject({ status: 'DONE', total: 3, created: 0, duplicates: 3 });
    expect(again.duplicateLines).toHaveLength(3);
    expect(await subgraph.orm.em.fork().count(Payment, {})).toBe(3);

    const overlap = statementLines(
      [
        ...documentLines('Платежное поручение', incoming({ Номер: '17', Сумма: '99.00', ПлательщикСчет: '40702810900000000555', ПлательщикИНН: '7736207543', НазначениеПлатежа: 'Возврат' })),
        ...documentLines('Платежное поручение', incoming({ Номер: '18', Дата: '06.02.2026', Сумма: '700.00', НазначениеПлатежа: 'Аванс' })),
        // a transfer between our own accounts is not a counterparty payment
        ...documentLines('Платежное поручение', incoming({ Номер: '19', ПлательщикСчет: OUR_ACCOUNT, ПолучательСчет: '40702810200000000002' })),
      ],
      [...headerLines({ ДатаНачала: '04.02.2026', ДатаКонца: '06.02.2026' }), 'РасчСчет=40702810200000000002'],
    );
    const result = await importFully(encode(overlap, 'windows-1251'));
    expect(result).toMatchObject({ status: 'DONE', total: 2, created: 1, duplicates: 1, matched: 1, refusedLines: [{ code: 'own-transfer' }] });
    expect((await payments()).map((payment) => payment.number)).toEqual(['15', '16', '17', '18']);
  });

  it('discards a PREVIEW (nothing imported); a DONE import can be neither confirmed nor discarded', async () => {
    const uploaded = await upload(encode(statementLines(documentLines('Платежное поручение', incoming({ Номер: 'D1' }))), 'utf-8'));
    const id = uploaded.body.id as string;
    expect((await gql(`mutation($id: ID!) { discardStatementImport(id: $id) { status } }`, { id })).discardStatementImport.status).toBe('DISCARDED');
    const again = await subgraph.request(`mutation($id: ID!) { confirmStatementImport(id: $id) { status } }`, { id }, ACCOUNTANT);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await drain();
    expect(await subgraph.orm.em.fork().count(Payment, { number: 'D1' })).toBe(0);
    const list = (await gql(`{ statementImports(first: 10) { id status } }`)).statementImports;
    expect(list[0]).toEqual({ id, status: 'DISCARDED' });
  });

  it('lists payments with filters and keyset pages; the review queue; Counterparty.payments', async () => {
    const page1 = (await gql(`{ payments(filter: { counterpartyId: "${ROMASHKA.id}" }, first: 1) { totalCount edges { node { number } } pageInfo { hasNextPage endCursor } } }`)).payments;
    expect(page1).toMatchObject({ totalCount: 2, edges: [{ node: { number: '18' } }], pageInfo: { hasNextPage: true } });
    const page2 = (await gql(`query($after: String) { payments(filter: { counterpartyId: "${ROMASHKA.id}" }, first: 1, after: $after) { edges { node { number } } pageInfo { hasNextPage } } }`, { after: page1.pageInfo.endCursor })).payments;
    expect(page2).toMatchObject({ edges: [{ node: { number: '15' } }], pageInfo: { hasNextPage: false } });
    const searched = (await gql(`{ payments(filter: { search: "возврат", dateFrom: "2026-02-01", dateTo: "2026-02-28" }) { edges { node { number } } } }`)).payments;
    expect(searched.edges).toEqual([{ node: { number: '17' } }]);
    const queue = (await gql(`{ unmatchedPayments { totalCount edges { node { number matchStatus } } } }`)).unmatchedPayments;
    expect(queue).toEqual({ totalCount: 1, edges: [{ node: { number: '17', matchStatus: 'UNMATCHED' } }] });
    const entities = (await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Counterparty { id payments(first: 5) { totalCount edges { node { number } } } } } }`, {
      r: [{ __typename: 'Counterparty', id: IVANOV.id }, { __typename: 'Counterparty', id: ROMASHKA.id }],
    }))._entities;
    expect(entities).toEqual([
      { id: IVANOV.id, payments: { totalCount: 1, edges: [{ node: { number: '16' } }] } },
      { id: ROMASHKA.id, payments: { totalCount: 2, edges: [{ node: { number: '18' } }, { node: { number: '15' } }] } },
    ]);
    const bad = await subgraph.request(`{ payments(after: "nonsense") { totalCount } }`, {}, ACCOUNTANT);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('matches and unmatches by hand with payments:match, validating the counterparty and the invoice', async () => {
    const [returned] = await subgraph.orm.em.fork().find(Payment, { number: '17' });
    const other = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId: IVANOV.id, number: 'I-1', amountMinor: 9_900, date: '2026-02-02' });
    const MATCH = `mutation($input: MatchPaymentInput!) { matchPayment(input: $input) { id matchStatus matchConfidence matchReasons counterparty { id } invoice { id } matchedBy { id } } }`;
    const denied = await subgraph.request(MATCH, { input: { paymentId: returned.id, counterpartyId: ROMASHKA.id } }, VIEWER);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await subgraph.request(MATCH, { input: { paymentId: returned.id, counterpartyId: randomUUID() } }, ACCOUNTANT);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'counterpartyId' });
    const foreign = await subgraph.request(MATCH, { input: { paymentId: returned.id, counterpartyId: ROMASHKA.id, invoiceId: other } }, ACCOUNTANT);
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'invoiceId', reason: 'invoice.otherCounterparty' });
    const missing = await subgraph.request(MATCH, { input: { paymentId: randomUUID(), counterpartyId: ROMASHKA.id } }, ACCOUNTANT);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const announced = (await received()).length;
    const matched = (await gql(MATCH, { input: { paymentId: returned.id, counterpartyId: IVANOV.id, invoiceId: other } })).matchPayment;
    expect((await received()).slice(announced)).toEqual([expect.objectContaining({ paymentId: returned.id, counterpartyId: IVANOV.id, invoiceId: other, matchedById: (ACCOUNTANT as { id: string }).id })]);
    expect(matched).toEqual({ id: returned.id, matchStatus: 'MATCHED', matchConfidence: 1, matchReasons: ['manual'], counterparty: { id: IVANOV.id }, invoice: { id: other }, matchedBy: { id: (ACCOUNTANT as { id: string }).id } });
    const known = await subgraph.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from known_accounts where counterparty_id = ? and account = '40702810900000000555'`, [IVANOV.id]);
    expect(known[0].n).toBe(1);

    const unmatched = (await gql(`mutation($id: ID!) { unmatchPayment(paymentId: $id) { matchStatus counterparty { id } invoice { id } matchedBy { id } } }`, { id: returned.id })).unmatchPayment;
    expect(unmatched).toEqual({ matchStatus: 'UNMATCHED', counterparty: null, invoice: null, matchedBy: { id: (ACCOUNTANT as { id: string }).id } });
    // a person's decision stands: automatic re-matching leaves it alone
    await subgraph.orm.em.fork().transactional((em) => rematchPending(em, {}));
    expect((await subgraph.orm.em.fork().findOneOrFail(Payment, { id: returned.id })).matchStatus).toBe('UNMATCHED');
  });

  it('re-matches waiting payments when their counterparty or invoice arrives', async () => {
    const newcomer = { id: randomUUID(), inn: '7736207543', kpp: '773601001' };
    const lines = statementLines([
      ...documentLines('Платежное поручение', incoming({ Номер: 'N1', Дата: '10.02.2026', Сумма: '300.00', ПлательщикСчет: '40702810900000000666', ПлательщикИНН: newcomer.inn, ПлательщикКПП: newcomer.kpp, НазначениеПлатежа: 'Оплата по счёту № 77' })),
    ]);
    await importFully(encode(lines, 'windows-1251'));
    const find = () => subgraph.orm.em.fork().findOneOrFail(Payment, { number: 'N1' });
    expect(await find()).toMatchObject({ matchStatus: 'UNMATCHED', matchReasons: ['inn.unknown'] });

    // the counterparty arrives (its event's handler calls rematchPending with its id)
    await subgraph.orm.em.fork().transactional(async (em) => {
      await new CounterpartyDirectory(em).upsert({ id: newcomer.id, name: 'Новый', shortName: null, inn: newcomer.inn, kpp: newcomer.kpp, status: 'CLIENT', updatedAt: new Date() });
      await rematchPending(em, { counterpartyIds: [newcomer.id] });
    });
    expect(await find()).toMatchObject({ matchStatus: 'MATCHED', counterpartyId: newcomer.id, invoiceId: null, matchConfidence: 0.6 });
    expect((await received()).filter((event) => event.counterpartyId === newcomer.id).map((event) => event.number)).toEqual(['N1']);

    // the invoice is signed (the ledger calls rematchPending for its counterparty)
    const invoice = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId: newcomer.id, number: '77', amountMinor: 30_000, date: '2026-02-09' });
    expect(await find()).toMatchObject({ matchStatus: 'MATCHED', counterpartyId: newcomer.id, invoiceId: invoice, matchConfidence: 1, matchReasons: ['inn', 'kpp', 'account', 'invoice.number', 'invoice.amount'] });
  });
  it('attributes a payment matched to no invoice to the contract its purpose names (preview, import, and once the contract is signed)', async () => {
    const client = { id: randomUUID(), inn: '7710140679', kpp: '771001001' };
    await new CounterpartyDirectory(subgraph.orm.em.fork()).upsert({ id: client.id, name: 'По договору', shortName: null, inn: client.inn, kpp: client.kpp, status: 'CLIENT', updatedAt: new Date() });
    const contract7 = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId: client.id, number: '7/26-П', date: '2026-01-10', amountMinor: 1_000_000 });
    const payer = { ПлательщикСчет: '40702810900000000888', ПлательщикИНН: client.inn, ПлательщикКПП: client.kpp };
    const lines = statementLines([
      ...documentLines('Платежное поручение', incoming({ Номер: 'C1', Дата: '11.02.2026', Сумма: '400.00', ...payer, НазначениеПлатежа: 'Оплата по договору № 7/26-П от 10.01.2026. Без НДС' })),
      ...documentLines('Платежное поручение', incoming({ Номер: 'C2', Дата: '11.02.2026', Сумма: '500.00', ...payer, НазначениеПлатежа: 'Аванс по дог. 41/26' })),
    ]);
    const uploaded = await upload(encode(lines, 'windows-1251'));
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id as string;
    const preview = (await gql(`query($id: ID!) { statementImport(id: $id) { preview { number matchStatus contractId matchReasons } } }`, { id })).statementImport.preview;
    expect(preview).toEqual([
      { number: 'C1', matchStatus: 'MATCHED', contractId: contract7, matchReasons: ['inn', 'kpp', 'contract.number'] },
      // the account learned from C1 (same batch) confirms C2's counterparty; its contract is not signed yet
      { number: 'C2', matchStatus: 'MATCHED', contractId: null, matchReasons: ['inn', 'kpp', 'account'] },
    ]);
    await gql(`mutation($id: ID!) { confirmStatementImport(id: $id) { status } }`, { id });
    await drain();
    const find = (number: string) => subgraph.orm.em.fork().findOneOrFail(Payment, { number });
    expect(await find('C1')).toMatchObject({ matchStatus: 'MATCHED', counterpartyId: client.id, invoiceId: null, contractId: contract7, matchReasons: ['inn', 'kpp', 'contract.number'] });
    expect(await find('C2')).toMatchObject({ matchStatus: 'MATCHED', counterpartyId: client.id, contractId: null });

    // contract 41/26 is signed later: the ledger re-matches the waiting payment onto it
    const contract41 = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId: client.id, number: '41/26', date: '2026-02-01', amountMinor: 500_00 });
    expect(await find('C2')).toMatchObject({ matchStatus: 'MATCHED', counterpartyId: client.id, invoiceId: null, contractId: contract41, matchReasons: ['inn', 'kpp', 'account', 'contract.number'] });
    expect((await find('C1')).contractId).toBe(contract7);
    // and it counts in that contract's execution
    const execution = (await gql(`query($id: ID!) { _entities(representations: [{ __typename: "Document", id: $id }]) { ... on Document { execution { paid { minor } } } } }`, { id: contract41 }))._entities[0];
    expect(execution.execution.paid.minor).toBe(500_00);
  });

  it('an idle worker is woken by the confirm (LISTEN/NOTIFY), not by its 30 s poll; a RUNNING import is picked up at start', async () => {
    const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 25_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const statusOf = async (id: string): Promise<string> => (await subgraph.orm.em.fork().findOneOrFail(StatementImport, { id })).status;
    const one = (number: string) =>
      encode(statementLines([...documentLines('Платежное поручение', incoming({ Номер: number, Дата: '12.02.2026', Сумма: '10.00', ПлательщикСчет: '40702810900000000999', ПлательщикИНН: '7736207543', НазначениеПлатежа: 'Оплата' }))]), 'utf-8');
    const worker = statementImportWorker({ orm: subgraph.orm, logger: subgraph.logger }, { pollMs: 600_000 });
    worker.start();
    try {
      // the worker's first round found nothing and it now sleeps, listening (its last query ran on the LISTEN connection)
      await until(async () => {
        const rows = await subgraph.orm.em.fork().execute<{ n: number }[]>(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'idle' and query like '%from statement_imports where status = %RUNNING%'`,
        );
        return rows[0].n > 0;
      }, 'the idle worker');
      const uploaded = await upload(one('W1'));
      const id = uploaded.body.id as string;
      await gql(`mutation($id: ID!) { confirmStatementImport(id: $id) { status } }`, { id });
      await until(async () => (await statusOf(id)) === 'DONE', 'the woken worker');
      expect((await subgraph.orm.em.fork().findOneOrFail(Payment, { number: 'W1' })).statementImportId).toBe(id);
    } finally {
      await worker.stop();
    }

    // confirmed while no worker runs (a crash, a restart): the next worker takes it at start
    const uploaded = await upload(one('W2'));
    const id = uploaded.body.id as string;
    await gql(`mutation($id: ID!) { confirmStatementImport(id: $id) { status } }`, { id });
    expect(await statusOf(id)).toBe('RUNNING');
    const next = statementImportWorker({ orm: subgraph.orm, logger: subgraph.logger }, { pollMs: 600_000 });
    next.start();
    try {
      await until(async () => (await statusOf(id)) === 'DONE', 'the restarted worker');
    } finally {
      await next.stop();
    }
  });

  it('a chunk that cannot be stored marks its import FAILED with an error', async () => {
    const em = subgraph.orm.em.fork();
    const party = { name: 'x', inn: null, kpp: null, account: OUR_ACCOUNT, bankBic: null };
    const broken = em.create(StatementImport, {
      fileName: 'broken.txt',
      status: StatementImportStatus.RUNNING,
      encoding: 'utf-8',
      total: 1,
      // a number longer than the column: the insert fails (the upload's checks never let such a row in)
      staged: { payments: [{ line: 2, section: 'Платежное поручение', direction: 'INCOMING', fingerprint: 'f'.repeat(64), number: '9'.repeat(60), date: '2026-02-01', amountMinor: 100, payer: party, payee: party, purpose: '', debitedAt: null, creditedAt: null, duplicate: false, match: { status: 'UNMATCHED', counterpartyId: null, invoiceId: null, contractId: null, confidence: 0, reasons: [] } }] },
    });
    await em.flush();
    await drain();
    const failed = await subgraph.orm.em.fork().findOneOrFail(StatementImport, { id: broken.id });
    expect(failed).toMatchObject({ status: 'FAILED', processed: 0, error: expect.stringMatching(/internal error/) });
    expect(failed.finishedAt).toBeInstanceOf(Date);
  });

  it('a RUNNING import resumes after a crash from its last chunk, and a repeated chunk stores nothing twice (runs last: 1,200 payments)', async () => {
    const body: string[] = [];
    for (let i = 0; i < 1200; i += 1) body.push(...documentLines('Платежное поручение', incoming({ Номер: `R${i}`, Сумма: `${i + 1}.00`, НазначениеПлатежа: 'Оплата' })));
    const uploaded = await upload(encode(statementLines(body), 'windows-1251'));
    const id = uploaded.body.id as string;
    await gql(`mutation($id: ID!) { confirmStatementImport(id: $id) { status } }`, { id });
    const { importNextChunk } = await import('../statement-import.service');
    expect(await importNextChunk(subgraph.orm.em.fork())).toBe(true);
    let state = await subgraph.orm.em.fork().findOneOrFail(StatementImport, { id });
    expect(state).toMatchObject({ status: 'RUNNING', processed: 500, created: 500 });
    // "crash": the progress of the committed chunk is lost as if the process died before recording it
    await subgraph.orm.em.fork().execute(`update statement_imports set processed = 0, created = 0 where id = ?`, [id]);
    await drain();
    state = await subgraph.orm.em.fork().findOneOrFail(StatementImport, { id });
    expect(state).toMatchObject({ status: 'DONE', processed: 1200, total: 1200, created: 700, duplicates: 500 });
    expect(await subgraph.orm.em.fork().count(Payment, { statementImportId: id })).toBe(1200);
  });

});
