import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, lexicographicSortSchema, printSchema, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

/**
 * Schema checks for teams that release subgraphs on their own (issue #13): the public API a supergraph exposes
 * is compared with the last released one (committed in gateway/schema/released.graphql). A breaking change — a
 * removed field, type or enum value, a tightened argument, a loosened result, a new required argument — fails the
 * check unless it is listed in gateway/schema/deliberate-changes.json with why, when it was announced (deprecated)
 * and from when it may go: never before its announced date. Every operation the portal sends is validated against
 * the new API as well.
 */
export const SCHEMA_DIR = join(__dirname, '..', 'schema');
export const RELEASED_PATH = join(SCHEMA_DIR, 'released.graphql');
export const DELIBERATE_PATH = join(SCHEMA_DIR, 'deliberate-changes.json');
export const CHANGELOG_PATH = join(SCHEMA_DIR, 'CHANGELOG.md');

/** A breaking change a release makes on purpose: after its deprecation was announced, from the date it may go. */
export type DeliberateChange = {
  /** The change as the check names it: `<TYPE> <path>`, e.g. `FIELD_REMOVED Query.apiKeys`. */
  change: string;
  reason: string;
  /** When clients were told (a deprecation, a changelog entry), YYYY-MM-DD. */
  announced: string;
  /** The first day the change may be released, YYYY-MM-DD; not before `announced`. */
  notBefore: string;
};

export type SchemaChange = { id: string; type: string; path: string; message: string; level: 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING' };

export type SchemaCheckResult = {
  changes: SchemaChange[];
  /** Breaking changes not covered by a valid deliberate entry. */
  refused: { change: SchemaChange; why: string }[];
  /** Deliberate entries that match no change (stale, or misspelt). */
  unused: DeliberateChange[];
};

/** The API schema clients see (no federation machinery), printed in a stable order. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return lexicographicSortSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema());
}

export const printApiSchema = (schema: GraphQLSchema): string => `${printSchema(schema)}\n`;

const LEVELS: Record<CriticalityLevel, SchemaChange['level']> = {
  [CriticalityLevel.Breaking]: 'BREAKING',
  [CriticalityLevel.Dangerous]: 'DANGEROUS',
  [CriticalityLevel.NonBreaking]: 'NON_BREAKING',
};

const toSchemaChange = (change: Change): SchemaChange => ({
  id: `${change.type} ${change.path ?? ''}`.trim(),
  type: change.type,
  path: change.path ?? '',
  message: change.message,
  level: LEVELS[change.criticality.level],
});

const isDay = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** Compares the API of `next` with the released one; `today` (YYYY-MM-DD) decides which deliberate changes are due. */
export async function checkSchema(released: GraphQLSchema, next: GraphQLSchema, deliberate: readonly DeliberateChange[], today: string): Promise<SchemaCheckResult> {
  const changes = (await diff(released, next)).map(toSchemaChange);
  const refused: SchemaCheckResult['refused'] = [];
  const used = new Set<DeliberateChange>();
  for (const change of changes.filter((candidate) => candidate.level === 'BREAKING')) {
    const entry = deliberate.find((candidate) => candidate.change === change.id);
    if (!entry) {
      refused.push({ change, why: 'breaking, and not listed in gateway/schema/deliberate-changes.json' });
      continue;
    }
    used.add(entry);
    if (!entry.reason?.trim()) refused.push({ change, why: 'listed without a reason' });
    else if (!isDay(entry.announced) || !isDay(entry.notBefore)) refused.push({ change, why: 'listed without valid dates (announced, notBefore: YYYY-MM-DD)' });
    else if (entry.notBefore < entry.announced) refused.push({ change, why: `notBefore ${entry.notBefore} is before it was announced (${entry.announced})` });
    else if (today < entry.notBefore) refused.push({ change, why: `announced for ${entry.notBefore}: too early (today is ${today})` });
  }
  return { changes, refused, unused: deliberate.filter((entry) => !used.has(entry)) };
}

/** Validates operations (the portal's, partner examples) against an API schema: `name: message` per error. */
export function validateOperations(schema: GraphQLSchema, operations: readonly { name: string; document: DocumentNode }[]): string[] {
  return operations.flatMap(({ name, document }) => validate(schema, document).map((error) => `${name}: ${error.message}`));
}

export function readReleased(): GraphQLSchema {
  return buildSchema(readFileSync(RELEASED_PATH, 'utf8'));
}

export function readDeliberate(): DeliberateChange[] {
  return JSON.parse(readFileSync(DELIBERATE_PATH, 'utf8')) as DeliberateChange[];
}

/** A changelog entry for a release: its date and its changes, breaking ones first. */
export function changelogEntry(day: string, changes: readonly SchemaChange[], deliberate: readonly DeliberateChange[]): string {
  const order: SchemaChange['level'][] = ['BREAKING', 'DANGEROUS', 'NON_BREAKING'];
  const heading: Record<SchemaChange['level'], string> = { BREAKING: 'Breaking', DANGEROUS: 'Dangerous', NON_BREAKING: 'Added and compatible' };
  const lines = [`## ${day}`, ''];
  // a changed description is no change of the API's contract: counted, not listed
  const described = changes.filter((change) => change.type.includes('DESCRIPTION'));
  const listed = changes.filter((change) => !change.type.includes('DESCRIPTION'));
  if (!listed.length) lines.push(described.length ? `Descriptions only (${described.length}).` : 'No change to the API.', '');
  for (const level of order) {
    const group = listed.filter((change) => change.level === level);
    if (!group.length) continue;
    lines.push(`### ${heading[level]}`, '');
    for (const change of group) {
      const entry = deliberate.find((candidate) => candidate.change === change.id);
      lines.push(`- ${change.message}${entry ? ` — ${entry.reason} (announced ${entry.announced})` : ''}`);
    }
    lines.push('');
  }
  if (listed.length && described.length) lines.push(`And ${described.length} description change(s).`, '');
  return lines.join('\n');
}
