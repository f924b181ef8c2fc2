import { MAILING_RECIPIENT_STATUS_CHANGED, OUTBOX_CHANNEL, WorkerLoop, type BackgroundWorker, type Logger } from '@kartoteka/kit';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Transporter } from 'nodemailer';
import { compileMailing, type CompiledMailing } from '../mailing/mailing.render';
import { SuppressionReason } from '../suppression/suppression.entity';
import { suppressAddress } from '../suppression/suppression.service';
import { publishRecipientStatus, recipientStatusPayload, type RecipientNews } from './delivery.events';
import type { DeliverySettings } from './delivery.settings';
import { composeMessage, recipientMessageId } from './message.composer';
import { nextSlotAt, readRateFigures } from './rate-limit';
import { backoffAfter, classifySmtpFailure, type SmtpFailure } from './smtp-outcome';

/**
 * The sending worker of mailings. Every replica of the service may run one; together they send each QUEUED
 * recipient of each SENDING mailing once, one message per recipient, within the mailings' and the service's
 * rate limits.
 *
 * One message, step by step:
 * 1. CLAIM (one short transaction under a transaction-level advisory lock, so claims of all replicas happen one at a
 *    time): pick a SENDING mailing whose rate allows a message now and its due QUEUED recipient; an address on the
 *    suppression list is marked UNSUBSCRIBED instead (never sent); otherwise record the attempt
 *    (`mailing_delivery_attempts`, what the rate limits count) and give the recipient a lease (`next_attempt_at` =
 *    now + claimLeaseMs, `attempts` + 1) — committed BEFORE the first byte goes to the SMTP server. A mailing with
 *    nothing QUEUED left becomes COMPLETED here. PAUSED and CANCELLED mailings are simply not picked: the worker
 *    honours them between messages.
 * 2. SEND, holding no transaction and no lock: the SMTP conversation may take seconds.
 * 3. RESULT: on the server's 250, one single SQL statement (one round trip, autocommit) marks the recipient SENT
 *    (only if it is still this claim: QUEUED with this attempt number), records the outcome and writes the
 *    timeline event to the outbox. A failure is classified (smtp-outcome.ts): a 5xx bounce is final, a 4xx or a
 *    connection error is retried with exponential backoff up to maxAttempts.
 *
 * Exactly once, and the window that remains (RFC 1047): a message counts as delivered when the SMTP server answers
 * 250 to the end of DATA; the worker can only record that afterwards. If the process dies after the 250 left the
 * server but before the result statement committed — the time of one local round trip to PostgreSQL, about a
 * millisecond — the claim stays unfinished, and when its lease is over another worker sends the message again:
 * a duplicate, with the same Message-ID (so receivers and our sink can recognise it). If it dies at any other
 * moment — before the claim, during the conversation (no 250 yet: the receiver must discard a message whose
 * DATA was not acknowledged), after the result — nothing is lost and nothing is sent twice. No SMTP extension closes
 * that last window (RFC 1047 can only shorten it); it is kept as small as one statement.
 */
export type SendingWorkerOptions = {
  orm: MikroORM;
  logger: Logger;
  settings: DeliverySettings;
  /** Messages handled in one round before the loop looks for stop requests again. */
  batchSize?: number;
};

export type SendingStep = { kind: 'sent' | 'failed' | 'retry' | 'suppressed' | 'lost-claim' } | { kind: 'wait'; ms: number } | { kind: 'idle' };

export type SendingWorker = BackgroundWorker & {
  /** One message (or one suppressed recipient, or nothing to do now). Tests drive the worker with it. */
  step: () => Promise<SendingStep>;
  /** Steps until nothing is due (waiting out rate-limit pauses shorter than `maxWaitMs`); returns the steps taken. */
  drain: (maxWaitMs?: number) => Promise<number>;
};

/** The key of the claim lock (any constant shared by every replica; hashed text keeps it readable). */
const CLAIM_LOCK_SQL = `select pg_advisory_xact_lock(hashtext('kartoteka.mailings.claim'))`;

const MAX_ERROR_LENGTH = 500;

type SendingMailing = { id: string; name: string; rate_per_minute: number; rate_per_hour: number; version: number; attachment_size: number | null };

type ClaimedRecipient = RecipientNews & {
  email: string;
  attempt: number;
  attemptId: string;
  messageId: string;
  mailingVersion: number;
  hasAttachment: boolean;
};

type Claim = { kind: 'claimed'; recipient: ClaimedRecipient } | { kind: 'suppressed' } | { kind: 'wait'; ms: number } | { kind: 'idle' };

export function sendingWorker(options: SendingWorkerOptions): SendingWorker {
  const { orm, settings } = options;
  const logger = options.logger.child({ worker: 'mailings-sender' });
  const batchSize = options.batchSize ?? 50;
  let transport: Transporter | null = null;
  let stopped = true;
  let sleeping: { timer: NodeJS.Timeout; resolve: () => void } | null = null;

  /** Compiled templates by mailing id and version: MJML renders once per mailing, not per message. */
  const compiledCache = new Map<string, { version: number; compiled: CompiledMailing }>();
  const attachmentCache = new Map<string, { version: number; attachment: { fileName: string; contentType: string; bytes: Buffer } | null }>();

  const transportOf = (): Transporter => {
    if (!settings.smtp) throw new Error('no SMTP server is configured for mailings');
    // nodemailer is loaded with the first mail sent: a process with nothing to send never loads it
    transport ??= (require('nodemailer') as typeof import('nodemailer')).createTransport({
      host: settings.smtp.host,
      port: settings.smtp.port,
      secure: settings.smtp.secure,
      auth: settings.smtp.user ? { user: settings.smtp.user, pass: settings.smtp.password ?? '' } : undefined,
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      connectionTimeout: settings.smtpTimeoutMs,
      greetingTimeout: settings.smtpTimeoutMs,
      socketTimeout: settings.smtpTimeoutMs,
    });
    return transport;
  };

  const markSuppressed = async (em: EntityManager, mailing: SendingMailing, row: Record<string, unknown>): Promise<void> => {
    const [{ at }] = await em.execute<{ at: Date }[]>(`update mailing_recipients set status = 'UNSUBSCRIBED', next_attempt_at = null, updated_at = clock_timestamp() where id = ? returning updated_at as at`, [row.id]);
    await publishRecipientStatus(em, newsOf(mailing, row), 'UNSUBSCRIBED', new Date(at));
  };

  /** Step 1: the claim transaction. */
  const claim = (): Promise<Claim> =>
    orm.em.fork().transactional(async (em) => {
      await em.execute(CLAIM_LOCK_SQL);
      const mailings = await em.execute<SendingMailing[]>(
        `select id, name, rate_per_minute, rate_per_hour, version, attachment_size from mailings where status = 'SENDING' order by started_at nulls last, id`,
      );
      if (!mailings.length) return { kind: 'idle' };
      let wait = Infinity;
      for (const mailing of mailings) {
        const limits = { ratePerMinute: mailing.rate_per_minute, ratePerHour: mailing.rate_per_hour, serviceMaxPerMinute: settings.maxPerMinute };
        const figures = await readRateFigures(em, mailing.id, limits);
        if (!figures.queued) {
          await em.execute(
            `update mailings set status = 'COMPLETED', finished_at = clock_timestamp(), updated_at = clock_timestamp(), version = version + 1 where id = ? and status = 'SENDING'`,
            [mailing.id],
          );
          logger.info({ mailingId: mailing.id }, 'mailing completed');
          continue;
        }
        const slot = Math.max(nextSlotAt(figures, limits), figures.firstDueAt ?? Infinity);
        if (slot > figures.now) {
          wait = Math.min(wait, slot - figures.now);
          continue;
        }
        // the suppression list is checked again right before sending: an address may have unsubscribed since the start
        const [row] = await em.execute<Record<string, unknown>[]>(
          `select r.id, r.mailing_id, r.counterparty_id, r.contact_id, r.contact_name, r.email, r.attempts, r.message_id,
                  exists (select 1 from suppressions s where s.email = r.email) as suppressed
           from mailing_recipients r
           where r.mailing_id = ? and r.status = 'QUEUED' and r.next_attempt_at <= clock_timestamp()
           order by r.next_attempt_at, r.id limit 1 for update of r skip locked`,
          [mailing.id],
        );
        if (!row) continue;
        if (row.suppressed === true) {
          await markSuppressed(em, mailing, row);
          return { kind: 'suppressed' };
        }
        const attempt = Number(row.attempts) + 1;
        const messageId = (row.message_id as string | null) ?? recipientMessageId(String(row.id), settings.from);
        const [inserted] = await em.execute<{ id: string }[]>(
          `with claimed as (
             update mailing_recipients set attempts = ?, message_id = ?, next_attempt_at = clock_timestamp() + make_interval(secs => ?), updated_at = clock_timestamp() where id = ? returning id
           )
           insert into mailing_delivery_attempts (id, mailing_id, recipient_id, attempt, claimed_at) select gen_random_uuid(), ?, claimed.id, ?, clock_timestamp() from claimed returning id`,
          [attempt, messageId, settings.claimLeaseMs / 1000, row.id, mailing.id, attempt],
        );
        return {
          kind: 'claimed',
          recipient: { ...newsOf(mailing, row), email: String(row.email), attempt, attemptId: inserted.id, messageId, mailingVersion: mailing.version, hasAttachment: mailing.attachment_size !== null },
        };
      }
      return wait === Infinity ? { kind: 'idle' } : { kind: 'wait', ms: Math.ceil(wait) };
    });

  /** The mailing's template (compiled once per version) and attachment (read once per version), and the recipient's personal data. */
  const partsOf = async (recipient: ClaimedRecipient) => {
    const em = orm.em.fork();
    let compiled = compiledCache.get(recipient.mailingId);
    if (!compiled || compiled.version !== recipient.mailingVersion) {
      const [source] = await em.execute<{ subject: string; body_mjml: string }[]>('select subject, body_mjml from mailings where id = ?', [recipient.mailingId]);
      compiled = { version: recipient.mailingVersion, compiled: compileMailing({ subject: source.subject, bodyMjml: source.body_mjml }) };
      remember(compiledCache, recipient.mailingId, compiled);
    }
    let attachment = attachmentCache.get(recipient.mailingId);
    if (!attachment || attachment.version !== recipient.mailingVersion) {
      const [file] = recipient.hasAttachment
        ? await em.execute<{ bytes: Buffer; file_name: string; content_type: string | null }[]>(
            'select a.bytes, m.attachment_file_name as file_name, m.attachment_content_type as content_type from mailing_attachments a join mailings m on m.id = a.mailing_id where a.mailing_id = ?',
            [recipient.mailingId],
          )
        : [];
      attachment = { version: recipient.mailingVersion, attachment: file ? { fileName: file.file_name, contentType: file.content_type ?? 'application/octet-stream', bytes: file.bytes } : null };
      remember(attachmentCache, recipient.mailingId, attachment);
    }
    const [company] = await em.execute<{ name: string; short_name: string | null; manager_name: string | null }[]>(
      'select c.name, c.short_name, u.name as manager_name from audience_counterparties c left join user_refs u on u.id = c.responsible_manager_id where c.id = ?',
      [recipient.counterpartyId],
    );
    return {
      recipientId: recipient.recipientId,
      mailingId: recipient.mailingId,
      email: recipient.email,
      contactName: recipient.contactName,
      companyName: company?.name ?? '',
      companyShortName: company?.short_name ?? null,
      managerName: company?.manager_name ?? null,
      messageId: recipient.messageId,
      compiled: compiled.compiled,
      attachment: attachment.attachment,
    };
  };

  /**
   * Step 3 after a 250: one statement, one round trip — the recipient SENT (if the claim is still ours), the
   * attempt's outcome, the timeline event in the outbox, and the relay's wake-up on commit.
   */
  const recordSent = async (recipient: ClaimedRecipient): Promise<boolean> => {
    const at = new Date();
    const payload = recipientStatusPayload(recipient, 'SENT', at);
    const [result] = await orm.em.fork().execute<{ updated: string }[]>(
      `with r as (
         update mailing_recipients set status = 'SENT', sent_at = ?, next_attempt_at = null, last_error = null, bounce_kind = null, updated_at = ?
         where id = ? and status = 'QUEUED' and attempts = ? returning id
       ), a as (
         update mailing_delivery_attempts set outcome = 'SENT', finished_at = ? where id = ? returning id
       ), o as (
         insert into outbox_events (id, topic, payload, created_at) select gen_random_uuid(), ?, ?::jsonb, now() from r returning id
       )
       select (select count(*) from r) as updated, (select count(*) from a) as attempts, pg_notify('${OUTBOX_CHANNEL}', '')`,
      [at, at, recipient.recipientId, recipient.attempt, at, recipient.attemptId, MAILING_RECIPIENT_STATUS_CHANGED, JSON.stringify(payload)],
    );
    return Number(result.updated) === 1;
  };

  /** Step 3 after a failure: a bounce, a retry later, or the end of the retries. */
  const recordFailure = (recipient: ClaimedRecipient, failure: SmtpFailure): Promise<SendingStep> =>
    orm.em.fork().transactional(async (em) => {
      await em.execute(`update mailing_delivery_attempts set outcome = ?, response_code = ?, finished_at = clock_timestamp() where id = ?`, [failure.kind, failure.responseCode, recipient.attemptId]);
      const lastAttempt = recipient.attempt >= settings.maxAttempts;
      const final: { status: 'BOUNCED' | 'FAILED'; bounceKind: 'HARD' | 'SOFT' | null } | null =
        failure.kind === 'HARD' ? { status: 'BOUNCED', bounceKind: 'HARD' } : lastAttempt ? (failure.kind === 'SOFT' ? { status: 'BOUNCED', bounceKind: 'SOFT' } : { status: 'FAILED', bounceKind: null }) : null;
      const reason = `${failure.responseCode ?? ''} ${failure.reason}`.trim().slice(0, MAX_ERROR_LENGTH);
      if (!final) {
        const rows = await em.execute<{ id: string }[]>(
          `update mailing_recipients set last_error = ?, next_attempt_at = clock_timestamp() + make_interval(secs => ?), updated_at = clock_timestamp()
           where id = ? and status = 'QUEUED' and attempts = ? returning id`,
          [reason, backoffAfter(recipient.attempt, settings.backoffMs, settings.maxBackoffMs) / 1000, recipient.recipientId, recipient.attempt],
        );
        logger.warn({ mailingId: recipient.mailingId, recipientId: recipient.recipientId, attempt: recipient.attempt, kind: failure.kind, responseCode: failure.responseCode }, 'mailing message not sent; will retry');
        return { kind: rows.length ? 'retry' : 'lost-claim' };
      }
      const rows = await em.execute<{ at: Date }[]>(
        `update mailing_recipients set status = ?, bounce_kind = ?, last_error = ?, next_attempt_at = null, updated_at = clock_timestamp()
         where id = ? and status = 'QUEUED' and attempts = ? returning updated_at as at`,
        [final.status, final.bounceKind, reason, recipient.recipientId, recipient.attempt],
      );
      if (!rows.length) return { kind: 'lost-claim' };
      await publishRecipientStatus(em, recipient, final.status, new Date(rows[0].at), final.bounceKind);
      if (final.bounceKind === 'HARD') {
        // a second hard bounce of the address, in any mailing: it is not a typo of one campaign, stop sending to it
        const [{ hard }] = await em.execute<{ hard: string }[]>(`select count(*) as hard from mailing_recipients where email = ? and status = 'BOUNCED' and bounce_kind = 'HARD'`, [recipient.email]);
        if (Number(hard) >= 2) await suppressAddress(em, recipient.email, SuppressionReason.HARD_BOUNCE, recipient.mailingId);
      }
      logger.warn({ mailingId: recipient.mailingId, recipientId: recipient.recipientId, attempt: recipient.attempt, status: final.status, bounceKind: final.bounceKind, responseCode: failure.responseCode }, 'mailing message not delivered');
      return { kind: 'failed' };
    });

  const step = async (): Promise<SendingStep> => {
    const claimed = await claim();
    if (claimed.kind !== 'claimed') return claimed;
    const { recipient } = claimed;
    let message;
    try {
      message = composeMessage(await partsOf(recipient), settings);
    } catch (error) {
      // our side failed before sending (the template, the database): the claim's lease brings the recipient back
      logger.error({ err: error, mailingId: recipient.mailingId, recipientId: recipient.recipientId }, 'mailing message could not be composed');
      throw error;
    }
    try {
      await transportOf().sendMail(message);
    } catch (error) {
      return recordFailure(recipient, classifySmtpFailure(error));
    }
    return { kind: (await recordSent(recipient)) ? 'sent' : 'lost-claim' };
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sleeping = null;
        resolve();
      }, ms);
      sleeping = { timer, resolve };
    });

  /** Up to one batch; rate-limit pauses shorter than the poll interval are waited out here. */
  const round = async (): Promise<boolean> => {
    for (let handled = 0; handled < batchSize && !stopped; handled += 1) {
      const result = await step();
      if (result.kind === 'idle') return false;
      if (result.kind === 'wait') {
        if (result.ms > settings.pollIntervalMs) return false;
        await sleep(result.ms);
      }
    }
    return !stopped;
  };

  const loop = new WorkerLoop({ name: 'mailings-sender', logger, pollIntervalMs: settings.pollIntervalMs, iterate: round });

  return {
    name: 'mailings-sender',
    step,
    drain: async (maxWaitMs = 5_000) => {
      let steps = 0;
      for (;;) {
        const result = await step();
        if (result.kind === 'idle') return steps;
        if (result.kind === 'wait') {
          if (result.ms > maxWaitMs) return steps;
          await new Promise((resolve) => setTimeout(resolve, result.ms));
          continue;
        }
        steps += 1;
      }
    },
    start: () => {
      if (!stopped) return;
      stopped = false;
      loop.start();
    },
    stop: async () => {
      stopped = true;
      if (sleeping) {
        clearTimeout(sleeping.timer);
        sleeping.resolve();
        sleeping = null;
      }
      await loop.stop();
      transport?.close();
      transport = null;
    },
  };
}

/** Mailings sending at once are few: keep the last few templates and attachments (≤ 10 MB each), drop the oldest. */
const CACHED_MAILINGS = 8;
function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > CACHED_MAILINGS) cache.delete(cache.keys().next().value as string);
}

function newsOf(mailing: { id: string; name: string }, row: Record<string, unknown>): RecipientNews {
  return {
    mailingId: mailing.id,
    mailingName: mailing.name,
    counterpartyId: String(row.counterparty_id),
    recipientId: String(row.id),
    contactId: (row.contact_id as string | null) ?? null,
    contactName: (row.contact_name as string | null) ?? null,
  };
}
