import type { MikroORM } from '@mikro-orm/postgresql';
import { type BackgroundWorker, type Logger, WorkerLoop } from '@kartoteka/kit';
import type { Transporter } from 'nodemailer';
import { MailOutboxMessage } from './mail-outbox.entity';
import type { LiveChannel } from './notification.events';

export type MailRelayOptions = {
  orm: MikroORM;
  logger: Logger;
  /** `smtp://…` or `smtps://…` */
  smtpUrl: string;
  /** The From header. */
  from: string;
  /** Wakes the relay as soon as a transaction with new mail commits; without it the relay only polls. */
  live?: LiveChannel | null;
  /** Rows sent in one round before the relay looks for stop requests and new work again. */
  batchSize?: number;
  /** How often the relay looks for due mail when nothing woke it. */
  pollIntervalMs?: number;
  /** After this many failed attempts a message is FAILED and no longer tried. */
  maxAttempts?: number;
  /** Delay after the first failure; doubles with every further one, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Connection, greeting and socket timeouts of the SMTP client: a hung server must not hold a row lock for long. */
  smtpTimeoutMs?: number;
};

export type MailRelay = BackgroundWorker & {
  /** Sends due mail until none is left (or a round sent nothing); returns how many rows were attempted. */
  drain: () => Promise<number>;
};

const MAX_ERROR_LENGTH = 2000;

/**
 * The mail relay: takes due PENDING rows of the outbox one at a time with `FOR UPDATE SKIP LOCKED`, and in
 * that same short transaction sends the e-mail and marks the row SENT. So two relays never send one row,
 * and a row whose SENT mark committed is never sent again; the only window for a duplicate is a crash (or a
 * lost commit) after the SMTP server accepted the message — and then the retry carries the same
 * Message-ID. A failure counts an attempt and backs off exponentially; after `maxAttempts` the row is FAILED
 * with the last error.
 */
export function mailRelayWorker(options: MailRelayOptions): MailRelay {
  const batchSize = options.batchSize ?? 20;
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffMs = options.backoffMs ?? 30_000;
  const maxBackoffMs = options.maxBackoffMs ?? 3_600_000;
  const timeoutMs = options.smtpTimeoutMs ?? 30_000;
  const logger = options.logger.child({ worker: 'mail-relay' });

  let transport: Transporter | null = null;
  let stopped = true;
  let unsubscribe: (() => void) | null = null;

  const transportOf = (): Transporter => {
    // nodemailer is loaded with the first mail sent: a process with nothing to send never loads it
    transport ??= (require('nodemailer') as typeof import('nodemailer')).createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: 1,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    return transport;
  };

  const backoffAfter = (attempts: number) => Math.min(backoffMs * 2 ** Math.max(0, attempts - 1), maxBackoffMs);

  /** One row: lock it, send it, record the outcome; false when no row is due (or all due ones are taken). */
  const relayOne = (): Promise<boolean> =>
    options.orm.em.fork().transactional(async (em) => {
      const rows = await em.execute<Record<string, unknown>[]>(
        `select * from mail_outbox where status = 'PENDING' and next_attempt_at <= now()
         order by next_attempt_at, id limit 1 for update skip locked`,
      );
      if (rows.length === 0) return false;
      const message = em.map(MailOutboxMessage, rows[0]);
      message.attempts += 1;
      try {
        await transportOf().sendMail({
          from: options.from,
          to: message.toAddress,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        });
        message.status = 'SENT';
        message.sentAt = new Date();
        message.lastError = null;
      } catch (error) {
        const reason = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
        message.lastError = reason;
        if (message.attempts >= maxAttempts) {
          message.status = 'FAILED';
          logger.error({ mailId: message.id, attempts: message.attempts, err: error }, 'e-mail failed for good');
        } else {
          message.nextAttemptAt = new Date(Date.now() + backoffAfter(message.attempts));
          logger.warn({ mailId: message.id, attempts: message.attempts, reason }, 'e-mail not sent; will retry');
        }
      }
      return true;
    });

  /** Up to one batch; stops early when asked to stop (after the current message). */
  const relayBatch = async (keepGoing: () => boolean): Promise<number> => {
    let attempted = 0;
    while (attempted < batchSize && keepGoing()) {
      if (!(await relayOne())) break;
      attempted += 1;
    }
    return attempted;
  };

  const loop = new WorkerLoop({
    name: 'mail-relay',
    logger,
    pollIntervalMs,
    // A full batch means more mail is probably due: go on at once.
    iterate: async () => (await relayBatch(() => !stopped)) === batchSize,
  });

  return {
    name: 'mail-relay',
    drain: async () => {
      let total = 0;
      for (;;) {
        const attempted = await relayBatch(() => true);
        total += attempted;
        if (attempted < batchSize) return total;
      }
    },
    start: () => {
      if (!stopped) return;
      stopped = false;
      unsubscribe =
        options.live?.subscribe((event) => {
          if (event.type === 'notification' || event.type === 'listening') loop.wake();
        }) ?? null;
      loop.start();
    },
    stop: async () => {
      stopped = true;
      unsubscribe?.();
      unsubscribe = null;
      await loop.stop();
      transport?.close();
      transport = null;
    },
  };
}
