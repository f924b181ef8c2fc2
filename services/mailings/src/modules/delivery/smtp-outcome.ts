/**
 * What an SMTP failure means for a recipient (RFC 5321 §4.2.1: 4yz transient, 5yz permanent):
 * - HARD: the receiving server refused this recipient or this message for good (5xx to RCPT TO or DATA) — a bounce;
 *   never retried.
 * - SOFT: it refused for now (4xx to RCPT TO or DATA: greylisting, a full mailbox) — retried with backoff; still
 *   refused after the last attempt, it is a soft bounce.
 * - TEMPORARY: the conversation failed before the recipient was judged (no connection, a timeout, a 4xx/5xx to
 *   the greeting, EHLO, AUTH or MAIL FROM: a problem of our side or of the server, not of the address) — retried;
 *   after the last attempt the recipient is FAILED, not bounced: the address may be fine.
 */
export type SmtpFailureKind = 'HARD' | 'SOFT' | 'TEMPORARY';

export type SmtpFailure = { kind: SmtpFailureKind; responseCode: number | null; reason: string };

/** Commands whose rejection judges the recipient or the message (nodemailer's `error.command`). */
const RECIPIENT_COMMANDS = new Set(['RCPT TO', 'DATA']);

const MAX_REASON_LENGTH = 500;

/** The kind of a nodemailer/SMTP error, with the server's reply kept short (it never holds message content). */
export function classifySmtpFailure(error: unknown): SmtpFailure {
  const details = (error ?? {}) as { responseCode?: unknown; command?: unknown; code?: unknown; response?: unknown; message?: unknown; rejectedErrors?: unknown };
  // "all recipients were rejected": the per-recipient error carries the RCPT TO reply
  const inner = Array.isArray(details.rejectedErrors) && details.rejectedErrors.length ? (details.rejectedErrors[0] as typeof details) : details;
  const responseCode = typeof inner.responseCode === 'number' ? inner.responseCode : typeof details.responseCode === 'number' ? details.responseCode : null;
  const command = typeof inner.command === 'string' ? inner.command.toUpperCase() : typeof details.command === 'string' ? details.command.toUpperCase() : '';
  const text = typeof inner.response === 'string' ? inner.response : typeof details.message === 'string' ? details.message : String(error);
  const reason = text.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_LENGTH);
  const judgesRecipient = RECIPIENT_COMMANDS.has(command) || details.code === 'EENVELOPE';
  if (responseCode !== null && judgesRecipient) {
    if (responseCode >= 500 && responseCode < 600) return { kind: 'HARD', responseCode, reason };
    if (responseCode >= 400 && responseCode < 500) return { kind: 'SOFT', responseCode, reason };
  }
  return { kind: 'TEMPORARY', responseCode, reason };
}

/** The delay before attempt `attempts + 1` after `attempts` failed ones: exponential, capped. */
export function backoffAfter(attempts: number, backoffMs: number, maxBackoffMs: number): number {
  return Math.min(backoffMs * 2 ** Math.max(0, attempts - 1), maxBackoffMs);
}
