import { randomBytes } from 'node:crypto';
import { overdueJob } from '../../../services/finance/src/modules/execution/overdue.job';
import { bankStatement, isoDay, type StatementLine } from '../support/bank-statement';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { checkPublishedEvents } from '../support/event-contracts';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/timing';

/**
 * Finance through the gateway, end to end: a contract signed in the EDMS with a schedule entered on it, its invoices
 * and act signed, a bank statement imported — and the contract's execution, the counterparty's balances and its
 * rating change exactly as computed by hand below. Re-importing changes nothing; the overdue job notifies once.
 */
let stack: Stack;
let rest: string;

const MANAGER = 'manager@kartoteka.local';
const DIRECTOR = 'director@kartoteka.local';
const ACCOUNTANT = 'accountant@kartoteka.local';
const ADMIN = 'admin@kartoteka.local';

beforeAll(async () => {
  stack = await startStack();
  rest = stack.gatewayUrl.replace(/\/graphql$/, '/rest');
});
afterAll(() => stack?.stop());

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length) throw new Error(`${email}: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

const routeTemplates = new Map<string, string>();
/** One sign-off stage (the director) per document type. */
async function routeFor(documentType: string): Promise<string> {
  const known = routeTemplates.get(documentType);
  if (known) return known;
  const data = await gql<{ createRouteTemplate: { id: string } }>(
    `mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`,
    { input: { name: `Подпись директора: ${documentType}`, documentType, stages: [{ name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] }] } },
    ADMIN,
  );
  routeTemplates.set(documentType, data.createRouteTemplate.id);
  return data.createRouteTemplate.id;
}

/** A scan to attach: a document goes to approval only with its file. */
async function uploadScan(name: string): Promise<string> {
  const body = new FormData();
  body.append('files', new Blob([new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(512)]))]), name);
  const response = await fetch(`${rest}/documents/files`, { method: 'POST', headers: { authorization: `Bearer ${await stack.login(MANAGER)}` }, body });
  expect(response.status).toBe(201);
  return ((await response.json()) as { files: { id: string }[] }).files[0].id;
}

/** Creates a document as the manager and takes it through its route to the director's sign-off; returns id and number. */
async function signed(input: Record<string, unknown>): Promise<{ id: string; number: string }> {
  const fileIds = [await uploadScan(`${String(input.title)}.pdf`)];
  const created = await gql<{ createDocument: { id: string } }>(`mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`, { input: { ...input, fileIds } }, MANAGER);
  const documentId = created.createDocument.id;
  await gql(`mutation($input: StartApprovalInput!) { startApproval(input: $input) { id } }`, { input: { documentId, routeTemplateId: await routeFor(String(input.type)) } }, MANAGER);
  const tasks = await gql<{ myApprovalTasks: { edges: { node: { id: string; document: { id: string } } }[] } }>(`{ myApprovalTasks(first: 50) { edges { node { id document { id } } } } }`, {}, DIRECTOR);
  const task = tasks.myApprovalTasks.edges.find((edge) => edge.node.document.id === documentId);
  if (!task) throw new Error(`no sign-off task for ${documentId}`);
  await gql(`mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }`, { input: { stepId: task.node.id } }, DIRECTOR);
  const after = await gql<{ document: { status: string; number: string } }>(`query($id: ID!) { document(id: $id) { status number } }`, { id: documentId }, MANAGER);
  expect(['SIGNED', 'IN_FORCE']).toContain(after.document.status);
  return { id: documentId, number: after.document.number };
}

/** Waits until finance has heard of the signed document (its event went through the bus). */
const financeKnows = (documentId: string, type: 'INVOICE' | 'ACT', contractId: string) =>
  eventually(async () => {
    const data = await gql<{ document: { execution: { invoices: { id: string }[]; acts: { id: string }[] } | null } }>(
      `query($id: ID!) { document(id: $id) { execution { invoices { id } acts { id } } } }`,
      { id: contractId },
      MANAGER,
    );
    const list = type === 'INVOICE' ? data.document.execution?.invoices : data.document.execution?.acts;
    return list?.some((item) => item.id === documentId) ? true : null;
  }, `finance knows ${type} ${documentId}`);

async function upload(file: Buffer, email = ACCOUNTANT): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${rest}/finance/statements?fileName=statement.txt`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await stack.login(email)}`, 'content-type': 'text/plain' },
    body: new Uint8Array(file),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

type ImportState = { status: string; total: number; processed: number; created: number; duplicates: number; matched: number; ambiguous: number; unmatched: number };
const IMPORT_FIELDS = 'status total processed created duplicates matched ambiguous unmatched';

/** Uploads, confirms and waits for the import to finish. */
async function importStatement(file: Buffer): Promise<ImportState> {
  const uploaded = await upload(file);
  expect(uploaded.status).toBe(201);
  const id = String(uploaded.body.id);
  await gql(`mutation($id: ID!) { confirmStatementImport(id: $id) { id status } }`, { id }, ACCOUNTANT);
  return eventually(async () => {
    const data = await gql<{ statementImport: ImportState }>(`query($id: ID!) { statementImport(id: $id) { ${IMPORT_FIELDS} } }`, { id }, ACCOUNTANT);
    return data.statementImport.status === 'DONE' || data.statementImport.status === 'FAILED' ? data.statementImport : null;
  }, 'the import finishes');
}

const money = (minor: number) => ({ minor, currency: 'RUB' });

const CARD_FINANCE = `query($id: ID!) { counterparty(id: $id) {
  finance { receivable { minor currency } payable { minor } overdue { minor } overdueDays lastPayment { amount { minor } date } }
  rating { score grade methodVersion factors { code value contribution evidence { kind documentId paymentId } } history { score grade } }
} }`;
type CardFinance = {
  counterparty: {
    finance: { receivable: { minor: number; currency: string }; payable: { minor: number }; overdue: { minor: number }; overdueDays: number; lastPayment: { amount: { minor: number }; date: string } | null };
    rating: { score: number | null; grade: string | null; methodVersion: number; factors: { code: string; value: number | null; contribution: number; evidence: { kind: string; documentId: string | null; paymentId: string | null }[] }[]; history: { score: number | null; grade: string | null }[] } | null;
  };
};
const factorValues = (rating: NonNullable<CardFinance['counterparty']['rating']>) => Object.fromEntries(rating.factors.map((factor) => [factor.code, factor.value]));

describe('finance through the gateway', () => {
  it('contract with a schedule → invoices → act → bank statement: execution, balances and rating exactly as computed by hand; re-import changes nothing', async () => {
    const input = legalEntityInput();
    const counterparty = await gql<{ createCounterparty: { id: string; inn: string; kpp: string } }>(CREATE_COUNTERPARTY, { input }, MANAGER);
    const counterpartyId = counterparty.createCounterparty.id;

    // 1 200 000.00 ₽: 30 % advance due 40 days ago, 70 % ten days after the act (signed 20 days ago → due 10 days ago)
    const contract = await signed({ type: 'CONTRACT', counterpartyId, title: 'Договор оказания услуг № 7/26', amountMinor: 1_200_000_00, date: isoDay(-50), contract: { subject: 'Услуги', startDate: isoDay(-50), endDate: isoDay(300) } });
    const execution = await eventually(async () => {
      const data = await gql<{ document: { execution: { contracted: { minor: number } } | null } }>(`query($id: ID!) { document(id: $id) { execution { contracted { minor } } } }`, { id: contract.id }, MANAGER);
      return data.document.execution;
    }, 'finance knows the contract');
    expect(execution.contracted).toEqual({ minor: 1_200_000_00 });

    const terms = await gql<{ setContractTerms: { direction: string; schedule: { kind: string; resolvedDueDate: string | null; state: string }[] } }>(
      `mutation($input: ContractTermsInput!) { setContractTerms(input: $input) { direction schedule { kind resolvedDueDate state } } }`,
      { input: { contractId: contract.id, direction: 'RECEIVABLE', schedule: [
        { kind: 'ADVANCE', amount: money(360_000_00), dueDate: isoDay(-40), description: 'Аванс 30 %' },
        { kind: 'POSTPAYMENT', amount: money(840_000_00), daysAfterAct: 10, description: 'Окончательный расчёт' },
      ] } },
      MANAGER,
    );
    // no act yet: the postpayment has no due date
    expect(terms.setContractTerms.schedule).toEqual([
      { kind: 'ADVANCE', resolvedDueDate: isoDay(-40), state: 'OVERDUE' },
      { kind: 'POSTPAYMENT', resolvedDueDate: null, state: 'PENDING' },
    ]);

    const advanceInvoice = await signed({ type: 'INVOICE', counterpartyId, title: 'Счёт на аванс', amountMinor: 360_000_00, date: isoDay(-45), invoice: { dueDate: isoDay(-40) }, links: [{ kind: 'INVOICE_FOR', targetId: contract.id }] });
    const finalInvoice = await signed({ type: 'INVOICE', counterpartyId, title: 'Счёт на окончательный расчёт', amountMinor: 840_000_00, date: isoDay(-20), invoice: { dueDate: isoDay(-10) }, links: [{ kind: 'INVOICE_FOR', targetId: contract.id }] });
    const act = await signed({ type: 'ACT', counterpartyId, title: 'Акт оказанных услуг', amountMinor: 1_200_000_00, date: isoDay(-20), act: { periodStart: isoDay(-50), periodEnd: isoDay(-20) }, links: [{ kind: 'ACT_FOR', targetId: contract.id }] });
    await financeKnows(advanceInvoice.id, 'INVOICE', contract.id);
    await financeKnows(finalInvoice.id, 'INVOICE', contract.id);
    await financeKnows(act.id, 'ACT', contract.id);

    // A draft invoice (never signed) never reaches finance: the figures below do not include its 999 999.99 ₽
    await gql(`mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`, { input: { type: 'INVOICE', counterpartyId, title: 'Черновик счёта', amountMinor: 999_999_99, invoice: { dueDate: isoDay(-30) }, links: [{ kind: 'INVOICE_FOR', targetId: contract.id }] } }, MANAGER);

    // Before any payment: both obligations overdue (40 and 10 days), 1 200 000 ₽ receivable.
    const before = await gql<CardFinance>(CARD_FINANCE, { id: counterpartyId }, MANAGER);
    expect(before.counterparty.finance).toMatchObject({ receivable: money(1_200_000_00), payable: { minor: 0 }, overdue: { minor: 1_200_000_00 }, overdueDays: 40, lastPayment: null });
    // PAYMENT_ON_TIME 0; PAYMENT_DELAY: d̄ = (360 000 × 40 + 840 000 × 10) / 1 200 000 = 19 → 100 × (1 − 19/60) = 68.3;
    // OVERDUE_NOW 100 × (1 − 1 200 000 / 1 200 000) = 0; DELIVERY_ON_TIME no data; TERMINATIONS 100;
    // RELATIONSHIP: 45 days since the first signed document (the advance invoice) = 1.478 months → 50 × 1.478/24 = 3.08,
    // volume 1 200 000 / 10 000 000 → 6.0; 9.08 → 9.1.
    // score = (35 × 0 + 15 × 68.33 + 20 × 0 + 10 × 100 + 10 × 9.08) / 90 = 23.5 → D
    const ratingBefore = before.counterparty.rating!;
    expect(factorValues(ratingBefore)).toEqual({ PAYMENT_ON_TIME: 0, PAYMENT_DELAY: 68.3, OVERDUE_NOW: 0, DELIVERY_ON_TIME: null, TERMINATIONS: 100, RELATIONSHIP: 9.1 });
    expect(ratingBefore).toMatchObject({ score: 23.5, grade: 'D', methodVersion: 1 });
    // explainable down to the documents: the overdue factor names the contract behind it
    const overdueEvidence = ratingBefore.factors.find((factor) => factor.code === 'OVERDUE_NOW')!.evidence;
    expect(overdueEvidence.map((item) => item.documentId)).toContain(contract.id);

    // The statement: the advance a day early, the rest 8 days late, and one payment from someone finance does not know.
    const party = { name: input.name as string, inn: counterparty.createCounterparty.inn, kpp: counterparty.createCounterparty.kpp, account: '40702810500000012345' };
    const lines: StatementLine[] = [
      { number: '101', date: isoDay(-41), amountMinor: 360_000_00, direction: 'INCOMING', party, purpose: `Оплата по счету № ${advanceInvoice.number} от ${isoDay(-45)}, аванс. В т.ч. НДС 20%` },
      { number: '245', date: isoDay(-2), amountMinor: 840_000_00, direction: 'INCOMING', party, purpose: `Оплата по счёту ${finalInvoice.number}. НДС не облагается` },
      { number: '77', date: isoDay(-3), amountMinor: 5_000_00, direction: 'INCOMING', party: { name: 'ИП Неизвестный', inn: '500100732259', account: '40802810000000000099' }, purpose: 'Оплата за консультацию' },
    ];
    const statement = bankStatement(lines, { from: isoDay(-45), to: isoDay(-1) });
    const first = await importStatement(statement);
    expect(first).toEqual({ status: 'DONE', total: 3, processed: 3, created: 3, duplicates: 0, matched: 2, ambiguous: 0, unmatched: 1 });

    const contractAfter = await gql<{ document: { execution: { invoiced: { minor: number }; delivered: { minor: number }; paid: { minor: number }; outstanding: { minor: number }; overdue: { minor: number }; overdueDays: number; nextDueDate: string | null; schedule: { state: string; daysLate: number; settled: { minor: number } }[]; payments: { number: string; invoice: { id: string } | null }[] } } }>(
      `query($id: ID!) { document(id: $id) { execution { invoiced { minor } delivered { minor } paid { minor } outstanding { minor } overdue { minor } overdueDays nextDueDate
        schedule { state daysLate settled { minor } } payments { number invoice { id } } } } }`,
      { id: contract.id },
      MANAGER,
    );
    expect(contractAfter.document.execution).toMatchObject({ invoiced: { minor: 1_200_000_00 }, delivered: { minor: 1_200_000_00 }, paid: { minor: 1_200_000_00 }, outstanding: { minor: 0 }, overdue: { minor: 0 }, overdueDays: 0, nextDueDate: null });
    expect(contractAfter.document.execution.schedule).toEqual([
      { state: 'PAID', daysLate: 0, settled: { minor: 360_000_00 } },
      { state: 'PAID', daysLate: 8, settled: { minor: 840_000_00 } },
    ]);
    expect(contractAfter.document.execution.payments.map((payment) => [payment.number, payment.invoice?.id]).sort()).toEqual([['101', advanceInvoice.id], ['245', finalInvoice.id]]);

    const after = await gql<CardFinance>(CARD_FINANCE, { id: counterpartyId }, MANAGER);
    expect(after.counterparty.finance).toMatchObject({ receivable: money(0), overdue: { minor: 0 }, overdueDays: 0, lastPayment: { amount: { minor: 840_000_00 }, date: isoDay(-2) } });
    // PAYMENT_ON_TIME 100 × 360 000 / 1 200 000 = 30; PAYMENT_DELAY d̄ = 840 000 × 8 / 1 200 000 = 5.6 → 90.7;
    // OVERDUE_NOW 100; TERMINATIONS 100; RELATIONSHIP 9.08
    // score = (35 × 30 + 15 × 90.67 + 20 × 100 + 10 × 100 + 10 × 9.08) / 90 = 61.1 → C
    const ratingAfter = after.counterparty.rating!;
    expect(factorValues(ratingAfter)).toEqual({ PAYMENT_ON_TIME: 30, PAYMENT_DELAY: 90.7, OVERDUE_NOW: 100, DELIVERY_ON_TIME: null, TERMINATIONS: 100, RELATIONSHIP: 9.1 });
    expect(ratingAfter).toMatchObject({ score: 61.1, grade: 'C' });
    expect(ratingAfter.history.map((point) => point.score)).toEqual(expect.arrayContaining([23.5, 61.1]));
    const delayEvidence = ratingAfter.factors.find((factor) => factor.code === 'PAYMENT_DELAY')!.evidence;
    expect(delayEvidence.some((item) => item.kind === 'PAYMENT')).toBe(true);

    // The same statement again: every line is a duplicate, nothing changes.
    const again = await importStatement(statement);
    expect(again).toMatchObject({ status: 'DONE', total: 3, created: 0, duplicates: 3 });
    const payments = await gql<{ payments: { totalCount: number } }>(`query($f: PaymentFilter) { payments(first: 50, filter: $f) { totalCount } }`, { f: { counterpartyId } }, ACCOUNTANT);
    expect(payments.payments.totalCount).toBe(2);
    const unchanged = await gql<CardFinance>(CARD_FINANCE, { id: counterpartyId }, MANAGER);
    expect(unchanged.counterparty.rating).toMatchObject({ score: 61.1, grade: 'C' });
    expect(unchanged.counterparty.rating!.history).toHaveLength(ratingAfter.history.length);

    // The unknown payer waits in the review queue; an accountant matches it by hand to this counterparty.
    const queue = await gql<{ unmatchedPayments: { edges: { node: { id: string; number: string; matchStatus: string } }[] } }>(`{ unmatchedPayments(first: 50) { edges { node { id number matchStatus } } } }`, {}, ACCOUNTANT);
    const stranger = queue.unmatchedPayments.edges.find((edge) => edge.node.number === '77')!.node;
    expect(stranger.matchStatus).toBe('UNMATCHED');
    const refused = await stack.call(`mutation($input: MatchPaymentInput!) { matchPayment(input: $input) { id } }`, { input: { paymentId: stranger.id, counterpartyId } }, await stack.login(MANAGER));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const matched = await gql<{ matchPayment: { matchStatus: string; counterparty: { id: string } | null; matchedBy: { id: string } | null } }>(
      `mutation($input: MatchPaymentInput!) { matchPayment(input: $input) { matchStatus counterparty { id } matchedBy { id } } }`,
      { input: { paymentId: stranger.id, counterpartyId } },
      ACCOUNTANT,
    );
    expect(matched.matchPayment).toMatchObject({ matchStatus: 'MATCHED', counterparty: { id: counterpartyId }, matchedBy: { id: expect.any(String) } });
  });

  it('refuses a malformed statement with its line number and stores nothing; only staff with payments:import may upload', async () => {
    const broken = Buffer.from(['1CClientBankExchange', 'ВерсияФормата=1.03', 'Кодировка=UTF-8', 'СекцияДокумент=Платежное поручение', 'Номер=1', 'Дата=31.02.2026', 'Сумма=10.00', 'КонецДокумента', 'КонецФайла'].join('\r\n'), 'utf8');
    const before = await gql<{ statementImports: { id: string }[] }>(`{ statementImports(first: 100) { id } }`, {}, ACCOUNTANT);
    const refused = await upload(broken);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'BAD_STATEMENT', line: 6 });
    const afterRefusal = await gql<{ statementImports: { id: string }[] }>(`{ statementImports(first: 100) { id } }`, {}, ACCOUNTANT);
    expect(afterRefusal.statementImports).toHaveLength(before.statementImports.length);
    expect((await upload(broken, MANAGER)).status).toBe(403);
  });

  it('the overdue job notifies the responsible person once per overdue obligation, however often it runs', async () => {
    const counterparty = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, MANAGER);
    const counterpartyId = counterparty.createCounterparty.id;
    const invoice = await signed({ type: 'INVOICE', counterpartyId, title: 'Счёт за сопровождение', amountMinor: 50_000_00, date: isoDay(-20), invoice: { dueDate: isoDay(-5) } });
    await eventually(async () => {
      const data = await gql<CardFinance>(CARD_FINANCE, { id: counterpartyId }, MANAGER);
      return data.counterparty.finance.overdue.minor === 50_000_00 ? true : null;
    }, 'finance sees the overdue invoice');

    const finance = stack.subgraphs.finance;
    const job = overdueJob({ orm: finance.orm, logger: finance.logger, intervalMs: 3_600_000 });
    await job.runOnce();
    await job.runOnce();
    const overdueOf = async () => {
      const data = await gql<{ notifications: { edges: { node: { kind: string; documentId: string } }[] } }>(`{ notifications(first: 100) { edges { node { kind documentId } } } }`, {}, MANAGER);
      return data.notifications.edges.filter((edge) => edge.node.kind === 'PAYMENT_OVERDUE' && edge.node.documentId === invoice.id);
    };
    await eventually(async () => ((await overdueOf()).length > 0 ? true : null), 'the overdue notification arrives');
    // the bus has nothing more in flight for documents (a second notification would have had time to arrive)
    await job.runOnce();
    await stack.settle();
    expect(await overdueOf()).toHaveLength(1);
  });
});

it('every event the scenario published parses with the contract its consumers read it with (each producer/consumer pair)', async () => {
  await stack.settle();
  const report = await checkPublishedEvents(stack);
  expect(report.violations).toEqual([]);
  expect(report.pairs.length).toBeGreaterThanOrEqual(8);
});
