import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { DEFAULT_MAIL_FROM, defaultDocumentsSettings } from '../../../config';
import { type SmtpSink, startSmtpSink, startTestSubgraph, type TestSubgraph, waitFor } from '@kartoteka/kit/testing';
import { documentsSubgraph } from '../../../subgraph';
import { mailRelayWorker, type MailRelay, type MailRelayOptions } from '../mail-relay.worker';
import { liveChannelOf, type LiveEvent } from '../notification.events';
import { NotificationService } from '../notification.service';
import { overdueCheckWorker } from '../overdue-check.worker';
import { renderNotificationMail } from '../notification.templates';
import { notifyCommitted, notifyInput, outboxRows, seedStaff, silentLogger, staffMember } from './notification.fixtures';

const PORTAL = 'https://portal.example.test';

let subgraph: TestSubgraph;
let sink: SmtpSink;
const relays: MailRelay[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings({ portalUrl: PORTAL }), { workers: false }));
  sink = await startSmtpSink();
});
afterEach(async () => {
  // Each test starts with an empty queue: what a test left pending goes out now.
  await relay().drain();
  await Promise.all(relays.splice(0).map((worker) => worker.stop()));
});
afterAll(async () => {
  await subgraph?.close();
  await sink?.close();
});

function relay(overrides: Partial<MailRelayOptions> = {}): MailRelay {
  const worker = mailRelayWorker({
    orm: subgraph.orm,
    logger: silentLogger,
    smtpUrl: sink.url,
    from: DEFAULT_MAIL_FROM,
    live: liveChannelOf(subgraph.orm, silentLogger),
    pollIntervalMs: 100,
    backoffMs: 50,
    ...overrides,
  });
  relays.push(worker);
  return worker;
}

async function notificationsOf(documentId: string): Promise<{ id: string; user_id: string; kind: string; params: Record<string, unknown>; read_at: string | null }[]> {
  return subgraph.orm.em.getConnection().execute('select * from notifications where document_id = ? order by user_id', [documentId]);
}

/** Mail rows of one document's notifications. */
function mailOf(documentId: string) {
  return outboxRows(subgraph.orm, `notification_id in (select id from notifications where document_id = '${documentId}')`);
}

function sunk(messageIds: string[]) {
  return sink.messages.filter((mail) => messageIds.includes(mail.messageId));
}

describe('notify and the mail relay', () => {
  it('writes one in-app notification per user and delivers each e-mail exactly once', async () => {
    const olga = staffMember('Olga');
    const ivan = staffMember('Ivan');
    await seedStaff(subgraph.orm, [olga, ivan]);
    const input = notifyInput([olga.id, ivan.id, olga.id.toUpperCase()], { dueAt: new Date('2026-12-01T09:00:00Z'), comment: 'Проверьте пункт 4.2' });
    await notifyCommitted(subgraph.orm, input);

    const notifications = await notificationsOf(input.documentId);
    expect(notifications.map((row) => row.user_id).sort()).toEqual([olga.id, ivan.id].sort());
    expect(notifications[0]).toMatchObject({ kind: 'APPROVAL_TASK', read_at: null });
    expect(notifications[0].params).toEqual({ documentTitle: input.documentTitle, documentNumber: 'Д-2026-00015', actorName: 'Ольга Смирнова', comment: 'Проверьте пункт 4.2', dueAt: '2026-12-01T09:00:00.000Z' });

    const pending = await mailOf(input.documentId);
    expect(pending.map((row) => [row.to_address, row.status])).toEqual(expect.arrayContaining([[olga.email, 'PENDING'], [ivan.email, 'PENDING']]));
    expect(pending).toHaveLength(2);
    const messageIds = pending.map((row) => row.message_id);
    expect(new Set(messageIds).size).toBe(2);
    expect(messageIds[0]).toMatch(/^<[0-9a-f-]{36}@kartoteka\.local>$/);

    relay().start();
    await waitFor('both rows SENT', async () => (await mailOf(input.documentId)).every((row) => row.status === 'SENT'));
    // A later pass finds nothing to send: a committed SENT row is never sent again.
    expect(await relay().drain()).toBe(0);

    const delivered = sunk(messageIds);
    expect(delivered).toHaveLength(2);
    const toOlga = delivered.find((mail) => mail.to === olga.email)!;
    expect(toOlga.subject).toBe('Согласование: Договор поставки № 15/25-П');
    expect(toOlga.from).toBe('Картотека <no-reply@kartoteka.local>');
    expect(toOlga.text).toContain('Ольга Смирнова направил(а) вам на согласование документ «Договор поставки № 15/25-П» № Д-2026-00015.');
    expect(toOlga.text).toContain('Комментарий: Проверьте пункт 4.2');
    expect(toOlga.text).toContain('1 декабря 2026');
    expect(toOlga.html).toContain(`href="${PORTAL}/documents/${input.documentId}"`);
    expect((await mailOf(input.documentId)).every((row) => row.attempts === 1)).toBe(true);
  });

  it('keeps only the in-app notification for a muted kind, an inactive member, or one not in the directory', async () => {
    const muted = staffMember('Muted');
    const inactive = staffMember('Gone', { active: false });
    const plain = staffMember('Plain');
    const unknownId = randomUUID();
    await seedStaff(subgraph.orm, [muted, inactive, plain]);
    await new NotificationService(subgraph.orm.em.fork()).updatePreference({ kind: 'user', id: muted.id, name: 'Muted', roles: [], permissions: [] }, { kind: 'DOCUMENT_SIGNED', emailMuted: true });

    const signed = notifyInput([muted.id, inactive.id, plain.id, unknownId], { kind: 'DOCUMENT_SIGNED' });
    await notifyCommitted(subgraph.orm, signed);
    expect((await notificationsOf(signed.documentId)).map((row) => row.user_id).sort()).toEqual([muted.id, inactive.id, plain.id, unknownId].sort());
    expect((await mailOf(signed.documentId)).map((row) => row.to_address)).toEqual([plain.email]);

    // Muting is per kind: another kind still mails the muted member.
    const task = notifyInput([muted.id], { kind: 'APPROVAL_TASK' });
    await notifyCommitted(subgraph.orm, task);
    expect((await mailOf(task.documentId)).map((row) => row.to_address)).toEqual([muted.email]);
  });

  it('writes nothing and pings nobody when the caller’s transaction rolls back', async () => {
    const member = staffMember('Rollback');
    await seedStaff(subgraph.orm, [member]);
    const live = liveChannelOf(subgraph.orm, silentLogger);
    const heard: LiveEvent[] = [];
    const unsubscribe = live.subscribe((event) => heard.push(event));
    try {
      await live.whenListening();
      const rolledBack = notifyInput([member.id]);
      await expect(
        subgraph.orm.em.fork().transactional(async (em) => {
          await new NotificationService(em).notify(rolledBack);
          await new NotificationService(em).documentChanged(rolledBack.documentId);
          await em.flush();
          throw new Error('the domain change failed');
        }),
      ).rejects.toThrow('the domain change failed');
      expect(await notificationsOf(rolledBack.documentId)).toEqual([]);
      expect(await mailOf(rolledBack.documentId)).toEqual([]);

      // Pings arrive in commit order: once the next commit's ping is heard, the rolled-back one never will be.
      const committed = notifyInput([member.id]);
      await notifyCommitted(subgraph.orm, committed);
      await waitFor('the committed ping', () => heard.some((event) => event.type === 'notification' && event.notification.documentId === committed.documentId));
      const documents = heard.flatMap((event) => (event.type === 'notification' ? [event.notification.documentId] : event.type === 'document' ? [event.documentId] : []));
      expect(documents).not.toContain(rolledBack.documentId);
    } finally {
      unsubscribe();
    }
  });

  it('refuses to notify outside a transaction', async () => {
    await expect(new NotificationService(subgraph.orm.em.fork()).notify(notifyInput([randomUUID()]))).rejects.toThrow(/inside the caller/);
  });

  it('sends mail committed while no relay ran once a relay starts (the process died between commit and send)', async () => {
    const member = staffMember('Later');
    await seedStaff(subgraph.orm, [member]);
    const input = notifyInput([member.id], { kind: 'ACKNOWLEDGEMENT_REQUESTED' });
    await notifyCommitted(subgraph.orm, input);
    const [row] = await mailOf(input.documentId);
    expect(row.status).toBe('PENDING');
    expect(sunk([row.message_id])).toEqual([]);

    relay().start();
    await waitFor('the mail at the sink', () => sunk([row.message_id]).length === 1);
    await waitFor('the row SENT', async () => (await mailOf(input.documentId))[0].status === 'SENT');
    expect(sunk([row.message_id])[0]).toMatchObject({ to: member.email, subject: 'Ознакомление с документом: Договор поставки № 15/25-П' });
  });

  it('never sends a message twice with two relays working the same outbox', async () => {
    const members = Array.from({ length: 8 }, (_, i) => staffMember(`Parallel${i}`));
    await seedStaff(subgraph.orm, members);
    const documentIds: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const input = notifyInput(members.map((member) => member.id), { kind: 'DECISION_MADE' });
      documentIds.push(input.documentId);
      await notifyCommitted(subgraph.orm, input);
    }
    const where = `notification_id in (select id from notifications where document_id in (${documentIds.map((id) => `'${id}'`).join(', ')}))`;
    const rows = await outboxRows(subgraph.orm, where);
    expect(rows).toHaveLength(40);

    const [first, second] = [relay({ batchSize: 3 }), relay({ batchSize: 3 })];
    first.start();
    second.start();
    await waitFor('all 40 SENT', async () => (await outboxRows(subgraph.orm, where)).every((row) => row.status === 'SENT'));
    await Promise.all([first.stop(), second.stop()]);

    const messageIds = rows.map((row) => row.message_id);
    const delivered = sunk(messageIds);
    expect(delivered).toHaveLength(40);
    expect(new Set(delivered.map((mail) => mail.messageId)).size).toBe(40);
    expect((await outboxRows(subgraph.orm, where)).every((row) => row.attempts === 1)).toBe(true);
  });

  it('backs off after failures and gives up with the last error after the maximum attempts', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const member = staffMember('Unreachable');
    await seedStaff(subgraph.orm, [member]);
    const input = notifyInput([member.id], { kind: 'DEADLINE_PASSED' });
    await notifyCommitted(subgraph.orm, input);

    const hour = 3_600_000;
    const failing = relay({ smtpUrl: `smtp://127.0.0.1:${closedPort}`, maxAttempts: 3, backoffMs: hour, maxBackoffMs: 10 * hour, smtpTimeoutMs: 2000 });
    const delayHours = async (id: string) =>
      (await subgraph.orm.em.getConnection().execute<{ hours: number }[]>('select extract(epoch from next_attempt_at - now()) / 3600 as hours from mail_outbox where id = ?', [id]))[0].hours;
    const timePasses = (id: string) => subgraph.orm.em.getConnection().execute('update mail_outbox set next_attempt_at = now() where id = ?', [id]);

    expect(await failing.drain()).toBe(1);
    const [first] = await mailOf(input.documentId);
    expect(first).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(first.last_error).toMatch(/ECONNREFUSED/);
    expect(Math.round(await delayHours(first.id))).toBe(1);
    // Not due yet: nothing to do.
    expect(await failing.drain()).toBe(0);

    await timePasses(first.id);
    expect(await failing.drain()).toBe(1);
    expect((await mailOf(input.documentId))[0]).toMatchObject({ status: 'PENDING', attempts: 2 });
    expect(Math.round(await delayHours(first.id))).toBe(2);

    await timePasses(first.id);
    expect(await failing.drain()).toBe(1);
    const [failed] = await mailOf(input.documentId);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(failed.last_error).toMatch(/ECONNREFUSED/);
    await timePasses(first.id);
    expect(await failing.drain()).toBe(0);
  });
});

describe('the overdue job', () => {
  it('runs every check in its own savepoint: a failing one neither undoes nor stops the others', async () => {
    const member = staffMember('Overdue');
    await seedStaff(subgraph.orm, [member]);
    const [first, third] = [notifyInput([member.id], { kind: 'DEADLINE_PASSED' }), notifyInput([member.id], { kind: 'DEADLINE_PASSED' })];
    const seen: Date[] = [];
    const job = overdueCheckWorker({ orm: subgraph.orm, logger: silentLogger }, [
      { name: 'approval', run: async (em, now) => {
        seen.push(now);
        await new NotificationService(em).notify(first);
      } },
      { name: 'broken', run: async (em) => {
        await new NotificationService(em).notify(notifyInput([member.id]));
        await em.flush();
        throw new Error('broken check');
      } },
      { name: 'acknowledgement', run: (em) => new NotificationService(em).notify(third) },
    ]);
    expect(await job.runOnce()).toBe(true);
    expect(seen).toHaveLength(1);
    expect(await notificationsOf(first.documentId)).toHaveLength(1);
    expect(await notificationsOf(third.documentId)).toHaveLength(1);
    const total = await subgraph.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from notifications where user_id = ?', [member.id]);
    expect(total[0].n).toBe(2);
  });
});

describe('e-mail content', () => {
  const hostile = {
    kind: 'REWORK_NEEDED' as const,
    documentId: '6a1c7e4e-0000-4000-8000-000000000001',
    documentTitle: 'Договор <script>alert("x")</script> & Co',
    documentNumber: '<b>7</b>',
    actorName: 'Иван "Грозный" <ivan@x>',
    comment: 'Перепишите <a href="http://evil">здесь</a>\r\nи тут',
    dueAt: null,
  };

  it('escapes every user-supplied value in the HTML and keeps the subject on one line', () => {
    const mail = renderNotificationMail(hostile, { locale: 'ru', portalUrl: `${PORTAL}/` });
    expect(mail.html).not.toMatch(/<script|<b>7|<a href="http:\/\/evil|<ivan@x>/);
    expect(mail.html).toContain('Договор &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(mail.html).toContain('Иван &quot;Грозный&quot; &lt;ivan@x&gt;');
    expect(mail.html).toContain(`<a href="${PORTAL}/documents/${hostile.documentId}">Открыть документ</a>`);
    expect(mail.subject).toBe('Документ возвращён на доработку: Договор <script>alert("x")</script> & Co');
    expect(mail.text).toContain('Комментарий: Перепишите <a href="http://evil">здесь</a>');
  });

  it('writes English when MAIL_LOCALE is en, for every kind', () => {
    const kinds = ['APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE', 'PAYMENT_OVERDUE'] as const;
    const subjects = kinds.map((kind) => renderNotificationMail({ ...hostile, kind, documentTitle: 'Supply contract' }, { locale: 'en', portalUrl: PORTAL }).subject);
    expect(subjects).toEqual(['Approval: Supply contract', 'Returned for rework: Supply contract', 'Please read: Supply contract', 'Deadline passed: Supply contract', 'Signed: Supply contract', 'Decision on Supply contract', 'Payment overdue: Supply contract']);
    const ru = kinds.map((kind) => renderNotificationMail({ ...hostile, kind }, { locale: 'ru', portalUrl: PORTAL }).text);
    expect(new Set(ru).size).toBe(kinds.length);
  });

  it('PAYMENT_OVERDUE names the counterparty, the amount, the due date and the days overdue, in both languages, escaped', () => {
    const payment = { obligationKey: 'invoice:x', counterpartyId: hostile.documentId, counterpartyName: 'ООО «Ромашка» <b>', direction: 'RECEIVABLE' as const, amountMinor: 1_500_050, currency: 'RUB', dueDate: '2026-11-30', daysOverdue: 6 };
    const input = { ...hostile, kind: 'PAYMENT_OVERDUE' as const, documentTitle: 'Счёт на оплату', documentNumber: 'С-17', actorName: payment.counterpartyName, comment: null, payment };
    const ru = renderNotificationMail(input, { locale: 'ru', portalUrl: PORTAL });
    expect(ru.subject).toBe('Просрочена оплата: Счёт на оплату');
    expect(ru.text).toContain('Просрочена оплата по документу «Счёт на оплату» № С-17 (ООО «Ромашка» <b>).');
    expect(ru.text).toMatch(/Сумма просрочки: 15\s000,50\s₽/);
    expect(ru.text).toContain('Срок оплаты: 30 ноября 2026');
    expect(ru.text).toContain('Дней просрочки: 6');
    expect(ru.text).toContain('Должник: контрагент');
    expect(ru.text).toContain(`Открыть документ: ${PORTAL}/documents/${hostile.documentId}`);
    expect(ru.html).toContain('Контрагент: <b>ООО «Ромашка» &lt;b&gt;</b>');
    expect(ru.html).not.toContain('Ромашка» <b>');
    const en = renderNotificationMail({ ...input, payment: { ...payment, direction: 'PAYABLE', currency: 'USD', amountMinor: 12_345 } }, { locale: 'en', portalUrl: PORTAL });
    expect(en.subject).toBe('Payment overdue: Счёт на оплату');
    expect(en.text).toContain('Overdue amount: US$123.45');
    expect(en.text).toContain('Payment due: 30 November 2026');
    expect(en.text).toContain('Days overdue: 6');
    expect(en.text).toContain('Owed by: us');
  });
});
