import { ConnectionException, TableNotFoundException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { createFormatError } from '../format-error';
import { isDatabaseUnavailable } from '../database-unavailable';

/** What PostgreSQL and the drivers throw while the server restarts, and what they throw for a wrong query. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['an administrator shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a connection failure class (08006)', pgError('08006', 'connection failure')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['an exhausted pool', Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })],
    ['MikroORM wrapping it', new ConnectionException(pgError('57P01', 'terminating connection due to administrator command'))],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a missing table', new TableNotFoundException(pgError('42P01', 'relation "x" does not exist'))],
    ['a unique violation', new UniqueConstraintViolationException(pgError('23505', 'duplicate key value'))],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('formatError', () => {
  it('answers an unreachable database with SERVICE_UNAVAILABLE, and a bug with INTERNAL_SERVER_ERROR', () => {
    const logged: unknown[] = [];
    const format = createFormatError({ exposeInternals: false, onInternalError: (error) => logged.push(error) });
    const down = format({ message: 'terminating connection due to administrator command', path: ['documents'] }, pgError('57P01', 'terminating connection due to administrator command'));
    expect(down).toEqual({ message: expect.stringMatching(/database/), path: ['documents'], extensions: { code: 'SERVICE_UNAVAILABLE' } });
    const bug = format({ message: 'boom', path: ['documents'] }, new TypeError('boom'));
    expect(bug.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(logged).toHaveLength(2); // both are logged for the operators
  });
});
