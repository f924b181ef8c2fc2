import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, GATEWAY_TOKEN_HEADER, type Identity, signGatewayToken, userIdentity } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph, waitFor } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { liveChannelOf } from '../notification.events';
import { NotificationService } from '../notification.service';
import { notifyCommitted, notifyInput, silentLogger } from './notification.fixtures';

type SseEvent = { event: string; data: string };
type OpenStream = { status: number; events: SseEvent[]; comments: string[]; ended: Promise<void>; close: () => void };

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
});
afterAll(() => subgraph?.close());

function streamUrl(server: TestSubgraph): string {
  return server.url.replace('/graphql', '/internal/rest/stream');
}

async function headers(server: TestSubgraph, identity: Identity): Promise<Record<string, string>> {
  return { [GATEWAY_TOKEN_HEADER]: await signGatewayToken(identity, 'documents', server.secret, randomUUID()) };
}

/** Opens the event stream and parses frames as they come; resolves once the stream listens. */
async function openStream(identity: Identity, server = subgraph): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(streamUrl(server), { headers: await headers(server, identity), signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const stream: OpenStream = { status: response.status, events: [], comments: [], ended: Promise.resolve(), close: () => abort.abort() };
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  stream.ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = frame.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          if (event && data !== undefined) stream.events.push({ event, data });
          for (const line of lines) if (line.startsWith(':')) stream.comments.push(line.slice(1).trim());
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  await waitFor('the stream to listen', () => stream.comments.includes('listening'));
  return stream;
}

const olgaId = randomUUID();
const ivanId = randomUUID();
const olga = userIdentity(olgaId, 'Ольга Смирнова', ['MANAGER']);
const ivan = userIdentity(ivanId, 'Иван Петров', ['VIEWER']);

describe('GET /rest/stream', () => {
  it('sends a notification only to its recipient and document changes to every connected user', async () => {
    const [olgaStream, ivanStream, olgaSecondTab] = [await openStream(olga), await openStream(ivan), await openStream(olga)];
    try {
      const input = notifyInput([olgaId], { kind: 'REWORK_NEEDED', actorName: 'Елена Волкова' });
      await notifyCommitted(subgraph.orm, input);
      await waitFor('the notification in both of Olga’s tabs', () => olgaStream.events.length === 1 && olgaSecondTab.events.length === 1);
      const [received] = olgaStream.events;
      expect(received.event).toBe('notification');
      const payload = JSON.parse(received.data) as Record<string, unknown>;
      const [row] = await subgraph.orm.em.getConnection().execute<{ id: string }[]>('select id from notifications where document_id = ?', [input.documentId]);
      expect(payload).toEqual({
        id: row.id,
        kind: 'REWORK_NEEDED',
        documentId: input.documentId,
        documentTitle: input.documentTitle,
        documentNumber: input.documentNumber,
        actorName: 'Елена Волкова',
        createdAt: expect.any(String),
      });

      // A document ping goes to everyone; pings arrive in commit order, so Ivan has seen all there was before it.
      const changed = randomUUID();
      await subgraph.orm.em.fork().transactional((em) => new NotificationService(em).documentChanged(changed));
      await waitFor('the document event for all', () => [olgaStream, ivanStream, olgaSecondTab].every((s) => s.events.some((e) => e.event === 'document')));
      expect(ivanStream.events).toEqual([{ event: 'document', data: JSON.stringify({ documentId: changed }) }]);
      expect(olgaStream.events.map((e) => e.event)).toEqual(['notification', 'document']);
    } finally {
      for (const stream of [olgaStream, ivanStream, olgaSecondTab]) stream.close();
    }
  });

  it('reaches every recipient of a large notification (pings are split under PostgreSQL’s payload limit)', async () => {
    const stream = await openStream(ivan);
    try {
      const others = Array.from({ length: 120 }, () => randomUUID());
      const title = 'Очень длинное название договора '.repeat(20);
      await notifyCommitted(subgraph.orm, notifyInput([...others, ivanId], { documentTitle: title, actorName: 'Ё'.repeat(400) }));
      await waitFor('the notification for the last recipient', () => stream.events.some((e) => e.event === 'notification'));
      const payload = JSON.parse(stream.events[0].data) as { documentTitle: string };
      expect(payload.documentTitle.startsWith('Очень длинное название договора')).toBe(true);
      expect(payload.documentTitle.length).toBeLessThanOrEqual(300);
    } finally {
      stream.close();
    }
  });

  it('answers 401 to anonymous callers and 403 to API keys', async () => {
    const anonymous = await fetch(streamUrl(subgraph), { headers: await headers(subgraph, { kind: 'anonymous' }) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] });
    const partner = await fetch(streamUrl(subgraph), { headers: await headers(subgraph, apiKeyIdentity(randomUUID(), 'ERP', ['documents:read'])) });
    expect(partner.status).toBe(403);
    expect(((await partner.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
    const ungated = await fetch(streamUrl(subgraph));
    expect(ungated.status).toBe(401);
  });

  it('lets go of the LISTEN connection when the last client disconnects, and listens again for the next', async () => {
    const live = liveChannelOf(subgraph.orm, silentLogger);
    const listeners = async () =>
      (await subgraph.orm.em.getConnection().execute<{ n: number }[]>("select count(*)::int as n from pg_stat_activity where application_name = 'documents-live' and datname = current_database()"))[0].n;
    const first = await openStream(olga);
    expect(await listeners()).toBe(1);
    first.close();
    await waitFor('no subscribers', () => live.subscriberCount === 0);
    await waitFor('the LISTEN connection closed', async () => (await listeners()) === 0);

    const again = await openStream(ivan);
    try {
      await notifyCommitted(subgraph.orm, notifyInput([ivanId]));
      await waitFor('the notification after reconnecting', () => again.events.some((e) => e.event === 'notification'));
    } finally {
      again.close();
    }
  });

  it('reconnects after the database drops the LISTEN connection', async () => {
    const live = liveChannelOf(subgraph.orm, silentLogger);
    const stream = await openStream(olga);
    try {
      const [before] = await subgraph.orm.em.getConnection().execute<{ pid: number }[]>("select pid from pg_stat_activity where application_name = 'documents-live' and datname = current_database()");
      await subgraph.orm.em.getConnection().execute('select pg_terminate_backend(?)', [before.pid]);
      await waitFor('a new LISTEN connection', async () => {
        const rows = await subgraph.orm.em.getConnection().execute<{ pid: number }[]>("select pid from pg_stat_activity where application_name = 'documents-live' and datname = current_database()");
        return rows.length === 1 && rows[0].pid !== before.pid;
      });
      await live.whenListening();
      await notifyCommitted(subgraph.orm, notifyInput([olgaId]));
      await waitFor('the notification through the new connection', () => stream.events.some((e) => e.event === 'notification'));
    } finally {
      stream.close();
    }
  });

  it('ends open streams when the service shuts down', async () => {
    const own = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }), { config: { shutdownGraceMs: 60_000 } });
    const stream = await openStream(olga, own);
    await own.close();
    await stream.ended;
    expect(stream.comments).toContain('listening');
  });
});
