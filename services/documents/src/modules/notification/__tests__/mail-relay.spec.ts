import { DEFAULT_MAIL_FROM, defaultDocumentsSettings } from '../../../config';
import { type SinkProcess, startSinkProcess, startTestSubgraph, type TestSubgraph, waitFor } from '@kartoteka/kit/testing';
import { documentsSubgraph } from '../../../subgraph';
import { mailRelayWorker, type MailRelay } from '../mail-relay.worker';
import { liveChannelOf } from '../notification.events';
import { notifyCommitted, notifyInput, outboxRows, seedStaff, silentLogger, staffMember } from './notification.fixtures';

let subgraph: TestSubgraph;
let sink: SinkProcess;
let relay: MailRelay | null = null;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  sink = await startSinkProcess();
});
afterAll(async () => {
  await relay?.stop();
  await sink?.stop();
  await subgraph?.close();
});

describe('mail relay against an SMTP server that dies', () => {
  it('delivers every e-mail exactly once when the SMTP server is killed mid-batch and restarted on the same port', async () => {
    const members = Array.from({ length: 30 }, (_, i) => staffMember(`Recipient${i}`));
    await seedStaff(subgraph.orm, members);
    await notifyCommitted(subgraph.orm, notifyInput(members.map((member) => member.id), { kind: 'ACKNOWLEDGEMENT_REQUESTED' }));
    const rows = await outboxRows(subgraph.orm);
    expect(rows).toHaveLength(30);

    relay = mailRelayWorker({
      orm: subgraph.orm,
      logger: silentLogger,
      smtpUrl: `smtp://127.0.0.1:${sink.port}`,
      from: DEFAULT_MAIL_FROM,
      live: liveChannelOf(subgraph.orm, silentLogger),
      batchSize: 5,
      pollIntervalMs: 50,
      backoffMs: 50,
      maxBackoffMs: 200,
      maxAttempts: 1000,
      smtpTimeoutMs: 5000,
    });
    relay.start();

    // Kill the server outright (SIGKILL) while the relay is in the middle of its work.
    await waitFor('a third of the mail at the sink', async () => (await sink.messages()).length >= 10);
    await sink.kill();
    const atKill = (await sink.messages()).length;
    expect(atKill).toBeLessThan(30);
    await waitFor('the relay to hit the dead server', async () => (await outboxRows(subgraph.orm, "status = 'PENDING' and last_error is not null")).length > 0);

    await sink.restart();
    await waitFor('all 30 rows SENT', async () => (await outboxRows(subgraph.orm)).every((row) => row.status === 'SENT'), 60_000);
    await relay.stop();

    const delivered = await sink.messages();
    const perMessageId = new Map<string, number>();
    for (const mail of delivered) perMessageId.set(mail.messageId, (perMessageId.get(mail.messageId) ?? 0) + 1);
    expect(delivered).toHaveLength(30);
    expect([...perMessageId.values()].every((count) => count === 1)).toBe(true);
    expect([...perMessageId.keys()].sort()).toEqual(rows.map((row) => row.message_id).sort());
    expect(delivered.map((mail) => mail.to).sort()).toEqual(members.map((member) => member.email).sort());
    // Some rows needed more than one attempt, and the record says so.
    expect((await outboxRows(subgraph.orm)).some((row) => row.attempts > 1)).toBe(true);
  });
});
