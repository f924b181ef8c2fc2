import { strictEnvReporter } from '@kartoteka/kit';
import { bool, cleanEnv, num, str } from 'envalid';
import { DEFAULT_INSTANCE_DOWN_MS } from './subgraph-instances';
import { SUPERGRAPH_PATH } from './supergraph-path';
import type { SupergraphSettings } from './supergraph-source';

/**
 * Where a subgraph runs: `url` is its first (or only) instance, `urls` every instance (replicas) the gateway
 * spreads its calls over (never empty: `[url]` when no replicas are listed), and the secret shared with it.
 */
export type SubgraphTarget = { url: string; urls: string[]; secret: string };

/** Requests per minute and caller class at the gateway (0: that class is not limited). */
export type RateLimitSettings = { userPerMinute: number; apiKeyPerMinute: number; anonymousPerMinute: number };

export type GatewayConfig = {
  production: boolean;
  host: string;
  port: number;
  /** Secret the identity service signs staff tokens with. */
  jwtSecret: string;
  /** Origins allowed by CORS: the portal. */
  corsOrigins: string[];
  subgraphTimeoutMs: number;
  /** How long an instance that refused a connection gets no calls before one call probes it again. */
  instanceDownMs: number;
  /** Per-subgraph URL (overrides the supergraph's) and the secret shared with it. */
  subgraphs: Record<string, SubgraphTarget>;
  limits: { maxDepth: number; maxCost: number; maxAliases: number; maxDirectives: number; maxTokens: number };
  logLevel: string;
  shutdownGraceMs: number;
  /** Trust X-Request-Id from the caller (when a trusted proxy sets it). */
  trustRequestId: boolean;
  /** REST pass-through `/rest/<service>/*` → the service's `/internal/rest/*` (file upload and download, event streams). */
  rest: RestSettings;
  /** Requests per minute per user, per API key (unless the key has its own limit) and per address of anonymous callers. */
  rateLimit: RateLimitSettings;
  /**
   * Proxies whose X-Forwarded-For is believed (Express `trust proxy`: addresses, CIDRs, `loopback`…); empty: the
   * client address is the socket's. It keys anonymous rate limits and login throttling.
   */
  trustedProxies: string[];
  /** Where the supergraph is read from, and how often it is read again to take a new one without a restart. */
  supergraph: SupergraphSettings;
};

export type RestSettings = {
  /** Services reachable through `/rest/<service>/`. */
  services: string[];
  /** Largest accepted request body in bytes (an upload of FILE_MAX_COUNT files of FILE_MAX_BYTES, plus multipart overhead). */
  maxBodyBytes: number;
  /** How long a service may take to start its answer once the request body has arrived. */
  responseTimeoutMs: number;
};

/** 10 files of 25 MiB (the documents service's defaults) plus 1 MiB of multipart overhead. */
export const DEFAULT_REST_MAX_BODY_BYTES = 10 * 25 * 1024 * 1024 + 1024 * 1024;

const SUBGRAPHS = ['identity', 'counterparties', 'documents', 'deals', 'finance', 'mailings'] as const;
const DEFAULT_PORTS: Record<(typeof SUBGRAPHS)[number], number> = { identity: 4101, counterparties: 4102, documents: 4103, deals: 4104, finance: 4105, mailings: 4106 };

/** The only reader of process.env in the gateway. Unset NODE_ENV means production. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const subgraphSpecs = Object.fromEntries(
    SUBGRAPHS.flatMap((name) => {
      const key = name.toUpperCase();
      return [
        [`${key}_URL`, str({ default: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql` })],
        [`${key}_URLS`, str({ default: '', desc: `Comma-separated GraphQL URLs of every ${name} instance (replicas); set, it replaces ${key}_URL` })],
        [`${key}_SECRET`, str({ devDefault: `dev-only-${name}-gateway-secret`, desc: `Secret shared with the ${name} subgraph` })],
      ];
    }),
  );
  const values = cleanEnv(env, {
    NODE_ENV: str({ choices: ['development', 'production', 'test'], default: 'production' }),
    HOST: str({ default: '127.0.0.1' }),
    PORT: num({ default: 4000, desc: 'Listening port (0: any free port)' }),
    JWT_SECRET: str({ devDefault: 'dev-only-jwt-secret-change-me' }),
    CORS_ORIGINS: str({ default: 'http://127.0.0.1:8080,http://localhost:8080', desc: 'Comma-separated portal origins' }),
    SUBGRAPH_TIMEOUT_MS: num({ default: 10000 }),
    SUBGRAPH_INSTANCE_DOWN_MS: num({ default: DEFAULT_INSTANCE_DOWN_MS, desc: 'How long a subgraph instance that refused a connection is skipped before it is probed again' }),
    MAX_DEPTH: num({ default: 12 }),
    MAX_COST: num({ default: 20000 }),
    MAX_ALIASES: num({ default: 15 }),
    MAX_DIRECTIVES: num({ default: 20 }),
    MAX_TOKENS: num({ default: 4000 }),
    LOG_LEVEL: str({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' }),
    SHUTDOWN_GRACE_MS: num({ default: 10000 }),
    TRUST_REQUEST_ID: bool({ default: true }),
    REST_SERVICES: str({ default: 'counterparties,documents,deals,finance,mailings', desc: 'Comma-separated services reachable through /rest/<service>/' }),
    REST_MAX_BODY_BYTES: num({ default: DEFAULT_REST_MAX_BODY_BYTES, desc: 'Largest REST request body (uploads) in bytes' }),
    REST_TIMEOUT_MS: num({ default: 60000, desc: 'Time a service may take to start answering a REST request once its body has arrived' }),
    RATE_LIMIT_USER_PER_MINUTE: num({ default: 1200, desc: 'Requests per minute per staff user (0: no limit)' }),
    RATE_LIMIT_API_KEY_PER_MINUTE: num({ default: 600, desc: 'Requests per minute per API key without a limit of its own (0: no limit)' }),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: num({ default: 300, desc: 'Requests per minute per client address without credentials (0: no limit)' }),
    TRUSTED_PROXIES: str({ default: '', desc: 'Comma-separated proxies whose X-Forwarded-For is believed (addresses, CIDRs, loopback); empty: none' }),
    SUPERGRAPH_PATH: str({ default: SUPERGRAPH_PATH, desc: 'The supergraph file the gateway serves (read again every SUPERGRAPH_POLL_MS)' }),
    SUPERGRAPH_URL: str({ default: '', desc: 'A URL to poll for the supergraph instead of SUPERGRAPH_PATH (http or https)' }),
    SUPERGRAPH_POLL_MS: num({ default: 5000, desc: 'How often the supergraph is read again, in ms; 0: only at start' }),
    ...subgraphSpecs,
  }, { reporter: strictEnvReporter }) as unknown as Record<string, string | number | boolean>;
  const restServices = String(values.REST_SERVICES).split(',').map((name) => name.trim()).filter(Boolean);
  const unknownRest = restServices.filter((name) => !(SUBGRAPHS as readonly string[]).includes(name));
  if (unknownRest.length) throw new Error(`Invalid configuration:\n  REST_SERVICES: unknown service ${unknownRest.join(', ')}`);
  const supergraphUrl = String(values.SUPERGRAPH_URL).trim();
  if (supergraphUrl && (!URL.canParse(supergraphUrl) || !/^https?:$/.test(new URL(supergraphUrl).protocol))) {
    throw new Error(`Invalid configuration:\n  SUPERGRAPH_URL: not an http(s) URL: ${supergraphUrl}`);
  }
  if (Number(values.SUPERGRAPH_POLL_MS) < 0) throw new Error('Invalid configuration:\n  SUPERGRAPH_POLL_MS: must be 0 or more');
  const subgraphs = Object.fromEntries(
    SUBGRAPHS.map((name) => {
      const key = name.toUpperCase();
      const listed = String(values[`${key}_URLS`]).split(',').map((url) => url.trim()).filter(Boolean);
      const urls = listed.length ? [...new Set(listed)] : [String(values[`${key}_URL`])];
      const invalid = urls.filter((url) => !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol));
      if (invalid.length) throw new Error(`Invalid configuration:\n  ${key}_URLS: not an http(s) URL: ${invalid.join(', ')}`);
      return [name, { url: urls[0], urls, secret: String(values[`${key}_SECRET`]) }];
    }),
  );
  return {
    production: values.NODE_ENV === 'production',
    host: String(values.HOST),
    port: Number(values.PORT),
    jwtSecret: String(values.JWT_SECRET),
    corsOrigins: String(values.CORS_ORIGINS).split(',').map((origin) => origin.trim()).filter(Boolean),
    subgraphTimeoutMs: Number(values.SUBGRAPH_TIMEOUT_MS),
    instanceDownMs: Number(values.SUBGRAPH_INSTANCE_DOWN_MS),
    subgraphs,
    limits: { maxDepth: Number(values.MAX_DEPTH), maxCost: Number(values.MAX_COST), maxAliases: Number(values.MAX_ALIASES), maxDirectives: Number(values.MAX_DIRECTIVES), maxTokens: Number(values.MAX_TOKENS) },
    logLevel: String(values.LOG_LEVEL),
    shutdownGraceMs: Number(values.SHUTDOWN_GRACE_MS),
    trustRequestId: Boolean(values.TRUST_REQUEST_ID),
    rest: { services: restServices, maxBodyBytes: Number(values.REST_MAX_BODY_BYTES), responseTimeoutMs: Number(values.REST_TIMEOUT_MS) },
    rateLimit: { userPerMinute: Number(values.RATE_LIMIT_USER_PER_MINUTE), apiKeyPerMinute: Number(values.RATE_LIMIT_API_KEY_PER_MINUTE), anonymousPerMinute: Number(values.RATE_LIMIT_ANONYMOUS_PER_MINUTE) },
    trustedProxies: String(values.TRUSTED_PROXIES).split(',').map((proxy) => proxy.trim()).filter(Boolean),
    supergraph: { path: String(values.SUPERGRAPH_PATH), url: supergraphUrl || null, pollMs: Number(values.SUPERGRAPH_POLL_MS) },
  };
}
