import { cleanEnv, num, port, str, type ReporterOptions } from 'envalid';

/** Fails with one readable error naming every missing or invalid variable (instead of exiting the process). */
export function strictEnvReporter({ errors }: ReporterOptions<unknown>): void {
  const problems = Object.entries(errors).map(([name, error]) => `${name}: ${(error as Error).message}`);
  if (problems.length) throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}

export type SubgraphEnvDefaults = { port: number };

export type SubgraphConfig = {
  service: string;
  production: boolean;
  host: string;
  port: number;
  databaseUrl: string;
  /**
   * Most connections this instance opens to its database (request handling and background work); with N replicas
   * the database must allow N times this, plus the event bus and tools.
   */
  databasePoolMax?: number;
  /** Shared secret with the gateway: every request must carry a token signed with it. */
  gatewaySecret: string;
  logLevel: string;
  /** How long shutdown waits for in-flight requests. */
  shutdownGraceMs: number;
};

/**
 * The common part of every subgraph's configuration. Called only from a service's `config.ts`, the one
 * reader of process.env there. In production the database URL and gateway secret have no defaults.
 */
export function readSubgraphEnv(env: NodeJS.ProcessEnv, service: string, defaults: SubgraphEnvDefaults): SubgraphConfig {
  const values = cleanEnv(env, {
    NODE_ENV: str({ choices: ['development', 'production', 'test'], default: 'production', desc: 'Unset means production: no introspection, no dev defaults' }),
    HOST: str({ default: '127.0.0.1', desc: 'Interface to bind: loopback or a private network only' }),
    PORT: port({ default: defaults.port }),
    DATABASE_URL: str({ devDefault: `postgres://postgres@127.0.0.1:5432/kartoteka_${service}`, desc: 'PostgreSQL URL of this service\'s own database' }),
    DATABASE_POOL_MAX: num({ default: 10, desc: 'Most connections to the database per instance (replicas × this must fit max_connections)' }),
    GATEWAY_SECRET: str({ devDefault: `dev-only-${service}-gateway-secret`, desc: 'Secret shared with the gateway for this subgraph' }),
    LOG_LEVEL: str({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' }),
    SHUTDOWN_GRACE_MS: port({ default: 10000 }),
  }, { reporter: strictEnvReporter });
  return {
    service,
    production: values.NODE_ENV === 'production',
    host: values.HOST,
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    databasePoolMax: Math.max(1, Math.floor(values.DATABASE_POOL_MAX)),
    gatewaySecret: values.GATEWAY_SECRET,
    logLevel: values.LOG_LEVEL,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
  };
}
