import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSmtpSink, startTestSubgraph, waitFor, type SmtpSink, type SunkMail, type TestSubgraph } from '@kartoteka/kit/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { defaultMailingsSettings } from '../../../config';
import { mailingsSubgraph } from '../../../subgraph';
import { mailingStatus, recipientRows, seedSendingMailing } from '../../../testing/delivery.fixtures';

/**
 * The sending worker as its own OS process (the built `dist/modules/delivery/sending-worker.main.js`, as a deployment
 * runs it; `pnpm test` builds first) against the real SMTP sink and PostgreSQL: the pace of 1,000 messages, and
 * SIGKILL in the middle of a send.
 */
const WORKER = join(__dirname, '..', '..', '..', '..', 'dist', 'modules', 'delivery', 'sending-worker.main.js');
const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';

let subgraph: TestSubgraph;
let sink: SmtpSink;
const children = new Set<ChildProcess>();
const em = (): EntityManager => subgraph.orm.em.fork() as EntityManager;

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`pnpm --filter ./services/mailings build\` first`);
  sink = await startSmtpSink();
  subgraph = await startTestSubgraph(mailingsSubgraph(defaultMailingsSettings(), { workers: false }));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await subgraph?.close();
  await sink?.close();
});

/** Starts the worker process (`env` overrides its settings); `exited` resolves once it is gone. */
function startWorker(env: Record<string, string> = {}): { child: ChildProcess; exited: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [WORKER], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: subgraph.database.url,
      MAILINGS_SMTP_HOST: '127.0.0.1',
      MAILINGS_SMTP_PORT: String(sink.port),
      MAILINGS_PUBLIC_URL: 'https://crm.example.com',
      UNSUBSCRIBE_SECRET: SECRET,
      MAILINGS_MAX_PER_MINUTE: '0',
      // a claim left by a killed worker is taken again after 6.1 s (it must outlast 3 × the SMTP timeouts); a send
      // that timed out anyway (a very busy machine) is retried at once
      MAILINGS_SMTP_TIMEOUT_MS: '2000',
      MAILINGS_CLAIM_LEASE_MS: '6100',
      MAILINGS_BACKOFF_MS: '100',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  return { child, exited, output: () => output };
}

const countBy = (mails: SunkMail[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const mail of mails) for (const address of mail.toAddresses) counts.set(address, (counts.get(address) ?? 0) + 1);
  return counts;
};

/** The most arrivals within any window of `windowMs` (inclusive at both ends). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, start = 0; end < sorted.length; end += 1) {
    while (sorted[end] - sorted[start] > windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('the sending worker process', () => {
  it('sends 1,000 recipients once each at the mailing\'s pace (6,000 per minute: never more than ~100 in a second)', async () => {
    const seeded = await seedSendingMailing(em(), { emails: Array.from({ length: 1000 }, (_, index) => `r${String(index).padStart(4, '0')}@pace.example.com`), ratePerMinute: 6000, ratePerHour: 100_000 });
    // No worker is killed here, so no claim needs taking again soon: SMTP timeouts long enough that a send slowed
    // by a saturated machine is not timed out (and retried, as it must be) after the sink already took it.
    const worker = startWorker({ MAILINGS_SMTP_TIMEOUT_MS: '15000', MAILINGS_CLAIM_LEASE_MS: '45100' });
    await waitFor('1,000 messages at the sink', () => {
      if (worker.child.exitCode !== null) throw new Error(`the worker exited: ${worker.output()}`);
      return sink.messages.filter((mail) => mail.toAddresses[0]?.endsWith('@pace.example.com')).length >= 1000;
    }, 120_000);
    await waitFor('every recipient SENT', async () => (await recipientRows(em(), seeded.mailingId)).every((row) => row.status === 'SENT'), 20_000);
    await waitFor('the mailing COMPLETED', async () => (await mailingStatus(em(), seeded.mailingId)) === 'COMPLETED', 20_000);
    worker.child.kill('SIGTERM');
    await worker.exited;

    const mails = sink.messages.filter((mail) => mail.toAddresses[0]?.endsWith('@pace.example.com'));
    expect(mails).toHaveLength(1000);
    const counts = countBy(mails);
    expect(counts.size).toBe(1000);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    for (const mail of mails) {
      expect(mail.toAddresses).toHaveLength(1);
      expect(mail.envelopeTo).toEqual(mail.toAddresses);
      expect(mail.ccAddresses.length + mail.bccAddresses.length).toBe(0);
      expect(mail.headers['list-unsubscribe']).toMatch(/^<https:\/\/crm\.example\.com\/rest\/mailings\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/);
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(mail.text).toContain('Здравствуйте');
    }
    // Claims are at least 10 ms apart and one worker sends one message at a time, so any second holds at most
    // 100 claims plus the one whose message was still on its way: an upper bound a slow machine only stays further under.
    const arrivals = mails.map((mail) => mail.receivedAt.getTime());
    expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(102);
    // …and the limit really bound: 1,000 messages 10 ms apart take at least 9.98 s, however fast the machine.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(9_980 - 2);
    const [{ count }] = await em().execute<{ count: string }[]>(`select count(*) from mailing_delivery_attempts where mailing_id = ? and outcome = 'SENT'`, [seeded.mailingId]);
    expect(Number(count)).toBe(1000);
  });

  it('killed with SIGKILL while the SMTP server has not yet acknowledged a message, and started again: 0 lost, 0 duplicated', async () => {
    const total = 60;
    const seeded = await seedSendingMailing(em(), { emails: Array.from({ length: total }, (_, index) => `k${String(index).padStart(3, '0')}@kill.example.com`), ratePerMinute: 6000 });
    const ours = () => sink.messages.filter((mail) => mail.toAddresses[0]?.endsWith('@kill.example.com'));
    const first = startWorker();
    await waitFor('some messages at the sink', () => ours().length >= 20, 60_000);
    // Deterministic, not lucky: the sink holds the reply to the next message's DATA, so the worker is killed exactly
    // while it waits for the 250 — the message is not acknowledged (the sink discards it when the connection dies)
    // and, as one worker sends one message at a time, every message before it is already recorded SENT.
    const held = await sink.holdNext();
    first.child.kill('SIGKILL');
    await first.exited;
    const heldAddress = held.toAddresses[0];
    const before = await recipientRows(em(), seeded.mailingId);
    const heldRow = before.find((row) => row.email === heldAddress)!;
    expect(heldRow).toMatchObject({ status: 'QUEUED', attempts: 1 });
    const sentBefore = before.filter((row) => row.status === 'SENT').length;
    expect(sentBefore).toBe(ours().length);
    expect(countBy(ours()).get(heldAddress)).toBeUndefined();

    const second = startWorker();
    await waitFor('every recipient SENT after the restart', async () => (await recipientRows(em(), seeded.mailingId)).every((row) => row.status === 'SENT'), 60_000);
    second.child.kill('SIGTERM');
    await second.exited;

    const counts = countBy(ours());
    expect(ours()).toHaveLength(total);
    expect(counts.size).toBe(total);
    expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    const after = await recipientRows(em(), seeded.mailingId);
    expect(after.find((row) => row.email === heldAddress)).toMatchObject({ status: 'SENT', attempts: 2 });
    // the resent message is the same message: the Message-ID of the claim
    expect(ours().find((mail) => mail.toAddresses[0] === heldAddress)?.messageId).toBe(held.messageId);
    expect(after.filter((row) => row.attempts !== 1).map((row) => row.email)).toEqual([heldAddress]);
  });
});
