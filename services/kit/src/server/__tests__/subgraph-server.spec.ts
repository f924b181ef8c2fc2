import { Writable } from 'node:stream';
import { Entity, Property } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { BaseEntity } from '../../orm/base.entity';
import pino from 'pino';
import { Ctx, Field, ObjectType, Query, Resolver, Arg, Int, Authorized } from 'type-graphql';
import { GATEWAY_TOKEN_HEADER, signGatewayToken, userIdentity } from '../../auth/identity';
import type { SubgraphContext } from '../context';
import { startSubgraphServer, type SubgraphDefinition } from '../subgraph-server';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { migrateUp } from '../../orm/migration-cli';
import { postGraphQL } from '../../testing/test-subgraph';
import { createLogger } from '../logger';

@ObjectType()
class Echo {
  @Field()
  requestId!: string;

  @Field()
  actor!: string;
}

/** How many echo resolvers have begun: a test waits for it instead of guessing when a request is in flight. */
let echoesStarted = 0;

@Resolver()
class EchoResolver {
  @Authorized()
  @Query(() => Echo)
  async echo(@Arg('delayMs', () => Int, { defaultValue: 0 }) delayMs: number, @Ctx() context: SubgraphContext): Promise<Echo> {
    echoesStarted += 1;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    context.logger.info('echo');
    return { requestId: context.requestId, actor: context.identity.kind === 'user' ? context.identity.name : '' };
  }
}

@Resolver()
class FaultResolver {
  /** A true internal error whose statement carries the caller's value: it must be logged, but never the value. */
  @Authorized()
  @Query(() => Boolean)
  async fault(@Arg('label') label: string, @Ctx() context: SubgraphContext): Promise<boolean> {
    await context.em.getConnection().execute('select * from no_such_table where label = ?', [label]);
    return true;
  }
}

@Entity({ tableName: 'probes' })
class Probe extends BaseEntity {
  @Property({ type: 'string' })
  label!: string;
}

class Migration00000000000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table probes (id uuid primary key, created_at timestamptz not null default now(), updated_at timestamptz not null default now(), label varchar(255) not null)');
  }
}

const definition: SubgraphDefinition = {
  service: 'probe',
  entities: [Probe],
  migrationsList: [{ name: 'Migration00000000000001', class: Migration00000000000001 }],
  resolvers: [EchoResolver, FaultResolver],
};

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('probe');
  await migrateUp(definition, database.url);
});
afterAll(() => database.drop());

describe('readiness', () => {
  it('turns unready when its database goes away, while liveness stays up', async () => {
    const own = await createTestDatabase('probe_ready');
    await migrateUp(definition, own.url);
    const config = { service: 'probe', production: true, host: '127.0.0.1', port: 0, databaseUrl: own.url, gatewaySecret: 'probe-secret', logLevel: 'silent', shutdownGraceMs: 1000 };
    const server = await startSubgraphServer(definition, config, { logger: pino({ level: 'silent' }) });
    const base = server.url.replace('/graphql', '');
    try {
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      await own.drop(); // terminates the server's connections and removes the database
      expect((await fetch(`${base}/health/ready`)).status).toBe(503);
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    } finally {
      await server.stop().catch(() => undefined);
    }
  });
});

async function start() {
  const config = { service: 'probe', production: true, host: '127.0.0.1', port: 0, databaseUrl: database.url, gatewaySecret: 'probe-secret', logLevel: 'info', shutdownGraceMs: 5000 };
  return startSubgraphServer(definition, config, { logger: pino({ base: { service: 'probe' } }, sink) });
}

const alice = userIdentity('00000000-0000-4000-8000-00000000a11c', 'Alice', ['VIEWER']);

describe('subgraph server', () => {
  it('carries the gateway request id into the context and every log line of the request', async () => {
    const server = await start();
    try {
      const token = await signGatewayToken(alice, 'probe', 'probe-secret', 'req-12345678');
      const result = await postGraphQL<{ echo: { requestId: string; actor: string } }>(server.url, '{ echo { requestId actor } }', {}, { [GATEWAY_TOKEN_HEADER]: token });
      expect(result.data?.echo).toEqual({ requestId: 'req-12345678', actor: 'Alice' });
      const requestLines = lines.filter((line) => line.requestId === 'req-12345678');
      expect(requestLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['echo', 'graphql request']));
      expect(requestLines.every((line) => line.service === 'probe')).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('finishes in-flight requests on shutdown and then refuses connections', async () => {
    const server = await start();
    const token = await signGatewayToken(alice, 'probe', 'probe-secret', 'req-slow-0001');
    const before = echoesStarted;
    const slow = postGraphQL<{ echo: { requestId: string } }>(server.url, '{ echo(delayMs: 700) { requestId } }', {}, { [GATEWAY_TOKEN_HEADER]: token });
    while (echoesStarted === before) await new Promise((resolve) => setTimeout(resolve, 10)); // in flight, in the resolver
    const stopped = server.stop();
    const result = await slow;
    expect(result.data?.echo.requestId).toBe('req-slow-0001');
    await stopped;
    await expect(fetch(server.url, { method: 'POST' })).rejects.toThrow();
  });

  it('reports readiness from the database and hides internals in production', async () => {
    const server = await start();
    try {
      const ready = await fetch(server.url.replace('/graphql', '/health/ready'));
      expect(ready.status).toBe(200);
      const token = await signGatewayToken(alice, 'probe', 'probe-secret', 'req-intro-001');
      const introspection = await postGraphQL(server.url, '{ __schema { queryType { name } } }', {}, { [GATEWAY_TOKEN_HEADER]: token });
      expect(introspection.errors?.[0].message).toMatch(/introspection/i);
      const anonymous = await postGraphQL(server.url, '{ echo { requestId } }', {}, { [GATEWAY_TOKEN_HEADER]: await signGatewayToken({ kind: 'anonymous' }, 'probe', 'probe-secret', 'req-anon-0001') });
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(anonymous.errors)).not.toMatch(/stacktrace/);
    } finally {
      await server.stop();
    }
    const down = await fetch(server.url.replace('/graphql', '/health/ready')).catch(() => null);
    expect(down).toBeNull();
  });
});

describe('subgraph server: typed answers to malformed requests, and error logs', () => {
  const logged: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logSink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        logged.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const startWithKitLogger = () =>
    startSubgraphServer(definition, { service: 'probe', production: true, host: '127.0.0.1', port: 0, databaseUrl: database.url, gatewaySecret: 'probe-secret', logLevel: 'info', shutdownGraceMs: 5000 }, { logger: createLogger('probe', 'info', logSink) });

  it('answers a body that is not JSON with a typed 400 in JSON, no stack trace', async () => {
    const server = await startWithKitLogger();
    try {
      const token = await signGatewayToken(alice, 'probe', 'probe-secret', 'req-badjson-1');
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', [GATEWAY_TOKEN_HEADER]: token }, body: '{"query": ' });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    } finally {
      await server.stop();
    }
  });

  it('logs a true internal error once, at error level, with requestId, service and stack, without the statement or its values', async () => {
    const server = await startWithKitLogger();
    try {
      const token = await signGatewayToken(alice, 'probe', 'probe-secret', 'req-fault-0001');
      const result = await postGraphQL(server.url, 'query($l: String!) { fault(label: $l) }', { l: 'secret-label-42' }, { [GATEWAY_TOKEN_HEADER]: token });
      expect(result.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      const errors = logged.filter((line) => Number(line.level) >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ service: 'probe', requestId: 'req-fault-0001', msg: 'internal error', err: { message: 'relation "no_such_table" does not exist' } });
      expect(String((errors[0].err as { stack: string }).stack)).toMatch(/\n\s+at /);
      expect(raw.join('\n')).not.toMatch(/secret-label-42|select \* from/);
    } finally {
      await server.stop();
    }
  });
});
