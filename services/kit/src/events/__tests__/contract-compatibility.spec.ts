import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as contracts from '../contracts';
import type { EventContract } from '../contracts';

/**
 * Event contracts change only additively (issue #13): services are deployed one at a time, so an old consumer
 * meets new events and a new consumer meets old ones. Against the contracts as released
 * (`contracts.released.json`, one entry per topic with its version):
 * - a topic is never removed, nor a property, nor an enum value, and a property keeps its type and nullability;
 * - the required properties stay exactly the same: a new property is optional (an old producer does not send it),
 *   and a released required one stays required (an old consumer relies on it);
 * - a new enum value is listed as added (old consumers park it until they are updated: deploy consumers first).
 * A change that cannot be additive is a new topic (`….v2`), published beside the old one until every consumer moved.
 * Consumers tolerate unknown fields: no schema forbids additional properties.
 * After an additive change, `UPDATE_EVENT_CONTRACTS=1` rewrites the released file (review its diff); it never records
 * an incompatible one.
 */
const RELEASED_PATH = join(__dirname, '..', 'contracts', 'contracts.released.json');

type PropertyShape = { type: string; nullable: boolean; enum?: string[] };
type TopicShape = { version: number; required: string[]; properties: Record<string, PropertyShape> };

const isContract = (value: unknown): value is EventContract<unknown> => typeof value === 'object' && value !== null && 'topics' in value && 'parse' in value && 'schema' in value;
const allContracts = (): EventContract<unknown>[] => (Object.values(contracts) as unknown[]).filter(isContract);

const typeOf = (schema: Record<string, unknown>): string => {
  if (Array.isArray(schema.type)) return [...(schema.type as string[])].sort().join('|');
  if (typeof schema.type === 'string') return schema.type === 'array' ? `array<${typeOf((schema.items ?? {}) as Record<string, unknown>)}>` : schema.type;
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) return 'union';
  return 'any';
};

function shapeOf(schema: Record<string, unknown>, version: number): TopicShape {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return {
    version,
    required: [...((schema.required as string[] | undefined) ?? [])].sort(),
    properties: Object.fromEntries(
      Object.entries(properties)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, property]) => [
          name,
          { type: typeOf(property), nullable: property.nullable === true, ...(Array.isArray(property.enum) ? { enum: [...(property.enum as string[])].sort() } : {}) },
        ]),
    ),
  };
}

/** Every topic's shape now; a topic's version stays the released one (a breaking change is a new topic). */
function currentShapes(released: Record<string, TopicShape>): Record<string, TopicShape> {
  const shapes: Record<string, TopicShape> = {};
  for (const contract of allContracts()) {
    for (const topic of contract.topics) shapes[topic] = shapeOf(contract.schema, released[topic]?.version ?? 1);
  }
  return Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b)));
}

function incompatibilities(released: Record<string, TopicShape>, now: Record<string, TopicShape>): string[] {
  const problems: string[] = [];
  for (const [topic, before] of Object.entries(released)) {
    const after = now[topic];
    if (!after) {
      problems.push(`${topic}: the topic is gone`);
      continue;
    }
    const added = after.required.filter((name) => !before.required.includes(name));
    const dropped = before.required.filter((name) => !after.required.includes(name));
    if (added.length) problems.push(`${topic}: newly required ${added.join(', ')} (a new property must be optional)`);
    if (dropped.length) problems.push(`${topic}: no longer required ${dropped.join(', ')} (old consumers rely on it)`);
    for (const [name, property] of Object.entries(before.properties)) {
      const next = after.properties[name];
      if (!next) problems.push(`${topic}: property ${name} removed`);
      else if (next.type !== property.type) problems.push(`${topic}: property ${name} changed type ${property.type} → ${next.type}`);
      else if (next.nullable !== property.nullable) problems.push(`${topic}: property ${name} ${next.nullable ? 'became nullable' : 'is no longer nullable'}`);
      else if (property.enum && next.enum && property.enum.some((value) => !next.enum!.includes(value))) problems.push(`${topic}: property ${name} lost enum values ${property.enum.filter((value) => !next.enum!.includes(value)).join(', ')}`);
    }
  }
  return problems;
}

/** Object schemas inside a schema that forbid properties they do not list. */
function closedObjects(schema: unknown, path = 'payload'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const here = node.additionalProperties === false ? [path] : [];
  const properties = Object.entries((node.properties ?? {}) as Record<string, unknown>).flatMap(([name, inner]) => closedObjects(inner, `${path}.${name}`));
  return [...here, ...properties, ...closedObjects(node.items, `${path}[]`)];
}

describe('event contracts', () => {
  const released = JSON.parse(readFileSync(RELEASED_PATH, 'utf8')) as Record<string, TopicShape>;
  const now = currentShapes(released);

  it('change only additively against the released contracts', () => {
    expect(incompatibilities(released, now)).toEqual([]);
    // only an additive change is ever recorded
    if (process.env.UPDATE_EVENT_CONTRACTS === '1') writeFileSync(RELEASED_PATH, `${JSON.stringify(now, null, 2)}\n`);
    // every topic published today is in the released file: a new topic is recorded with its first version
    expect(Object.keys(now).filter((topic) => !released[topic])).toEqual([]);
  });

  it("compile under ajv's strict mode (each schema is compiled at its first event: a broken one fails here)", () => {
    const broken = allContracts().flatMap((contract) => {
      try {
        contract.parse({ payload: {} });
        return [];
      } catch (error) {
        return [`${contract.topics.join(',')}: ${(error as Error).message}`];
      }
    });
    expect(allContracts().length).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });

  it('let consumers accept fields they do not know', () => {
    expect(allContracts().flatMap((contract) => closedObjects(contract.schema).map((path) => `${contract.topics.join(',')}: ${path}`))).toEqual([]);
  });

  it('refuse a removed property, a newly required one and a lost enum value', () => {
    const before: Record<string, TopicShape> = {
      't.x': { version: 1, required: ['id'], properties: { id: { type: 'string', nullable: false }, kind: { type: 'string', nullable: false, enum: ['A', 'B'] }, note: { type: 'string', nullable: true } } },
    };
    const after: Record<string, TopicShape> = {
      't.x': { version: 1, required: ['id', 'size'], properties: { id: { type: 'string', nullable: false }, kind: { type: 'string', nullable: false, enum: ['A', 'C'] }, size: { type: 'integer', nullable: false } } },
    };
    expect(incompatibilities(before, after)).toEqual(['t.x: newly required size (a new property must be optional)', 't.x: property kind lost enum values B', 't.x: property note removed']);
    expect(incompatibilities(before, {})).toEqual(['t.x: the topic is gone']);
  });
});
