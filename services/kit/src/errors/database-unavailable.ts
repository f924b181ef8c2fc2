/** SQLSTATE classes and codes of a server that is gone or not accepting connections (not of a bad query). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = [/Connection terminated/i, /Connection ended unexpectedly/i, /Timeout acquiring a connection/i, /terminating connection due to administrator command/i, /the database system is (starting up|shutting down)/i, /Client has encountered a connection error/i];

/**
 * True when `error` (or what it wraps) says the database cannot be reached right now — PostgreSQL restarting,
 * refused or dropped connections, an exhausted pool — rather than that the request or the code is wrong.
 * Such a failure is answered as SERVICE_UNAVAILABLE (try again), not as an internal error.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(code))) return true;
    if (name === 'ConnectionException' || name === 'KnexTimeoutError') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = (current as { cause?: unknown; previous?: unknown; originalError?: unknown }).cause ?? (current as { previous?: unknown }).previous ?? (current as { originalError?: unknown }).originalError;
  }
  return false;
}
