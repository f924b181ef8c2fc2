import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Runs `work` (and everything it starts, awaited or not) as part of request `requestId`: every line logged
 * meanwhile, by any logger of createLogger, carries that `requestId` — no logger needs to be handed down.
 */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return requestScope.run({ requestId }, work);
}

/** The request being served, if any. */
export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

const CHINDINGS = pino.symbols.chindingsSym;

function boundToRequest(logger: Logger): boolean {
  const bindings = (logger as unknown as Record<symbol, unknown>)[CHINDINGS];
  return typeof bindings === 'string' && bindings.includes('"requestId":');
}

/** Keys whose values are secrets or user data wherever they appear (top level and two levels down). */
const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'apiKey',
  'authorization',
  'cookie',
  'variables',
  'params',
  'bindings',
  'parameters',
];
export const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

/** Error fields that hold SQL or the values of a statement (pg and MikroORM driver errors). */
const STATEMENT_FIELDS = new Set(['query', 'sql', 'sqlMessage', 'params', 'parameters', 'bindings', 'detail', 'where', 'internalQuery', 'hint', 'errmsg']);

function isDatabaseError(error: Error): boolean {
  const fields = error as Error & { sqlState?: unknown; routine?: unknown; severity?: unknown };
  return fields.sqlState !== undefined || fields.routine !== undefined || fields.severity !== undefined || /Exception$/.test(error.name);
}

/**
 * A driver error's message is `<the statement with its values> - <PostgreSQL's message>`, and PostgreSQL's own
 * message may quote the value it refused (`invalid input syntax for type uuid: "…"`): only the reason stays.
 */
const STATEMENT_PREFIX = /^\s*(select|insert|update|delete|with|merge|copy|call|begin|commit|rollback|savepoint|release|set|lock|alter|create|drop|truncate)\s/i;

export function sanitizeErrorMessage(message: string, database: boolean): string {
  let clean = message;
  const separator = clean.lastIndexOf(' - ');
  // a statement relayed in another error's message (a subgraph's development answer) is cut off the same way
  if ((database || STATEMENT_PREFIX.test(clean)) && separator >= 0) clean = clean.slice(separator + 3);
  if (database) clean = clean.replace(/: ".*"$/s, ': [redacted]').replace(/\(([^()]*)\)=\(.*?\)/g, '($1)=[redacted]');
  return clean;
}

type SerializedError = { type: string; message: string; stack?: string; code?: unknown; cause?: SerializedError } & Record<string, unknown>;

/**
 * pino's `err` serializer, minus anything a statement carried: no SQL, no parameters, no quoted values;
 * the stack keeps only its frames under the cleaned message.
 */
export function serializeError(error: unknown, depth = 0): SerializedError | unknown {
  if (!(error instanceof Error)) return error;
  const database = isDatabaseError(error);
  const message = sanitizeErrorMessage(error.message, database);
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trim().startsWith('at '));
  const serialized: SerializedError = { type: error.name, message, stack: [`${error.name}: ${message}`, ...frames].join('\n') };
  for (const [key, value] of Object.entries(error)) {
    if (STATEMENT_FIELDS.has(key) || key === 'message' || key === 'stack' || key === 'cause' || key === 'name') continue;
    if (value === undefined || typeof value === 'function') continue;
    if (typeof value === 'object' && value !== null) continue; // nested objects (responses, requests) may hold anything
    serialized[key] = value;
  }
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error && depth < 3) serialized.cause = serializeError(cause, depth + 1) as SerializedError;
  return serialized;
}

/** Standard output is written once this much is buffered… */
const STDOUT_BUFFER_BYTES = 4096;
/** …or this long after a line at the latest (a quiet service's lines do not wait for the buffer to fill). */
const STDOUT_FLUSH_INTERVAL_MS = 1000;

/**
 * An asynchronous, buffered destination (a file descriptor or path): lines are written together once `minLength`
 * bytes are buffered or every `flushIntervalMs`, whichever comes first — not one write per line, which under
 * load cost a write system call per request and service. It is flushed synchronously when the process exits
 * (pino registers that), and by flushLogger on shutdown. A crash that kills the process outright (SIGKILL, out of
 * memory) loses at most the last interval's lines.
 */
export function bufferedDestination(dest: number | string, options: { minLength?: number; flushIntervalMs?: number } = {}): ReturnType<typeof pino.destination> {
  const stream = pino.destination({ dest, sync: false, minLength: options.minLength ?? STDOUT_BUFFER_BYTES });
  const timer = setInterval(() => {
    try {
      stream.flush();
    } catch {
      // not open yet, or destroyed: the next tick, or nothing, writes it
    }
  }, options.flushIntervalMs ?? STDOUT_FLUSH_INTERVAL_MS);
  timer.unref();
  stream.once('close', () => clearInterval(timer));
  return stream;
}

/** Where a logger writes when no destination is given: standard output, buffered (bufferedDestination). */
function standardOutput(): DestinationStream {
  return bufferedDestination(1);
}

/**
 * Structured JSON logs, one line per event, with the service name on every line and the request id on every
 * line written while serving a request (runWithRequestId). Secrets and user data are redacted: passwords,
 * tokens, Authorization and cookies, GraphQL variables, SQL parameters; errors lose their statements.
 * `destination`: where lines go (buffered standard output by default; tests collect them).
 */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      // a logger bound to a request (logger.child({ requestId })) already says which one
      mixin: (_object, _level, self) => {
        const requestId = requestScope.getStore()?.requestId;
        return requestId && !boundToRequest(self) ? { requestId } : {};
      },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
    },
    destination ?? (level === 'silent' ? undefined : standardOutput()),
  );
}

/**
 * Writes out, synchronously, what the logger's buffered destination still holds: called before the process
 * exits (pino also does it on the process's `exit` event). A destination that does not buffer is left alone.
 */
export function flushLogger(logger: Logger): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as { flushSync?: () => void } | undefined;
  try {
    stream?.flushSync?.();
  } catch {
    // nothing buffered, or the descriptor is gone: nothing more can be written
  }
}
