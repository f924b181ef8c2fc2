// The peer gateway of `pnpm bench` (never part of the product): Hive Gateway (The Guild's federation gateway on
// graphql-tools) serving the same committed supergraph over the same subgraph processes, so the card's cost through
// @apollo/gateway can be set beside another engine's. It authenticates the caller and signs the per-subgraph
// tokens with the gateway's own code (gateway/dist: the same verified-token cache and 30 s token reuse), so the
// two differ in the GraphQL engine only — query planning, fetches, merging, the HTTP server and client.
//
// Environment: PORT, JWT_SECRET, SUPERGRAPH (a path), and for each subgraph <NAME>_URL and <NAME>_SECRET.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';

const require = createRequire(import.meta.url);
const { createAuthenticator } = require('../../../gateway/dist/authentication.js');
const { SubgraphTokens } = require('../../../gateway/dist/subgraph-tokens.js');
const { GATEWAY_TOKEN_HEADER, REQUEST_ID_HEADER } = require('@kartoteka/kit');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
};

// the supergraph names each subgraph's URL: replaced by where the bench started it
const names = [];
const supergraph = readFileSync(env('SUPERGRAPH'), 'utf8').replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (_match, name) => {
  names.push(name);
  return `@join__graph(name: "${name}", url: "${env(`${name.toUpperCase()}_URL`)}")`;
});
const tokens = Object.fromEntries(names.map((name) => [name, new SubgraphTokens({ name, secret: env(`${name.toUpperCase()}_SECRET`) })]));
const identityUrl = env('IDENTITY_URL');
const authenticate = createAuthenticator({ jwtSecret: env('JWT_SECRET'), identity: { url: identityUrl, urls: [identityUrl], secret: env('IDENTITY_SECRET') }, timeoutMs: 10_000 });

// one authentication per client request, whichever subgraphs it reaches
const callers = new WeakMap();
const callerOf = (request) => {
  let caller = callers.get(request);
  if (!caller) {
    const requestId = request.headers.get(REQUEST_ID_HEADER) ?? randomUUID();
    caller = authenticate(request.headers.get('authorization') ?? undefined, requestId).then((identity) => ({ identity, requestId }));
    callers.set(request, caller);
  }
  return caller;
};

const gateway = createGatewayRuntime({
  supergraph,
  // the subgraphs' transport, given here (the Hive Gateway CLI package would bring it)
  transports: { http: httpTransport },
  logging: 'error',
  graphiql: false,
  landingPage: false,
  propagateHeaders: {
    async fromClientToSubgraphs({ request, subgraphName }) {
      const { identity, requestId } = await callerOf(request);
      return { [GATEWAY_TOKEN_HEADER]: await tokens[subgraphName].token(identity), [REQUEST_ID_HEADER]: requestId };
    },
  },
});

const server = http.createServer(gateway);
server.listen(Number(env('PORT')), '127.0.0.1', () => process.stdout.write(`peer gateway listening on ${env('PORT')}\n`));
const stop = () => server.close(() => gateway.dispose().finally(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
