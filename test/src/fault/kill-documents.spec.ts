import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { GATEWAY_TOKEN_HEADER, signGatewayToken, type Identity } from '@kartoteka/kit';
import { createTestDatabase, postGraphQL, seedCounterpartyRefs, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../services/documents/src/config';
import { documentsSubgraph } from '../../../services/documents/src/subgraph';
import { admin, COUNTERPARTY_ID, director, fillStaffDirectory, manager, ok, storedFile } from '../../../services/documents/src/modules/approval/__tests__/approval.fixtures';
import { freePort, inParallel, recordFigures, startNode, waitHealthy, type NodeProcess } from '../support/processes';

/**
 * The documents service is killed with SIGKILL in the middle of a burst of approval decisions. After a
 * restart every decision is either whole — the step decided, the route finished and the document signed,
 * its audit records, its notification and its outbox events — or absent (nothing of it), and an absent
 * one can simply be sent again. The service runs as its own OS process from its build, as in production.
 */
const DOCUMENTS = 40;
const CLIENTS = 8;

let setup: TestSubgraph;
let events: TestDatabase;
let filesDir: string;
let service: NodeProcess | null = null;
let port: number;

function serviceEnv(): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: setup.database.url,
    EVENT_BUS_URL: events.url,
    GATEWAY_SECRET: setup.secret,
    LOG_LEVEL: 'warn',
    FILES_DIR: filesDir,
    SMTP_URL: '',
  };
}

async function startService(): Promise<NodeProcess> {
  const started = startNode('documents', 'services/documents/dist/main.js', serviceEnv());
  await waitHealthy(started, `http://127.0.0.1:${port}/health/ready`);
  return started;
}

/** Calls the service as the gateway does (a token signed with the service's secret). */
async function call<T>(query: string, variables: Record<string, unknown>, identity: Identity) {
  const token = await signGatewayToken(identity, 'documents', setup.secret, randomUUID());
  return postGraphQL<T>(`http://127.0.0.1:${port}/graphql`, query, variables, { [GATEWAY_TOKEN_HEADER]: token });
}

beforeAll(async () => {
  // the database, its migrations, the staff directory and the documents, prepared in-process; then that
  // server stops and the service runs on the same database as a process of its own
  setup = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings()));
  events = await createTestDatabase('events');
  filesDir = mkdtempSync(join(tmpdir(), 'kartoteka-fault-files-'));
  port = await freePort();
  await fillStaffDirectory(setup);
  await seedCounterpartyRefs(setup.orm.em.fork(), [COUNTERPARTY_ID]);
});

afterAll(async () => {
  await service?.stop('SIGKILL');
  await setup?.stop().catch(() => undefined);
  await setup?.database.drop().catch(() => undefined);
  await events?.drop().catch(() => undefined);
  if (filesDir) rmSync(filesDir, { recursive: true, force: true });
});

type Row = { document_id: string; step_id: string; step_status: string; route_status: string; document_status: string; audits: number; notifications: number; outbox: number };

async function stateOf(since: Date): Promise<Row[]> {
  const client = new Client({ connectionString: setup.database.url });
  await client.connect();
  try {
    const result = await client.query<Row>(
      `select s.document_id, s.id as step_id, s.status as step_status, r.status as route_status, d.status as document_status,
              (select count(*)::int from audit_records a where a.document_id = s.document_id
                 and (a.action = 'DOCUMENT_SIGNED' or (a.action = 'STEP_APPROVED' and a.details->>'stepId' = s.id::text))) as audits,
              (select count(*)::int from notifications n where n.document_id = s.document_id and n.kind = 'DOCUMENT_SIGNED') as notifications,
              (select count(*)::int from outbox_events o where o.payload->>'documentId' = s.document_id::text and o.created_at >= $1) as outbox
         from approval_steps s join approval_routes r on r.id = s.route_id join documents d on d.id = s.document_id
        order by s.document_id`,
      [since],
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

it('leaves every decision whole or absent when the service is killed mid-burst, and the absent ones can be sent again', async () => {
  // one sign-off stage: approving signs the document (audit, notification to the author, outbox event)
  const template = ok(
    await setup.request<{ createRouteTemplate: { id: string } }>(
      `mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`,
      { input: { name: 'Подпись директора', documentType: 'CONTRACT', stages: [{ name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] }] } },
      admin,
    ),
  ).createRouteTemplate.id;
  const documentIds = await inParallel(Array.from({ length: DOCUMENTS }, (_, i) => i), 4, async (i) => {
    const fileId = await storedFile(setup);
    const created = ok(
      await setup.request<{ createDocument: { id: string } }>(
        `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
        { input: { type: 'CONTRACT', counterpartyId: COUNTERPARTY_ID, title: `Договор № ${i + 1}`, amountMinor: 100_000_00, contract: { subject: 'Поставка', startDate: '2099-01-01', endDate: '2099-12-31', paymentTerms: '30 дней' }, fileIds: [fileId] } },
        manager,
      ),
    ).createDocument.id;
    ok(await setup.request(`mutation($input: StartApprovalInput!) { startApproval(input: $input) { id } }`, { input: { documentId: created, routeTemplateId: template } }, manager));
    return created;
  });
  await setup.stop();
  const before = await stateOf(new Date(0));
  expect(before).toHaveLength(DOCUMENTS);
  expect(before.every((row) => row.step_status === 'PENDING')).toBe(true);
  const steps = before.map((row) => row.step_id);
  expect(new Set(before.map((row) => row.document_id))).toEqual(new Set(documentIds));

  service = await startService();
  const burstStart = new Date(Date.now() - 1000);
  // the burst: CLIENTS directors' clients deciding at once; SIGKILL once a quarter have been answered
  const outcome = new Map<string, 'ok' | 'error' | 'lost' | 'not-sent'>();
  let answered = 0;
  let killed: Promise<number | string> | null = null;
  const victim = service;
  await inParallel(steps, CLIENTS, async (stepId) => {
    if (killed) return void outcome.set(stepId, 'not-sent');
    try {
      const result = await call(`mutation($input: ApproveStepInput!) { approveStep(input: $input) { id status } }`, { input: { stepId } }, director);
      outcome.set(stepId, result.errors ? 'error' : 'ok');
      answered += 1;
      if (answered >= DOCUMENTS / 4 && !killed) killed = victim.stop('SIGKILL');
    } catch {
      outcome.set(stepId, 'lost'); // the connection died with the process
    }
  });
  expect(await killed).toBe('SIGKILL');

  service = await startService();
  const after = await stateOf(burstStart);
  const whole = (row: Row) => row.step_status === 'APPROVED' && row.route_status === 'COMPLETED' && row.document_status === 'SIGNED' && row.audits === 2 && row.notifications >= 1 && row.outbox > 0;
  const absent = (row: Row) => row.step_status === 'PENDING' && row.route_status === 'ACTIVE' && row.document_status === 'ON_APPROVAL' && row.audits === 0 && row.notifications === 0 && row.outbox === 0;
  const torn = after.filter((row) => !whole(row) && !absent(row));
  const counts = (status: string) => [...outcome.values()].filter((value) => value === status).length;
  const figures = {
    decisionsSent: DOCUMENTS - counts('not-sent'),
    answeredOk: counts('ok'),
    answeredWithError: counts('error'),
    lostWithTheProcess: counts('lost'),
    notSentAfterKill: counts('not-sent'),
    whole: after.filter(whole).length,
    absent: after.filter(absent).length,
    torn: torn.length,
    outboxEventsPerDecision: [...new Set(after.filter(whole).map((row) => row.outbox))],
  };
  expect(torn).toEqual([]);
  expect(counts('error')).toBe(0);
  // every answered decision was committed whole
  for (const [stepId, status] of outcome) if (status === 'ok') expect(whole(after.find((row) => row.step_id === stepId)!)).toBe(true);
  expect(figures.whole).toBeGreaterThanOrEqual(figures.answeredOk);
  expect(figures.absent).toBeGreaterThan(0);
  // one shape of outbox for every whole decision
  expect(figures.outboxEventsPerDecision).toHaveLength(1);

  // the absent decisions are simply sent again: nothing was left locked or half-written
  const retry = after.filter(absent).map((row) => row.step_id);
  const retried = await inParallel(retry, CLIENTS, (stepId) => call<{ approveStep: { status: string } }>(`mutation($input: ApproveStepInput!) { approveStep(input: $input) { id status } }`, { input: { stepId } }, director));
  expect(retried.every((result) => !result.errors && result.data?.approveStep.status === 'APPROVED')).toBe(true);
  const final = await stateOf(burstStart);
  expect(final.every(whole)).toBe(true);
  recordFigures('kill-documents', { ...figures, retriedAfterRestart: retry.length, wholeAfterRetry: final.filter(whole).length });

  // and a polite stop (SIGTERM) drains and exits 0, workers and database pool closed
  expect(await service.stop('SIGTERM')).toBe(0);
});
