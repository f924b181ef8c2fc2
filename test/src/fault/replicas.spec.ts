import { Client } from 'pg';
import { DEMO_USERS } from '@kartoteka/kit';
import { startSmtpSink, type SmtpSink } from '@kartoteka/kit/testing';
import { storedFile } from '../../../services/documents/src/modules/approval/__tests__/approval.fixtures';
import { CARD_QUERY, CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { freePort, inParallel, recordFigures, startNode, startThrowawayPostgres, waitHealthy, type NodeProcess, type ThrowawayPostgres } from '../support/processes';
import { JWT_SECRET, startStack, SUBGRAPH_NAMES, type Stack, type SubgraphName } from '../support/stack';
import { eventually, scaled } from '../support/timing';

/**
 * The subgraphs run as processes (from their builds, as in production), counterparties and documents as two
 * instances each on one database (see REPLICATED), behind one gateway process that knows every instance (`<NAME>_URLS`). Several clients read the counterparty card
 * while one documents instance is killed with SIGKILL: every card still arrives whole — the gateway sends a
 * read that lost its instance once more to the other one, and stops calling the dead one. Meanwhile both
 * documents instances run the mail relay, the outbox relay and the event consumer on the same tables: every
 * notification e-mail reaches the SMTP server once; every counterparty event, relayed by two counterparties
 * instances, reaches the bus once and is consumed once by each consumer.
 */
const CLIENTS = 6;
/**
 * The subgraphs that run twice: counterparties and documents by default (on a busy 2-core machine a dozen
 * processes take minutes to start); KARTOTEKA_REPLICAS_SUBGRAPHS=all (or a comma-separated list) runs more —
 * documents always runs twice. The others run once.
 */
const REPLICATED_SETTING = process.env.KARTOTEKA_REPLICAS_SUBGRAPHS ?? 'counterparties,documents';
const REPLICATED: SubgraphName[] = (REPLICATED_SETTING === 'all' ? [...SUBGRAPH_NAMES] : REPLICATED_SETTING.split(',').map((name) => name.trim())).filter((name): name is SubgraphName => (SUBGRAPH_NAMES as readonly string[]).includes(name));
if (!REPLICATED.includes('documents')) REPLICATED.push('documents');
/** Acknowledgement requests (one e-mail each) while both instances run, and after one was killed. */
const BEFORE_KILL = 16;
const AFTER_KILL = 8;
const DOCUMENTS = BEFORE_KILL + AFTER_KILL;
/** Cards read after the first requests, before the kill. */
const CARDS_BEFORE_KILL = 30;
/** Counterparties created while both instances run: their events go through two relays to consumers with two instances. */
const COUNTERPARTIES = 8;

const MANAGER = 'manager@kartoteka.local';
const READER = DEMO_USERS.find((user) => user.email === 'sales@kartoteka.local')!;

type Instance = { name: SubgraphName; index: number; port: number; process: NodeProcess };

let postgres: ThrowawayPostgres | null = null;
let stack: Stack | null = null;
let sink: SmtpSink | null = null;
const instances: Instance[] = [];
let gateway: NodeProcess | null = null;
/** Where the test got to (seconds since its start), printed when it fails: a busy machine can make any step slow. */
const phases: string[] = [];
const testStart = Date.now();
let finished = false;
const phase = (name: string) => phases.push(`${((Date.now() - testStart) / 1000).toFixed(1)} s ${name}`);

async function query<T>(url: string, text: string, variables: Record<string, unknown>, token: string): Promise<{ status: number; data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: text, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  return { status: response.status, ...body };
}

async function rows<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  if (!finished) console.log(`[replicas] phases reached:\n${phases.join('\n')}\n${gateway ? `gateway output:\n${gateway.output().slice(-3000)}` : ''}`);
  await gateway?.stop('SIGKILL');
  await Promise.all(instances.map((instance) => instance.process.stop('SIGKILL')));
  await stack?.stop().catch(() => undefined);
  await sink?.close();
  await postgres?.stop();
});

it(
  'serves every card while a documents instance is killed, and does each background job once with two instances',
  async () => {
    // a PostgreSQL of its own: a dozen processes hold many connections, more than a shared server may have free
    postgres = await startThrowawayPostgres();
    process.env.TEST_DATABASE_URL = postgres.url;
    // the databases, migrations, demo staff and data, prepared by an in-process stack
    stack = await startStack();
    phase('stack prepared');
    sink = await startSmtpSink();
    const token = await stack.login(MANAGER);
    const counterparty = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, token);
    const counterpartyId = counterparty.data!.createCounterparty.id;
    const documentIds = await inParallel(Array.from({ length: DOCUMENTS }, (_, i) => i), 4, async (i) => {
      const fileId = await storedFile(stack!.subgraphs.documents, `act-${i}.pdf`);
      const created = await stack!.call<{ createDocument: { id: string } }>(
        `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
        { input: { type: 'OTHER', counterpartyId, title: `Письмо № ${i + 1}`, fileIds: [fileId] } },
        token,
      );
      if (!created.data) throw new Error(`createDocument: ${JSON.stringify(created.errors)}`);
      return created.data.createDocument.id;
    });

    // the same subgraphs as two processes each, and the gateway as a process that knows both instances
    await stack.gateway.stop();
    await Promise.all(SUBGRAPH_NAMES.map((name) => stack!.subgraphs[name].stop()));
    const s = stack;
    const startInstance = async (name: SubgraphName, index: number) => {
      const port = await freePort();
      const child = startNode(`${name}#${index}`, `services/${name}/dist/main.js`, {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: s.subgraphs[name].database.url,
        EVENT_BUS_URL: s.eventBusUrl,
        GATEWAY_SECRET: s.subgraphs[name].secret,
        // each instance's share of the database's connections (as an operator sizes it for N replicas)
        DATABASE_POOL_MAX: '5',
        LOG_LEVEL: 'warn',
        ...(name === 'identity' ? { JWT_SECRET } : {}),
        ...(name === 'documents' ? { FILES_DIR: s.filesDir, SMTP_URL: sink!.url } : {}),
        ...(name === 'mailings' ? { UNSUBSCRIBE_SECRET: 'replicas-spec-unsubscribe-secret-0123456789' } : {}),
      });
      instances.push({ name, index, port, process: child });
      await waitHealthy(child, `http://127.0.0.1:${port}/health/ready`, scaled(120_000), scaled(10_000));
    };
    phase('data prepared');
    const startingAt = Date.now();
    // one instance of every subgraph, then the second ones (starting a dozen processes at once starves a busy machine)
    await Promise.all(SUBGRAPH_NAMES.map((name) => startInstance(name, 0)));
    phase('first instances ready');
    await Promise.all(REPLICATED.map((name) => startInstance(name, 1)));
    phase('second instances ready');
    const gatewayPort = await freePort();
    gateway = startNode('gateway', 'gateway/dist/main.js', {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(gatewayPort),
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      SUBGRAPH_TIMEOUT_MS: String(scaled(60_000)),
      RATE_LIMIT_USER_PER_MINUTE: '0',
      RATE_LIMIT_API_KEY_PER_MINUTE: '0',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
      ...Object.fromEntries(
        SUBGRAPH_NAMES.flatMap((name) => [
          [`${name.toUpperCase()}_URLS`, instances
            .filter((instance) => instance.name === name).map((instance) => `http://127.0.0.1:${instance.port}/graphql`).join(',')],
          [`${name.toUpperCase()}_SECRET`, s.subgraphs[name].secret],
        ]),
      ),
    });
    await waitHealthy(gateway, `http://127.0.0.1:${gatewayPort}/health/ready`, scaled(120_000), scaled(10_000));
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    const processesReadyMs = Date.now() - startingAt;
    phase('gateway ready');

    // the card load: CLIENTS clients reading the card until told to stop; every answer is checked
    const failures: string[] = [];
    let cards = 0;
    let stopLoad = false;
    const load = Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (!stopLoad) {
          try {
            const card = await query<{ counterparty: { documents: { totalCount: number } } }>(gatewayUrl, CARD_QUERY, { id: counterpartyId }, token);
            if (card.status !== 200 || card.errors?.length || card.data?.counterparty.documents.totalCount !== DOCUMENTS) failures.push(JSON.stringify({ status: card.status, errors: card.errors }));
          } catch (error) {
            failures.push(String(error));
          }
          cards += 1;
        }
      }),
    );
    const requestAcknowledgement = (documentId: string) =>
      query<{ requestAcknowledgement: { id: string } }>(
        gatewayUrl,
        `mutation($input: RequestAcknowledgementInput!) { requestAcknowledgement(input: $input) { id } }`,
        { input: { documentId, userIds: [READER.id], roles: [], deadline: new Date(Date.now() + 86_400_000).toISOString() } },
        token,
      );
    const mailsSent = async () => rows<{ status: string; count: number }>(s.subgraphs.documents.database.url, `select status, count(*)::int as count from mail_outbox group by status`);
    const mutationErrors: string[] = [];
    const newCounterparties: string[] = [];

    try {
      // both documents instances up: the requests are spread over them, both mail relays compete for the rows
      const [before, created] = await Promise.all([
        inParallel(documentIds.slice(0, BEFORE_KILL), 4, requestAcknowledgement),
        inParallel(Array.from({ length: COUNTERPARTIES }, (_, i) => i), 2, () => query<{ createCounterparty: { id: string } }>(gatewayUrl, CREATE_COUNTERPARTY, { input: legalEntityInput() }, token)),
      ]);
      for (const result of [...before, ...created]) if (result.errors?.length || !result.data) mutationErrors.push(JSON.stringify(result.errors));
      newCounterparties.push(...created.flatMap((result) => (result.data ? [result.data.createCounterparty.id] : [])));
      phase(`first requests answered (${cards} cards so far)`);
      await eventually(async () => (await mailsSent()).every((row) => row.status === 'SENT') && sink!.messages.length >= BEFORE_KILL, 'the first e-mails sent', { timeoutMs: 60_000 });
      phase(`first e-mails sent (${cards} cards so far)`);

      // SIGKILL one documents instance in the middle of the card load
      const cardsAtStart = cards;
      await eventually(async () => cards >= cardsAtStart + CARDS_BEFORE_KILL, 'cards read with both instances up', { timeoutMs: 120_000 });
      const victim = instances.find((instance) => instance.name === 'documents' && instance.index === 0)!;
      expect(await victim.process.stop('SIGKILL')).toBe('SIGKILL');
      const cardsAtKill = cards;
      phase(`documents#0 killed (${cards} cards so far)`);
      await eventually(async () => cards >= cardsAtKill + CARDS_BEFORE_KILL, 'cards read after the kill', { timeoutMs: 120_000 });

      phase(`cards read after the kill (${cards} cards so far)`);
      // one instance left: new requests reach it (a refused connection reached nothing, so even a mutation moves on)
      const after = await inParallel(documentIds.slice(BEFORE_KILL), 4, requestAcknowledgement);
      for (const result of after) if (result.errors?.length || !result.data) mutationErrors.push(JSON.stringify(result.errors));
    } finally {
      stopLoad = true;
      await load;
    }

    phase(`load stopped (${cards} cards)`);
    // every e-mail once: as many messages as outbox rows, all sent, no Message-ID twice
    await eventually(async () => (await mailsSent()).every((row) => row.status === 'SENT') && sink!.messages.length >= DOCUMENTS, 'every e-mail sent', { timeoutMs: 60_000 });
    const outbox = await rows<{ message_id: string }>(s.subgraphs.documents.database.url, `select message_id from mail_outbox`);
    const messageIds = sink.messages.map((message) => message.messageId.replace(/^<|>$/g, ''));
    // every counterparties outbox event reached the bus once, and every consumer took every delivery (none waiting, none parked)
    await eventually(
      async () => {
        const [pending] = await rows<{ count: number }>(s.subgraphs.counterparties.database.url, `select count(*)::int as count from outbox_events where published_at is null`);
        const [deliveries] = await rows<{ count: number }>(s.eventBusUrl, `select count(*)::int as count from bus_deliveries`);
        return pending.count === 0 && deliveries.count === 0;
      },
      'every event relayed and consumed',
      { timeoutMs: 60_000 },
    );
    const relayed = await rows<{ id: string }>(s.subgraphs.counterparties.database.url, `select id from outbox_events where payload->>'id' = any($1::text[])`, [newCounterparties]);
    const onBus = await rows<{ id: string; copies: number }>(s.eventBusUrl, `select id::text, count(*)::int as copies from bus_events where producer = 'counterparties' and payload->>'id' = any($1::text[]) group by id`, [newCounterparties]);
    // documents (two instances) and deals each processed every one of those events once and know every new counterparty
    const consumed = await Promise.all(
      (['documents', 'deals'] as const).map(async (consumer) => ({
        consumer,
        inbox: await rows<{ event_id: string }>(s.subgraphs[consumer].database.url, `select event_id::text from inbox_events where consumer = $1 and event_id = any($2::uuid[])`, [consumer, relayed.map((row) => row.id)]),
        known: await rows<{ id: string }>(s.subgraphs[consumer].database.url, `select id::text from counterparty_refs where id = any($1::uuid[])`, [newCounterparties]),
      })),
    );
    // the gateway's log is buffered (written at least once a second): wait for its lines rather than read it once
    const retriesLogged = () => (gateway?.output().match(/retried on another/g) ?? []).length;
    await eventually(async () => retriesLogged() > 0, 'a fetch retried on another instance in the gateway log', { timeoutMs: 10_000 }).catch(() => undefined);
    const gatewayRetries = retriesLogged();
    const figures = {
      instances: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, instances.filter((instance) => instance.name === name).length])),
      processesReadyMs,
      clients: CLIENTS,
      cardsRead: cards,
      cardErrors: failures.length,
      mutations: DOCUMENTS,
      mutationErrors: mutationErrors.length,
      emailsInOutbox: outbox.length,
      emailsReceived: sink.messages.length,
      distinctEmails: new Set(messageIds).size,
      counterpartiesCreated: newCounterparties.length,
      counterpartyEvents: relayed.length,
      counterpartyEventsOnBus: onBus.length,
      fetchesRetriedOnAnotherInstance: gatewayRetries,
    };
    expect(failures.slice(0, 5)).toEqual([]);
    expect(mutationErrors).toEqual([]);
    expect(outbox).toHaveLength(DOCUMENTS);
    expect(sink.messages).toHaveLength(DOCUMENTS);
    expect(new Set(messageIds)).toEqual(new Set(outbox.map((row) => row.message_id.replace(/^<|>$/g, ''))));
    expect(newCounterparties).toHaveLength(COUNTERPARTIES);
    expect(relayed.length).toBeGreaterThanOrEqual(COUNTERPARTIES);
    expect(new Set(onBus.map((row) => row.id))).toEqual(new Set(relayed.map((row) => row.id)));
    expect(onBus.every((row) => row.copies === 1)).toBe(true);
    for (const { inbox, known } of consumed) {
      expect(new Set(inbox.map((row) => row.event_id))).toEqual(new Set(relayed.map((row) => row.id)));
      expect(new Set(known.map((row) => row.id))).toEqual(new Set(newCounterparties));
    }
    // the kill was felt and routed around: at least the dead instance's refused connection moved a fetch
    expect(gatewayRetries).toBeGreaterThan(0);
    // the surviving instances are still serving; the killed one is the only one gone
    expect(instances.filter((instance) => instance.process.child.exitCode === null && instance.process.child.signalCode === null)).toHaveLength(instances.length - 1);
    recordFigures('replicas', figures);
    finished = true;
  },
  scaled(600_000),
);
