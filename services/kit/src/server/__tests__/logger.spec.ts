import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { bufferedDestination, createLogger, flushLogger, runWithRequestId, sanitizeErrorMessage, serializeError } from '../logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger('documents', 'info', sink), lines, raw };
}

/** pino writes synchronously to a plain stream; one tick lets the Writable callback run. */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('createLogger', () => {
  it('puts the service on every line and the request id on every line written while serving a request', async () => {
    const { logger, lines } = capture();
    logger.error('outside any request');
    await runWithRequestId('req-12345678', async () => {
      await Promise.resolve();
      logger.error({ err: new Error('boom') }, 'inside');
      setImmediate(() => logger.warn('later, still inside'));
      await flushed();
    });
    await flushed();
    expect(lines.map((line) => [line.service, line.requestId ?? null, line.msg])).toEqual([
      ['documents', null, 'outside any request'],
      ['documents', 'req-12345678', 'inside'],
      ['documents', 'req-12345678', 'later, still inside'],
    ]);
  });

  it('does not repeat the request id of a logger already bound to it', async () => {
    const { logger, raw } = capture();
    runWithRequestId('req-12345678', () => logger.child({ requestId: 'req-12345678' }).error('bound'));
    await flushed();
    expect(raw[0].match(/"requestId"/g)).toHaveLength(1);
  });

  it('redacts passwords, tokens, Authorization, cookies, variables and SQL parameters', async () => {
    const { logger, raw } = capture();
    logger.info(
      {
        password: 'hunter2-secret',
        input: { newPassword: 'hunter3-secret', nested: { token: 'tok-secret' } },
        req: { headers: { authorization: 'Bearer abc-secret', cookie: 'sid=cookie-secret' } },
        variables: { input: { title: 'private-secret' } },
        params: ['param-secret'],
      },
      'redaction',
    );
    await flushed();
    expect(raw[0]).not.toMatch(/secret/);
    expect(raw[0]).toMatch(/\[redacted\]/);
  });

  it('logs a driver error without its statement, parameters or quoted values, keeping its frames', async () => {
    const { logger, raw, lines } = capture();
    const driverError = Object.assign(new Error(`insert into "deals" ("title", "owner_id") values ('Тайная сделка', 'x') - invalid input syntax for type uuid: "x"`), {
      name: 'InvalidFieldNameException',
      code: '22P02',
      sqlState: '22P02',
      detail: 'Key (inn)=(7701234567) already exists.',
      query: `insert into "deals" ("title") values ('Тайная сделка')`,
      params: ['Тайная сделка'],
    });
    logger.error({ err: driverError }, 'internal error');
    await flushed();
    expect(raw[0]).not.toMatch(/Тайная|7701234567|insert into/);
    const err = lines[0].err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'InvalidFieldNameException', code: '22P02', message: 'invalid input syntax for type uuid: [redacted]' });
    expect(String(err.stack)).toMatch(/^InvalidFieldNameException: invalid input syntax[^\n]*\n\s+at /);
  });
});

describe('sanitizeErrorMessage / serializeError', () => {
  it('keeps ordinary errors as they are', () => {
    expect(sanitizeErrorMessage('Cannot read properties of undefined (reading "x")', false)).toBe('Cannot read properties of undefined (reading "x")');
    expect(serializeError(new TypeError('plain'))).toMatchObject({ type: 'TypeError', message: 'plain' });
  });

  it('cleans a driver error carried as the cause of another', () => {
    const cause = Object.assign(new Error(`select * from users where email = 'a@b.c' - boom`), { routine: 'x' });
    const serialized = serializeError(new Error('wrapped', { cause })) as { cause: { message: string } };
    expect(serialized.cause.message).toBe('boom');
  });
});

describe('a statement relayed inside an ordinary error', () => {
  it('is cut off too', () => {
    expect(sanitizeErrorMessage(`select "c0".* from "counterparties" where "inn" = '7721426013' - relation "counterparties" does not exist`, false)).toBe('relation "counterparties" does not exist');
  });
});

describe('the default destination', () => {
  it('writes standard output asynchronously, without a blocking write per line', () => {
    const logger = createLogger('documents', 'info');
    const stream = (logger as unknown as Record<symbol, { sync?: boolean; fd?: number }>)[pino.symbols.streamSym];
    expect(stream.fd).toBe(1);
    expect(stream.sync).toBe(false);
  });

  it('writes buffered lines out by itself shortly after, without a flush or a full buffer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kartoteka-logger-'));
    try {
      const file = join(dir, 'out.log');
      const destination = bufferedDestination(file, { minLength: 8192, flushIntervalMs: 50 });
      await once(destination, 'ready');
      const logger = createLogger('documents', 'info', destination);
      for (let i = 0; i < 3; i += 1) logger.info({ i }, 'line');
      expect(readFileSync(file, 'utf8')).toBe(''); // a few lines: far from the 8 KiB that would write them at once
      // waits for the condition (the timer's write), not for a time
      while (readFileSync(file, 'utf8').split('\n').filter(Boolean).length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { i: number }).i)).toEqual([0, 1, 2]);
      destination.end();
      await once(destination, 'close');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds nothing back once flushed (on shutdown)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kartoteka-logger-'));
    try {
      const file = join(dir, 'out.log');
      const destination = pino.destination({ dest: file, sync: false, minLength: 8192 });
      await once(destination, 'ready');
      const logger = createLogger('documents', 'info', destination);
      for (let i = 0; i < 40; i += 1) logger.info({ i, password: 'secret' }, 'line');
      expect(readFileSync(file, 'utf8')).toBe(''); // still buffered
      flushLogger(logger);
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(40);
      expect(lines[39]).toMatchObject({ i: 39, password: '[redacted]', service: 'documents' });
      destination.end();
      await once(destination, 'close');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
