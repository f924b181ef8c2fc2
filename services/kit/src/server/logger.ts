import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs, one line per event, with the service name on every line. */
export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, redact: ['req.headers.authorization', 'password', 'secret'] });
}
