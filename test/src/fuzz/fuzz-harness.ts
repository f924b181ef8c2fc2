import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { API_KEY_SCOPES, DEMO_USERS } from '@kartoteka/kit';
import { CREATE_COUNTERPARTY, CREATE_DEAL, CREATE_DOCUMENT, legalEntityInput } from '../support/fixtures';
import { SUBGRAPH_NAMES, startStack, type Stack } from '../support/stack';
import { isDeepJson, operationVariables, toRequestBody, type IdKind, type ValuePools } from './api-arbitraries';
import { malformationArbitrary, requestShape, type Malformation, type RequestShape } from './malformed-requests';
import { apiOperations, loadApiSchema, type ApiOperation } from './api-operations';
import { changedTables, databaseProbe, type DatabaseProbe, type Fingerprint } from './db-fingerprint';

/** Runs of the bounded fuzz in `pnpm test`, and its fixed seed (so CI is reproducible); `pnpm fuzz` overrides both. */
export const DEFAULT_RUNS = 500;
export const DEFAULT_SEED = 20261206;

export type FuzzConfig = { seed: number; runs: number; reportFile: string | null };

export function fuzzConfig(env: NodeJS.ProcessEnv = process.env): FuzzConfig {
  const integer = (value: string | undefined, fallback: number) => (value && /^-?\d+$/.test(value) ? Number(value) : fallback);
  return {
    seed: integer(env.FUZZ_SEED, DEFAULT_SEED),
    runs: integer(env.FUZZ_RUNS, DEFAULT_RUNS),
    reportFile: env.FUZZ_REPORT_FILE || null,
  };
}

export type FailureKind = 'internal-error' | 'http-5xx' | 'stack-trace' | 'write-on-refusal' | 'untyped-error';

export type Failure = {
  kind: FailureKind;
  operation: string;
  role: string;
  status: number;
  detail: string;
  query: string;
  variables: Record<string, unknown>;
  /** How the request itself was broken (malformed-requests.ts), if it was. */
  malformation: string | null;
  /** How many generated calls failed the same way (same kind, operation and message). */
  occurrences: number;
};

export type FuzzReport = {
  seed: number;
  runs: number;
  calls: number;
  durationMs: number;
  perOperation: Record<string, number>;
  perRole: Record<string, number>;
  /** Calls whose request itself was broken, per way (malformed-requests.ts). */
  perMalformation: Record<string, number>;
  codes: Record<string, number>;
  /** `operation: CODE: message` (ids and numbers masked): why calls were refused. */
  messages: Record<string, number>;
  statuses: Record<string, number>;
  internal: number;
  acceptedMutations: number;
  /** Mutations that succeeded, per operation: how deep the fuzz got. */
  acceptedPerOperation: Record<string, number>;
  refusedMutations: number;
  /** Refused mutations whose databases were compared before and after. */
  writeChecks: number;
  /** Refused mutations not compared because earlier events were still being delivered after the stack's settle timeout. */
  writeChecksSkipped: number;
  relogins: number;
  failures: Failure[];
};

type Role = { name: string; email: string | null; token: string | null };

/**
 * Writes a refused call is expected to make, by design: a failed login is recorded for throttling.
 * Anything else a refused mutation changes is a failure.
 */
const WRITES_EXPECTED_ON_REFUSAL: Record<string, RegExp> = {
  login: /^identity\.login_failures$/,
};

export type FuzzEnvironment = {
  stack: Stack;
  operations: ApiOperation[];
  roles: Role[];
  pools: ValuePools;
  probes: DatabaseProbe[];
  relogins: number;
  stop: () => Promise<void>;
};

type RawAnswer = { status: number; text: string; body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } | null };

async function post(url: string, request: RequestShape, token: string | null): Promise<RawAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': request.contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: request.body,
  });
  const text = await response.text();
  let body: RawAnswer['body'] = null;
  try {
    body = JSON.parse(text) as RawAnswer['body'];
  } catch {
    body = null;
  }
  return { status: response.status, text, body };
}

async function gql<T>(stack: Stack, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await stack.call<T>(query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`fuzz seed failed: ${query}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

async function login(stack: Stack, email: string): Promise<string> {
  const password = DEMO_USERS.find((user) => user.email === email)?.password ?? '';
  const result = await stack.call<{ login: { token: string } }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
  if (!result.data?.login.token) throw new Error(`login failed for ${email}: ${JSON.stringify(result.errors)}`);
  return result.data.login.token;
}

/** Every value of a property named `key` inside a JSON value (stage, action and form field keys of a template). */
function keysIn(json: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(json)) json.forEach((item) => keysIn(item, found));
  else if (json && typeof json === 'object') {
    for (const [name, value] of Object.entries(json)) {
      if ((name === 'key' || name.endsWith('Key')) && typeof value === 'string') found.add(value);
      keysIn(value, found);
    }
  }
  return found;
}

type Page = { edges: { node: { id: string } }[]; pageInfo: { endCursor: string | null } };

/**
 * Seeds what the generated calls may refer to (counterparties, documents on approval, a deal, sacrificial
 * users and API keys) and harvests real ids, cursors, keys and a template definition from the stack.
 */
async function seed(stack: Stack, tokens: Record<string, string>): Promise<{ pools: ValuePools; partnerKey: string }> {
  const { admin, manager, director, approver } = tokens;
  const ids: Partial<Record<IdKind, string[]>> = {};
  const add = (kind: IdKind, ...values: (string | null | undefined)[]) => (ids[kind] = [...new Set([...(ids[kind] ?? []), ...values.filter((value): value is string => !!value)])]);

  for (let i = 0; i < 2; i += 1) add('counterparty', (await gql<{ createCounterparty: { id: string } }>(stack, CREATE_COUNTERPARTY, { input: legalEntityInput() }, manager)).createCounterparty.id);
  const [counterpartyId] = ids.counterparty!;
  // documents and deals learn of new counterparties from events: let them arrive first
  await stack.settle();
  const upload = new FormData();
  upload.append('files', new Blob([new Uint8Array(Buffer.from('%PDF-1.7\nfuzz\n'))]), 'Договор.pdf');
  const uploaded = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '/rest/documents')}/files`, { method: 'POST', headers: { authorization: `Bearer ${manager}` }, body: upload });
  if (uploaded.status !== 201) throw new Error(`fuzz seed failed: upload answered ${uploaded.status}`);
  const fileId = ((await uploaded.json()) as { files: { id: string }[] }).files[0].id;
  add('file', fileId);
  const contract = await gql<{ createDocument: { id: string } }>(
    stack,
    CREATE_DOCUMENT,
    { input: { type: 'CONTRACT', counterpartyId, title: 'Договор поставки № 1', amountMinor: 1_500_000, contract: { subject: 'Поставка', startDate: '2030-01-01' }, fileIds: [fileId] } },
    manager,
  );
  const invoice = await gql<{ createDocument: { id: string } }>(stack, CREATE_DOCUMENT, { input: { type: 'INVOICE', counterpartyId, title: 'Счёт № 7', amountMinor: 50_000, invoice: { dueDate: '2030-02-01' } } }, manager);
  add('document', contract.createDocument.id, invoice.createDocument.id);
  const route = await gql<{ createRouteTemplate: { id: string } }>(
    stack,
    'mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }',
    {
      input: {
        name: 'Договор: юрист и финансы, подпись директора',
        documentType: 'CONTRACT',
        isDefault: true,
        stages: [
          { name: 'Юрист и финансы', mode: 'PARALLEL', rule: 'ALL', steps: [{ role: 'LAWYER', deadlineHours: 48 }, { role: 'ACCOUNTANT', deadlineHours: 48 }] },
          { name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] },
        ],
      },
    },
    admin,
  );
  await gql(stack, 'mutation($input: StartApprovalInput!) { startApproval(input: $input) { id } }', { input: { documentId: contract.createDocument.id, routeTemplateId: route.createRouteTemplate.id } }, manager);
  const deal = await gql<{ createDeal: { id: string } }>(stack, CREATE_DEAL, { input: { title: 'Поставка оборудования', counterpartyId, amountMinor: 2_000_000 } }, manager);
  add('deal', deal.createDeal.id);
  await stack.settle();

  const created = await gql<{ createUser: { id: string } }>(
    stack,
    'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
    { input: { email: `fuzz-target-${Date.now()}@example.com`, name: 'Fuzz Target', password: 'fuzz-target-password', roles: ['VIEWER'] } },
    admin,
  );
  const partner = await gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    stack,
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
    { input: { name: 'Fuzz partner', scopes: [...API_KEY_SCOPES] } },
    admin,
  );
  const sacrificialKey = await gql<{ createApiKey: { apiKey: { id: string } } }>(
    stack,
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
    { input: { name: 'Fuzz revocable', scopes: ['counterparties:read'] } },
    admin,
  );

  const lists = await gql<{
    counterparties: Page;
    documents: Page & { edges: { node: { id: string; versions: { id: string; files: { id: string }[] }[] } }[] };
    deals: Page & { edges: { node: { id: string; actions: { id: string }[]; templateVersion: { id: string } } }[] };
    users: Page;
    caseTemplates: { id: string; draft: Record<string, unknown>; latestVersion: { id: string } | null }[];
    routeTemplates: { id: string }[];
  }>(
    stack,
    `{ counterparties(first: 1) { edges { node { id } } pageInfo { endCursor } }
       documents(first: 1) { edges { node { id versions { id files { id } } } } pageInfo { endCursor } }
       deals(first: 1) { edges { node { id actions { id } templateVersion { id } } } pageInfo { endCursor } }
       users(first: 2) { edges { node { id } } pageInfo { endCursor } }
       caseTemplates(includeArchived: true) { id draft latestVersion { id } }
       routeTemplates(includeInactive: true) { id } }`,
    {},
    admin,
  );
  const tasks = await gql<{ myApprovalTasks: Page; notifications: Page }>(
    stack,
    '{ myApprovalTasks(first: 5) { edges { node { id } } pageInfo { endCursor } } notifications(first: 1) { edges { node { id } } pageInfo { endCursor } } }',
    {},
    approver,
  );
  const exported = await gql<{ exportCaseTemplate: Record<string, unknown> }>(stack, 'query($id: ID!) { exportCaseTemplate(id: $id) }', { id: lists.caseTemplates[0].id }, director);

  for (const edge of lists.documents.edges) {
    add('documentVersion', ...edge.node.versions.map((version) => version.id));
    add('file', ...edge.node.versions.flatMap((version) => version.files.map((file) => file.id)));
  }
  for (const edge of lists.deals.edges) {
    add('dealAction', ...edge.node.actions.map((action) => action.id));
    add('caseTemplateVersion', edge.node.templateVersion.id);
  }
  add('caseTemplate', ...lists.caseTemplates.map((template) => template.id));
  add('caseTemplateVersion', ...lists.caseTemplates.map((template) => template.latestVersion?.id));
  add('routeTemplate', ...lists.routeTemplates.map((template) => template.id));
  add('step', ...tasks.myApprovalTasks.edges.map((edge) => edge.node.id));
  add('notification', ...tasks.notifications.edges.map((edge) => edge.node.id));
  add('user', ...DEMO_USERS.map((user) => user.id), created.createUser.id);
  add('apiKey', partner.createApiKey.apiKey.id, sacrificialKey.createApiKey.apiKey.id);

  const drafts = lists.caseTemplates.map((template) => template.draft);
  const cursors = [lists.counterparties, lists.documents, lists.deals, lists.users, tasks.myApprovalTasks, tasks.notifications].map((page) => page.pageInfo.endCursor).filter((cursor): cursor is string => !!cursor);
  return {
    partnerKey: partner.createApiKey.secret,
    pools: {
      ids,
      sacrificialUserIds: [created.createUser.id],
      sacrificialApiKeyIds: [sacrificialKey.createApiKey.apiKey.id],
      cursors,
      strings: [...keysIn(drafts)],
      json: drafts,
      templateFiles: [exported.exportCaseTemplate],
    },
  };
}

const ROLE_EMAILS: [string, string | null][] = [
  ['anonymous', null],
  ['admin', 'admin@kartoteka.local'],
  ['manager', 'manager@kartoteka.local'],
  ['approver', 'approver@kartoteka.local'],
  ['accountant', 'accountant@kartoteka.local'],
  ['director', 'director@kartoteka.local'],
  ['viewer', 'viewer@kartoteka.local'],
];

export async function startFuzzEnvironment(): Promise<FuzzEnvironment> {
  const stack = await startStack({ production: true });
  const probes: DatabaseProbe[] = [];
  const stop = async () => {
    await Promise.all(probes.map((probe) => probe.close().catch(() => undefined)));
    await stack.stop();
  };
  try {
    probes.push(...(await Promise.all(SUBGRAPH_NAMES.map((name) => databaseProbe(name, stack.subgraphs[name].database.url)))));
    const tokens: Record<string, string> = {};
    for (const [name, email] of ROLE_EMAILS) if (email) tokens[name] = await login(stack, email);
    const { pools, partnerKey } = await seed(stack, tokens);
    const roles: Role[] = [...ROLE_EMAILS.map(([name, email]) => ({ name, email, token: email ? tokens[name] : null })), { name: 'partner', email: null, token: partnerKey }];
    const { schema, sdl } = loadApiSchema();
    return { stack, operations: apiOperations(schema, sdl), roles, pools, probes, relogins: 0, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export async function fingerprint(environment: FuzzEnvironment): Promise<Fingerprint> {
  return Object.assign({}, ...(await Promise.all(environment.probes.map((probe) => probe.fingerprint()))));
}

/**
 * Waits until every earlier event is relayed and consumed (the stack's settler), so nothing but the next call
 * can write; false when that does not happen within the settle timeout (the call is then not compared).
 */
export async function settle(environment: Pick<FuzzEnvironment, 'stack'>): Promise<boolean> {
  try {
    // every consumer, projections included: a delivery handled during a refused call would look like its write
    await environment.stack.settleAll();
    return true;
  } catch {
    return false;
  }
}

export type GeneratedCall = {
  operation: ApiOperation;
  role: Role;
  variables: Record<string, unknown>;
  /** A broken request (see malformed-requests.ts), or null for a well-formed one. */
  malformation: Malformation | null;
  cut: number;
};

type Outcome = { answer: RawAnswer; problems: { kind: FailureKind; detail: string }[]; refused: boolean | null; writeChecked: boolean | null };

const STACK_LINE = /(\\n|\n)\s{2,}at |"stacktrace"/;

/** Sends one call and checks it: no internal error, no 5xx, no stack trace, no error without a code, nothing written when refused. */
export async function execute(environment: FuzzEnvironment, call: GeneratedCall): Promise<Outcome> {
  const { operation, role, variables } = call;
  const request = () => requestShape(operation.document, variables, call.malformation, call.cut);
  const isMutation = operation.kind === 'mutation';
  const settled = isMutation ? await settle(environment) : false;
  const before = settled ? await fingerprint(environment) : null;
  let answer = await post(environment.stack.gatewayUrl, request(), role.token);
  if (answer.status === 401 && role.email) {
    // a session ended (logout, token expiry): log in again and repeat, so the call is judged as its role
    role.token = await login(environment.stack, role.email);
    environment.relogins += 1;
    answer = await post(environment.stack.gatewayUrl, request(), role.token);
  }
  const problems: Outcome['problems'] = [];
  if (answer.status >= 500) problems.push({ kind: 'http-5xx', detail: `HTTP ${answer.status}: ${answer.text.slice(0, 300)}` });
  if (STACK_LINE.test(answer.text)) problems.push({ kind: 'stack-trace', detail: answer.text.slice(0, 500) });
  for (const error of answer.body?.errors ?? []) {
    if (error.extensions?.code === 'INTERNAL_SERVER_ERROR' || /internal server error/i.test(error.message)) {
      problems.push({ kind: 'internal-error', detail: `${String(error.extensions?.code)}: ${error.message}` });
    } else if (typeof error.extensions?.code !== 'string') {
      // every refusal is typed (BAD_USER_INPUT, FORBIDDEN, …): a client cannot act on a bare message
      problems.push({ kind: 'untyped-error', detail: `no extensions.code: ${error.message}` });
    }
  }
  const result = answer.body?.data?.[operation.field];
  const refused = isMutation ? !!answer.body?.errors?.length && (result === null || result === undefined) : null;
  let writeChecked: boolean | null = null;
  if (isMutation && refused) {
    writeChecked = before !== null;
    if (before) {
      const allowed = WRITES_EXPECTED_ON_REFUSAL[operation.field];
      const changed = changedTables(before, await fingerprint(environment)).filter((table) => !allowed?.test(table));
      if (changed.length) {
        const codes = (answer.body?.errors ?? []).map((error) => String(error.extensions?.code ?? 'NO_CODE')).join(',');
        problems.push({ kind: 'write-on-refusal', detail: `answered ${codes} but changed ${changed.join(', ')}` });
      }
    }
  }
  return { answer, problems, refused, writeChecked };
}

function callArbitrary(environment: FuzzEnvironment): fc.Arbitrary<GeneratedCall> {
  const variables = new Map(environment.operations.map((operation) => [operation.field, operationVariables(operation, environment.pools)]));
  return fc
    .tuple(fc.constantFrom(...environment.operations), fc.constantFrom(...environment.roles), malformationArbitrary)
    .chain(([operation, role, { malformation, cut }]) => variables.get(operation.field)!.map((values) => ({ operation, role, variables: values, malformation, cut })));
}

/** Messages differ by the ids and values in them; the signature keeps their shape. */
function normalise(detail: string): string {
  return detail
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\d+/g, '<n>')
    .slice(0, 160);
}

/** Shortens what would flood a report (long strings, deep JSON), keeping enough to rebuild it. */
export function summarise(value: unknown, depth = 0): unknown {
  if (isDeepJson(value)) return `<JSON nested ${value.__fuzzDeepJson.depth} levels deep: ${value.__fuzzDeepJson.asArray ? '[[[…]]]' : '{"a":{"a":…}}'}>`;
  if (typeof value === 'string') return value.length > 120 ? `${value.slice(0, 40)}…(${value.length} chars, ${JSON.stringify(value.slice(-5))} at the end)` : value;
  if (depth > 8) return `<${toRequestBody(value).length} characters of nested JSON>`;
  if (Array.isArray(value)) return value.length > 12 ? [...value.slice(0, 3).map((item) => summarise(item, depth + 1)), `…${value.length} items`] : value.map((item) => summarise(item, depth + 1));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const shown = entries.slice(0, 20).map(([key, item]) => [key, summarise(item, depth + 1)]);
    return Object.fromEntries(entries.length > 20 ? [...shown, ['…', `${entries.length} keys`]] : shown);
  }
  return value;
}

/**
 * Makes a failing call smaller: drops optional variables and input fields one at a time while the call
 * still fails the same way. The result is the minimal reproducing request of the report.
 */
async function minimise(environment: FuzzEnvironment, call: GeneratedCall, kind: FailureKind): Promise<Record<string, unknown>> {
  let current = structuredClone(call.variables);
  const stillFails = async (candidate: Record<string, unknown>) => (await execute(environment, { ...call, variables: candidate })).problems.some((problem) => problem.kind === kind);
  const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || isDeepJson(value)) return [];
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...paths(item, [...prefix, key])]);
  };
  let budget = 40;
  for (const path of paths(current)) {
    if (budget-- <= 0) break;
    const candidate = structuredClone(current);
    let holder: Record<string | number, unknown> = candidate;
    for (const key of path.slice(0, -1)) holder = (holder?.[key] ?? null) as Record<string | number, unknown>;
    if (!holder || !(path[path.length - 1] in holder)) continue;
    delete holder[path[path.length - 1]];
    if (await stillFails(candidate)) current = candidate;
  }
  return current;
}

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

/** The property: `config.runs` generated calls from `config.seed`, every one checked; failures collected, then minimised. */
export async function runFuzz(environment: FuzzEnvironment, config: FuzzConfig): Promise<FuzzReport> {
  const started = Date.now();
  const report: FuzzReport = {
    seed: config.seed,
    runs: config.runs,
    calls: 0,
    durationMs: 0,
    perOperation: {},
    perRole: {},
    perMalformation: {},
    codes: {},
    messages: {},
    statuses: {},
    internal: 0,
    acceptedMutations: 0,
    acceptedPerOperation: {},
    refusedMutations: 0,
    writeChecks: 0,
    writeChecksSkipped: 0,
    relogins: 0,
    failures: [],
  };
  const failures = new Map<string, Failure & { call: GeneratedCall }>();
  await fc.assert(
    fc.asyncProperty(callArbitrary(environment), async (call) => {
      const outcome = await execute(environment, call);
      report.calls += 1;
      bump(report.perOperation, call.operation.field);
      bump(report.perRole, call.role.name);
      if (call.malformation) bump(report.perMalformation, call.malformation);
      bump(report.statuses, String(outcome.answer.status));
      for (const error of outcome.answer.body?.errors ?? []) {
        bump(report.codes, String(error.extensions?.code ?? 'NO_CODE'));
        bump(report.messages, `${call.operation.field}: ${String(error.extensions?.code ?? 'NO_CODE')}: ${normalise(error.message).slice(0, 100)}`);
      }
      if (!outcome.answer.body?.errors?.length) bump(report.codes, 'none (answered without errors)');
      if (outcome.refused === true) report.refusedMutations += 1;
      if (outcome.refused === false) {
        report.acceptedMutations += 1;
        bump(report.acceptedPerOperation, call.operation.field);
      }
      if (outcome.writeChecked === true) report.writeChecks += 1;
      if (outcome.writeChecked === false) report.writeChecksSkipped += 1;
      for (const problem of outcome.problems) {
        if (problem.kind === 'internal-error') report.internal += 1;
        const signature = `${problem.kind}|${call.operation.field}|${call.malformation}|${normalise(problem.detail)}`;
        const known = failures.get(signature);
        if (known) known.occurrences += 1;
        else failures.set(signature, { kind: problem.kind, operation: call.operation.field, role: call.role.name, status: outcome.answer.status, detail: problem.detail.slice(0, 400), query: call.malformation ? `request body: ${requestShape(call.operation.document, call.variables, call.malformation, call.cut).body.slice(0, 600)}` : call.operation.document, variables: call.variables, malformation: call.malformation, occurrences: 1, call });
      }
    }),
    { numRuns: config.runs, seed: config.seed, endOnFailure: true },
  );
  for (const failure of failures.values()) {
    const minimal = await minimise(environment, failure.call, failure.kind);
    report.failures.push({ ...failure, variables: summarise(minimal) as Record<string, unknown>, call: undefined } as Failure);
  }
  report.failures.forEach((failure) => delete (failure as Partial<Failure & { call: unknown }>).call);
  report.relogins = environment.relogins;
  report.durationMs = Date.now() - started;
  if (config.reportFile) writeFileSync(config.reportFile, JSON.stringify(report, null, 2));
  return report;
}

/** The failures as a readable list: what broke, as whom, and the smallest request that shows it. */
export function describeFailures(report: FuzzReport): string {
  return report.failures
    .map(
      (failure, i) =>
        `${i + 1}. ${failure.kind} in ${failure.operation} as ${failure.role}${failure.malformation ? `, request broken: ${failure.malformation}` : ''} (HTTP ${failure.status}, ${failure.occurrences}× in this run): ${failure.detail}\n` +
        `   query: ${failure.query}\n   variables: ${JSON.stringify(failure.variables)}`,
    )
    .join('\n');
}
