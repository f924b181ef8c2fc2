/**
 * How mailings are delivered: the SMTP server mailings send through (its own, separate from the notification
 * relay of documents: bulk offers usually go out through another sender with its own reputation), the pace, the
 * retries and the signed unsubscribe links. Read from the environment in config.ts only.
 */
export type MailingSmtpSettings = {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
};

export type DeliverySettings = {
  /** null: no sending worker runs in this process (recipients stay QUEUED until one does). */
  smtp: MailingSmtpSettings | null;
  /** The From header of every mailing message. */
  from: string;
  /**
   * The public address of the gateway (what a recipient's mail client can reach): unsubscribe links are
   * `<publicBaseUrl>/rest/mailings/unsubscribe/<token>`.
   */
  publicBaseUrl: string;
  /** HMAC key of unsubscribe tokens (≥ 32 characters); changing it invalidates every link already sent. */
  unsubscribeSecret: string;
  /** Service-wide cap on messages per minute, over all mailings and all replicas (0: none beyond each mailing's own). */
  maxPerMinute: number;
  /** After this many attempts a temporary failure is final: FAILED (connection errors) or BOUNCED SOFT (4xx). */
  maxAttempts: number;
  /** Delay after the first temporary failure; doubles with every further one, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Connection, greeting and socket timeouts of the SMTP client. */
  smtpTimeoutMs: number;
  /**
   * How long a claimed recipient belongs to the worker that claimed it. A worker that dies mid-send leaves its
   * claim; after the lease another worker sends the message again (same Message-ID). Must exceed the longest
   * SMTP conversation (the three timeouts above together), or a slow but live send could be repeated.
   */
  claimLeaseMs: number;
  /** How often an idle worker looks for due recipients. */
  pollIntervalMs: number;
};

/** A key for tests and `pnpm start` only; config.ts refuses it in production. */
export const DEVELOPMENT_UNSUBSCRIBE_SECRET = 'kartoteka-development-unsubscribe-secret-not-for-production';

export const DEFAULT_MAILING_FROM = 'Картотека <offers@kartoteka.local>';

/** Settings for tests and tools: no SMTP (no worker), development key, short and predictable timings. */
export function defaultDeliverySettings(overrides: Partial<DeliverySettings> = {}): DeliverySettings {
  return {
    smtp: null,
    from: DEFAULT_MAILING_FROM,
    publicBaseUrl: 'http://127.0.0.1:4000',
    unsubscribeSecret: DEVELOPMENT_UNSUBSCRIBE_SECRET,
    maxPerMinute: 0,
    maxAttempts: 5,
    backoffMs: 60_000,
    maxBackoffMs: 6 * 3_600_000,
    smtpTimeoutMs: 30_000,
    claimLeaseMs: 5 * 60_000,
    pollIntervalMs: 2_000,
    ...overrides,
  };
}

/** The SMTP settings of a `smtp://user:pass@host:port` / `smtps://…` URL (tests and `pnpm start` use the sink's URL). */
export function smtpSettingsFromUrl(url: string): MailingSmtpSettings {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    user: parsed.username ? decodeURIComponent(parsed.username) : null,
    password: parsed.password ? decodeURIComponent(parsed.password) : null,
  };
}
