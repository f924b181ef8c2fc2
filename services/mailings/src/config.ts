import { readEventBusEnv, readSubgraphEnv, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv, num, str, url } from 'envalid';
import { DEFAULT_MAILING_FROM, DEVELOPMENT_UNSUBSCRIBE_SECRET, defaultDeliverySettings, type DeliverySettings } from './modules/delivery/delivery.settings';

/** Settings of the mailings service beyond the common subgraph ones. */
export type MailingsSettings = {
  /** Seed one demo DRAFT mailing when there is none. */
  demo: boolean;
  /** The event bus (`EVENT_BUS_URL`); null (tests that do not need it): no event consumer or outbox relay runs. */
  eventBusUrl: string | null;
  /** Sending (SMTP, pace, retries) and the signed unsubscribe links (delivery module). */
  delivery: DeliverySettings;
};

export type MailingsConfig = SubgraphConfig & MailingsSettings;

/** Settings for tests and tools: no demo data, no background delivery unless a test asks for it. */
export function defaultMailingsSettings(overrides: Partial<MailingsSettings> = {}): MailingsSettings {
  return { demo: false, eventBusUrl: null, delivery: defaultDeliverySettings(), ...overrides };
}

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MailingsConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed a demo draft mailing' }),
  }, { reporter: strictEnvReporter });
  return { ...readSubgraphEnv(env, 'mailings', { port: 4106 }), demo: own.DEMO, eventBusUrl: readEventBusEnv(env).eventBusUrl, delivery: readDeliveryEnv(env) };
}

/** The delivery settings (mailings' own SMTP server, pace, retries, unsubscribe links). */
function readDeliveryEnv(env: NodeJS.ProcessEnv): DeliverySettings {
  const defaults = defaultDeliverySettings();
  const own = cleanEnv(env, {
    MAILINGS_SMTP_HOST: str({ default: '', desc: 'SMTP server mailings are sent through; empty: no sending worker runs here (recipients stay queued)' }),
    MAILINGS_SMTP_PORT: num({ default: 587, desc: 'Its port' }),
    MAILINGS_SMTP_SECURE: bool({ default: false, desc: 'TLS from the first byte (port 465); false: STARTTLS when offered' }),
    MAILINGS_SMTP_USER: str({ default: '', desc: 'SMTP login (empty: none)' }),
    MAILINGS_SMTP_PASSWORD: str({ default: '', desc: 'SMTP password' }),
    MAILINGS_FROM: str({ default: DEFAULT_MAILING_FROM, desc: 'From header of mailing messages' }),
    MAILINGS_PUBLIC_URL: url({ default: defaults.publicBaseUrl, desc: 'Public address of the gateway: unsubscribe links are <this>/rest/mailings/unsubscribe/<token>' }),
    UNSUBSCRIBE_SECRET: str({ devDefault: DEVELOPMENT_UNSUBSCRIBE_SECRET, desc: 'HMAC key of unsubscribe links, at least 32 characters; changing it breaks the links already sent' }),
    MAILINGS_MAX_PER_MINUTE: num({ default: 600, desc: 'Service-wide cap on messages per minute over every mailing and replica (0: only each mailing\'s own limits)' }),
    MAILINGS_MAX_ATTEMPTS: num({ default: defaults.maxAttempts, desc: 'Attempts before a temporary failure is final' }),
    MAILINGS_BACKOFF_MS: num({ default: defaults.backoffMs, desc: 'Delay after the first temporary failure (doubles each time)' }),
    MAILINGS_MAX_BACKOFF_MS: num({ default: defaults.maxBackoffMs, desc: 'Longest delay between attempts' }),
    MAILINGS_SMTP_TIMEOUT_MS: num({ default: defaults.smtpTimeoutMs, desc: 'Connection, greeting and socket timeouts of the SMTP client' }),
    MAILINGS_CLAIM_LEASE_MS: num({ default: defaults.claimLeaseMs, desc: 'After this, a recipient claimed by a worker that died is sent again' }),
  }, { reporter: strictEnvReporter });
  const problems: string[] = [];
  const whole = (name: string, value: number, min: number) => {
    if (!Number.isSafeInteger(value) || value < min) problems.push(`${name}: must be an integer ≥ ${min}`);
  };
  whole('MAILINGS_SMTP_PORT', own.MAILINGS_SMTP_PORT, 1);
  whole('MAILINGS_MAX_PER_MINUTE', own.MAILINGS_MAX_PER_MINUTE, 0);
  whole('MAILINGS_MAX_ATTEMPTS', own.MAILINGS_MAX_ATTEMPTS, 1);
  whole('MAILINGS_BACKOFF_MS', own.MAILINGS_BACKOFF_MS, 0);
  whole('MAILINGS_MAX_BACKOFF_MS', own.MAILINGS_MAX_BACKOFF_MS, 0);
  whole('MAILINGS_SMTP_TIMEOUT_MS', own.MAILINGS_SMTP_TIMEOUT_MS, 100);
  if (own.MAILINGS_CLAIM_LEASE_MS <= 3 * own.MAILINGS_SMTP_TIMEOUT_MS) problems.push('MAILINGS_CLAIM_LEASE_MS: must exceed 3 × MAILINGS_SMTP_TIMEOUT_MS (a live but slow send must not be repeated)');
  if (own.UNSUBSCRIBE_SECRET.length < 32) problems.push('UNSUBSCRIBE_SECRET: must be at least 32 characters');
  if (!/@[^@\s>]+>?\s*$/.test(own.MAILINGS_FROM)) problems.push('MAILINGS_FROM: must be an address, e.g. Картотека <offers@example.com>');
  if (problems.length) throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    ...defaults,
    smtp: own.MAILINGS_SMTP_HOST
      ? { host: own.MAILINGS_SMTP_HOST, port: own.MAILINGS_SMTP_PORT, secure: own.MAILINGS_SMTP_SECURE, user: own.MAILINGS_SMTP_USER || null, password: own.MAILINGS_SMTP_PASSWORD || null }
      : null,
    from: own.MAILINGS_FROM,
    publicBaseUrl: own.MAILINGS_PUBLIC_URL.replace(/\/+$/, ''),
    unsubscribeSecret: own.UNSUBSCRIBE_SECRET,
    maxPerMinute: own.MAILINGS_MAX_PER_MINUTE,
    maxAttempts: own.MAILINGS_MAX_ATTEMPTS,
    backoffMs: own.MAILINGS_BACKOFF_MS,
    maxBackoffMs: own.MAILINGS_MAX_BACKOFF_MS,
    smtpTimeoutMs: own.MAILINGS_SMTP_TIMEOUT_MS,
    claimLeaseMs: own.MAILINGS_CLAIM_LEASE_MS,
  };
}
