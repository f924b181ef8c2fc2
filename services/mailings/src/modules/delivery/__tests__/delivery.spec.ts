import { randomUUID } from 'node:crypto';
import { ANONYMOUS, createLogger, GATEWAY_TOKEN_HEADER, signGatewayToken } from '@kartoteka/kit';
import { demoIdentity, startSmtpSink, startTestSubgraph, type SmtpSink, type SunkMail, type TestSubgraph } from '@kartoteka/kit/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { defaultMailingsSettings } from '../../../config';
import { mailingsSubgraph } from '../../../subgraph';
import { createUnsubscribeToken, verifyUnsubscribeToken } from '../../suppression/unsubscribe-token';
import { defaultDeliverySettings, smtpSettingsFromUrl, type DeliverySettings } from '../delivery.settings';
import { nextSlotAt } from '../rate-limit';
import { sendingWorker, type SendingWorker } from '../sending.worker';
import { backoffAfter, classifySmtpFailure } from '../smtp-outcome';
import { mailingStatus, recipientRows, seedSendingMailing, statusEvents } from '../../../testing/delivery.fixtures';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const manager = demoIdentity('manager@kartoteka.local');
const viewer = demoIdentity('viewer@kartoteka.local');

let subgraph: TestSubgraph;
let sink: SmtpSink;
let settings: DeliverySettings;
let worker: SendingWorker;
const em = (): EntityManager => subgraph.orm.em.fork() as EntityManager;

beforeAll(async () => {
  sink = await startSmtpSink();
  settings = defaultDeliverySettings({ smtp: smtpSettingsFromUrl(sink.url), unsubscribeSecret: SECRET, publicBaseUrl: 'https://crm.example.com', backoffMs: 20, maxBackoffMs: 80, maxAttempts: 3, smtpTimeoutMs: 5000, claimLeaseMs: 60_000, pollIntervalMs: 50 });
  subgraph = await startTestSubgraph(mailingsSubgraph(defaultMailingsSettings({ delivery: settings }), { workers: false }));
  worker = sendingWorker({ orm: subgraph.orm, logger: createLogger('mailings', 'silent'), settings });
});
afterAll(async () => {
  await worker?.stop();
  await subgraph?.close();
  await sink?.close();
});

const messagesTo = (email: string): SunkMail[] => sink.messages.filter((mail) => mail.toAddresses.includes(email));
const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

/** The service-side address of a link from a message (the gateway maps /rest/mailings/* to /internal/rest/*). */
function internalUrl(link: string): string {
  return link.replace(`${settings.publicBaseUrl}/rest/mailings`, `${subgraph.url.replace(/\/graphql$/, '')}/internal/rest`);
}

async function anonymously(method: 'GET' | 'POST', url: string, body?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const token = await signGatewayToken(ANONYMOUS, 'mailings', subgraph.secret, randomUUID());
  const response = await fetch(url, { method, body, headers: { [GATEWAY_TOKEN_HEADER]: token, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) } });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('unsubscribe tokens, failure kinds, pace', () => {
  it('signs a recipient and an address; a changed byte, another address or another key is refused', () => {
    const recipientId = randomUUID();
    const token = createUnsubscribeToken({ recipientId, email: 'Ivan@Example.com' }, SECRET);
    expect(verifyUnsubscribeToken(token, SECRET)).toEqual({ recipientId, email: 'ivan@example.com' });
    const [payload, signature] = token.split('.');
    const other = createUnsubscribeToken({ recipientId, email: 'eve@example.com' }, SECRET).split('.')[0];
    expect(verifyUnsubscribeToken(`${other}.${signature}`, SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(`${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`, SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(token, `${SECRET}-rotated`)).toBeNull();
    expect(verifyUnsubscribeToken('not-a-token', SECRET)).toBeNull();
  });

  it('tells hard bounces, soft bounces and temporary failures apart', () => {
    expect(classifySmtpFailure({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.1.1 No such user' })).toMatchObject({ kind: 'HARD', responseCode: 550 });
    expect(classifySmtpFailure({ code: 'EENVELOPE', rejectedErrors: [{ command: 'RCPT TO', responseCode: 452, response: '452 Mailbox full' }] })).toMatchObject({ kind: 'SOFT', responseCode: 452 });
    expect(classifySmtpFailure({ code: 'EMESSAGE', command: 'DATA', responseCode: 554 })).toMatchObject({ kind: 'HARD' });
    expect(classifySmtpFailure({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' })).toMatchObject({ kind: 'TEMPORARY', responseCode: null });
    expect(classifySmtpFailure({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 })).toMatchObject({ kind: 'TEMPORARY' });
    expect([1, 2, 3, 10].map((attempts) => backoffAfter(attempts, 100, 1000))).toEqual([100, 200, 400, 1000]);
  });

  it('paces claims evenly and keeps the hourly and service-wide limits', () => {
    const now = 1_000_000;
    const none = { now, mailingLast: null, mailingMinuteNth: null, mailingHourNth: null, serviceLast: null, serviceMinuteNth: null };
    expect(nextSlotAt(none, { ratePerMinute: 6000, ratePerHour: 100, serviceMaxPerMinute: 0 })).toBeLessThanOrEqual(now);
    expect(nextSlotAt({ ...none, mailingLast: now - 4 }, { ratePerMinute: 6000, ratePerHour: 100, serviceMaxPerMinute: 0 })).toBe(now + 6);
    expect(nextSlotAt({ ...none, mailingHourNth: now - 3_000_000 }, { ratePerMinute: 6000, ratePerHour: 100, serviceMaxPerMinute: 0 })).toBe(now + 600_000);
    expect(nextSlotAt({ ...none, serviceLast: now }, { ratePerMinute: 6000, ratePerHour: 100, serviceMaxPerMinute: 60 })).toBe(now + 1000);
  });
});

describe('the sending worker', () => {
  it('sends one personalised message per recipient, with the attachment, the unsubscribe headers and a stable Message-ID, then completes the mailing', async () => {
    const emails = [unique('ivan'), unique('olga'), unique('petr')];
    const seeded = await seedSendingMailing(em(), { emails, attachment: { fileName: 'offer.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 offer') } });
    expect(await worker.drain()).toBe(3);
    for (const recipient of seeded.recipients) {
      const [mail] = messagesTo(recipient.email);
      expect(messagesTo(recipient.email)).toHaveLength(1);
      expect(mail.toAddresses).toEqual([recipient.email]);
      expect(mail.envelopeTo).toEqual([recipient.email]);
      expect([...mail.ccAddresses, ...mail.bccAddresses]).toEqual([]);
      expect(mail.subject).toBe('Предложение для Общество с ограниченной ответственностью «Ромашка»');
      expect(mail.html).toContain(`Здравствуйте, ${recipient.contactName}!`);
      expect(mail.html).toContain('ООО «Ромашка»');
      expect(mail.text).toContain('Мария Менеджерова');
      expect(mail.attachments).toEqual([{ fileName: 'offer.pdf', contentType: 'application/pdf', size: 14 }]);
      expect(mail.messageId).toBe(`<mailing.${recipient.id}@kartoteka.local>`);
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      const link = /^<(https:\/\/crm\.example\.com\/rest\/mailings\/unsubscribe\/[A-Za-z0-9_.-]+)>$/.exec(mail.headers['list-unsubscribe'])?.[1];
      expect(link).toBeDefined();
      expect(verifyUnsubscribeToken(link!.split('/').pop()!, SECRET)).toEqual({ recipientId: recipient.id, email: recipient.email });
      expect(mail.html).toContain(`href="${link}"`);
    }
    const rows = await recipientRows(em(), seeded.mailingId);
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([['SENT', 1], ['SENT', 1], ['SENT', 1]]);
    expect(await worker.step()).toEqual({ kind: 'idle' });
    expect(await mailingStatus(em(), seeded.mailingId)).toBe('COMPLETED');
    const events = await statusEvents(em(), seeded.mailingId);
    expect(events.map((event) => event.status)).toEqual(['SENT', 'SENT', 'SENT']);
    expect(events[0]).toMatchObject({ mailingName: 'Осеннее предложение', counterpartyId: seeded.counterpartyId });
  });

  it('records a 5xx as a hard bounce; a second hard bounce of the address suppresses it, and a later mailing skips it without sending', async () => {
    const bad = unique('gone');
    sink.reject(bad, { code: 550, message: '5.1.1 No such user here' });
    const first = await seedSendingMailing(em(), { emails: [bad, unique('fine')] });
    await worker.drain();
    const firstRows = await recipientRows(em(), first.mailingId);
    expect(firstRows.find((row) => row.email === bad)).toMatchObject({ status: 'BOUNCED', bounce_kind: 'HARD', attempts: 1, last_error: expect.stringContaining('550') });
    expect(await em().execute('select 1 from suppressions where email = ?', [bad])).toHaveLength(0);

    const second = await seedSendingMailing(em(), { emails: [bad] });
    await worker.drain();
    expect((await recipientRows(em(), second.mailingId))[0]).toMatchObject({ status: 'BOUNCED', bounce_kind: 'HARD' });
    expect(await em().execute('select reason, mailing_id from suppressions where email = ?', [bad])).toEqual([{ reason: 'HARD_BOUNCE', mailing_id: second.mailingId }]);
    expect(sink.rejectedCount(bad)).toBe(2);

    const third = await seedSendingMailing(em(), { emails: [bad] });
    await worker.drain();
    expect((await recipientRows(em(), third.mailingId))[0]).toMatchObject({ status: 'UNSUBSCRIBED', attempts: 0 });
    expect(sink.rejectedCount(bad)).toBe(2);
    expect((await statusEvents(em(), third.mailingId)).map((event) => event.status)).toEqual(['UNSUBSCRIBED']);
    sink.accept(bad);
  });

  it('retries a 4xx with backoff until it goes through; still refused after the last attempt it is a soft bounce', async () => {
    const greylisted = unique('grey');
    const full = unique('full');
    sink.reject(greylisted, { code: 451, message: '4.7.1 Greylisted, try again later', times: 2 });
    sink.reject(full, { code: 452, message: '4.2.2 Mailbox full' });
    const seeded = await seedSendingMailing(em(), { emails: [greylisted, full] });
    await worker.drain();
    const rows = await recipientRows(em(), seeded.mailingId);
    expect(rows.find((row) => row.email === greylisted)).toMatchObject({ status: 'SENT', attempts: 3, bounce_kind: null });
    expect(rows.find((row) => row.email === full)).toMatchObject({ status: 'BOUNCED', bounce_kind: 'SOFT', attempts: 3, last_error: expect.stringContaining('452') });
    expect(messagesTo(greylisted)).toHaveLength(1);
    expect(messagesTo(full)).toHaveLength(0);
    const attempts = await em().execute<{ outcome: string }[]>(`select outcome from mailing_delivery_attempts where recipient_id = ? order by attempt`, [rows.find((row) => row.email === greylisted)!.id]);
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['SOFT', 'SOFT', 'SENT']);
    expect(await mailingStatus(em(), seeded.mailingId)).toBe('COMPLETED');
    sink.accept(full);
  });

  it('retries when the SMTP server cannot be reached and marks the recipient FAILED (not bounced) after the last attempt', async () => {
    const gone = await startSmtpSink();
    await gone.close();
    const unreachable = sendingWorker({ orm: subgraph.orm, logger: createLogger('mailings', 'silent'), settings: { ...settings, smtp: smtpSettingsFromUrl(gone.url), smtpTimeoutMs: 2000 } });
    const seeded = await seedSendingMailing(em(), { emails: [unique('unreachable')] });
    await unreachable.drain();
    await unreachable.stop();
    expect((await recipientRows(em(), seeded.mailingId))[0]).toMatchObject({ status: 'FAILED', bounce_kind: null, attempts: 3, last_error: expect.stringMatching(/ECONNREFUSED|connect/i) });
    expect((await statusEvents(em(), seeded.mailingId)).map((event) => [event.status, event.bounceKind])).toEqual([['FAILED', null]]);
    expect(await mailingStatus(em(), seeded.mailingId)).toBe('COMPLETED');
  });

  it('keeps the pace across replicas: two workers on one database send each recipient once, never closer than 60 s / ratePerMinute', async () => {
    const second = sendingWorker({ orm: subgraph.orm, logger: createLogger('mailings', 'silent'), settings });
    const seeded = await seedSendingMailing(em(), { emails: Array.from({ length: 12 }, (_, index) => unique(`replica${index}`)), ratePerMinute: 600 });
    const [a, b] = await Promise.all([worker.drain(), second.drain()]);
    await second.stop();
    expect(a + b).toBe(12);
    for (const recipient of seeded.recipients) expect(messagesTo(recipient.email)).toHaveLength(1);
    const claims = await em().execute<{ at: number }[]>(`select (extract(epoch from claimed_at) * 1000)::float8 as at from mailing_delivery_attempts where mailing_id = ? order by claimed_at`, [seeded.mailingId]);
    const gaps = claims.slice(1).map((claim, index) => Number(claim.at) - Number(claims[index].at));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
  });

  it('sends nothing of a PAUSED mailing and goes on when it is SENDING again; a CANCELLED one keeps its queue unsent', async () => {
    const paused = await seedSendingMailing(em(), { emails: [unique('p1'), unique('p2')], status: 'PAUSED' });
    const cancelled = await seedSendingMailing(em(), { emails: [unique('c1')], status: 'CANCELLED' });
    expect(await worker.drain()).toBe(0);
    await em().execute(`update mailings set status = 'SENDING' where id = ?`, [paused.mailingId]);
    expect(await worker.drain()).toBe(2);
    expect((await recipientRows(em(), paused.mailingId)).map((row) => row.status)).toEqual(['SENT', 'SENT']);
    expect((await recipientRows(em(), cancelled.mailingId)).map((row) => row.status)).toEqual(['QUEUED']);
    expect(await mailingStatus(em(), cancelled.mailingId)).toBe('CANCELLED');
  });
});

describe('unsubscribe', () => {
  it('GET shows the confirmation and changes nothing; the one-click POST unsubscribes, once; a forged token is refused; later mailings skip the address', async () => {
    const email = unique('leaving');
    const seeded = await seedSendingMailing(em(), { emails: [email] });
    await worker.drain();
    const [mail] = messagesTo(email);
    const link = /^<([^>]+)>$/.exec(mail.headers['list-unsubscribe'])![1];

    const page = await anonymously('GET', internalUrl(link));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*form-action 'self'/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).toContain('data-state="confirm"');
    expect(page.text).toContain('<form method="post">');
    expect(page.text).toContain('Unsubscribe');
    expect(page.text).not.toMatch(/<script|\son\w+=/i);
    expect(page.text).not.toContain(email);
    expect((await recipientRows(em(), seeded.mailingId))[0].status).toBe('SENT');
    expect(await em().execute('select 1 from suppressions where email = ?', [email])).toHaveLength(0);

    const [payload, signature] = link.split('/').pop()!.split('.');
    const forgedPayload = Buffer.from(payload, 'base64url');
    forgedPayload[forgedPayload.length - 1] ^= 1;
    const forged = await anonymously('POST', internalUrl(link.replace(payload, forgedPayload.toString('base64url'))), 'List-Unsubscribe=One-Click');
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('data-state="invalid"');
    expect(signature.length).toBeGreaterThan(20);
    expect(await em().execute('select 1 from suppressions where email = ?', [email])).toHaveLength(0);

    const done = await anonymously('POST', internalUrl(link), 'List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    expect(done.text).toContain('data-state="done"');
    expect((await recipientRows(em(), seeded.mailingId))[0].status).toBe('UNSUBSCRIBED');
    expect(await em().execute('select reason, mailing_id from suppressions where email = ?', [email])).toEqual([{ reason: 'UNSUBSCRIBED', mailing_id: seeded.mailingId }]);

    const again = await anonymously('POST', internalUrl(link), 'List-Unsubscribe=One-Click');
    expect(again.status).toBe(200);
    expect(again.text).toContain('data-state="already"');
    expect((await statusEvents(em(), seeded.mailingId)).map((event) => event.status)).toEqual(['SENT', 'UNSUBSCRIBED']);
    expect((await anonymously('GET', internalUrl(link))).text).toContain('data-state="already"');

    const later = await seedSendingMailing(em(), { emails: [email, unique('staying')] });
    await worker.drain();
    expect((await recipientRows(em(), later.mailingId)).find((row) => row.email === email)).toMatchObject({ status: 'UNSUBSCRIBED', attempts: 0 });
    expect(messagesTo(email)).toHaveLength(1);
  });

  it('keeps the suppression list through the API: staff add addresses by hand (mailings:manage), everyone with mailings:read lists them', async () => {
    const address = unique('Manual').toUpperCase();
    const added = await subgraph.request<{ addSuppression: { email: string; reason: string } }>('mutation($input: AddSuppressionInput!) { addSuppression(input: $input) { email reason } }', { input: { email: address } }, manager);
    expect(added.errors).toBeUndefined();
    expect(added.data?.addSuppression).toEqual({ email: address.toLowerCase(), reason: 'MANUAL' });
    const refused = await subgraph.request('mutation($input: AddSuppressionInput!) { addSuppression(input: $input) { email } }', { input: { email: unique('x') } }, viewer);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const invalid = await subgraph.request('mutation($input: AddSuppressionInput!) { addSuppression(input: $input) { email } }', { input: { email: 'two@a.com, three@b.com' } }, manager);
    expect(invalid.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const listed = await subgraph.request<{ suppressions: { totalCount: number; edges: { node: { email: string; reason: string } }[] } }>('query($q: String) { suppressions(first: 5, q: $q) { totalCount edges { node { email reason } } } }', { q: address.slice(0, 12).toLowerCase() }, viewer);
    expect(listed.data?.suppressions).toEqual({ totalCount: 1, edges: [{ node: { email: address.toLowerCase(), reason: 'MANUAL' } }] });
  });
});
