import fc from 'fast-check';
import { toRequestBody } from './api-arbitraries';

/**
 * Ways a hostile client breaks the request itself rather than its values: the gateway must answer each with
 * a 4xx and a typed code (or a plain 4xx), never 500. Applied to a small share of the generated calls.
 */
export const MALFORMATIONS = [
  'truncated-query',
  'two-operations-without-name',
  'unknown-operation-name',
  'operation-name-not-a-string',
  'variables-not-an-object',
  'query-not-a-string',
  'subscription',
  'many-aliases',
  'huge-query',
  'not-json',
  'text-plain',
  'empty-body',
] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

export type RequestShape = { body: string; contentType: string };

/** The request of a call: well-formed, or broken the given way. `cut` picks where a query is truncated. */
export function requestShape(query: string, variables: Record<string, unknown>, malformation: Malformation | null, cut = 0.5): RequestShape {
  const json = (value: unknown): RequestShape => ({ body: toRequestBody(value), contentType: 'application/json' });
  switch (malformation) {
    case null:
      return json({ query, variables, operationName: 'Fuzz' });
    case 'truncated-query':
      return json({ query: query.slice(0, Math.max(1, Math.floor(query.length * cut))), variables, operationName: 'Fuzz' });
    case 'two-operations-without-name':
      return json({ query: `${query} query Other { me { id } }`, variables });
    case 'unknown-operation-name':
      return json({ query, variables, operationName: 'NoSuchOperation' });
    case 'operation-name-not-a-string':
      return json({ query, variables, operationName: { name: 'Fuzz' } });
    case 'variables-not-an-object':
      return json({ query, variables: '{"first": 1}', operationName: 'Fuzz' });
    case 'query-not-a-string':
      return json({ query: [query], variables, operationName: 'Fuzz' });
    case 'subscription':
      return json({ query: query.replace(/^(query|mutation)/, 'subscription'), variables, operationName: 'Fuzz' });
    case 'many-aliases': {
      const body = query.slice(query.indexOf('{') + 1, query.lastIndexOf('}'));
      const head = query.slice(0, query.indexOf('{'));
      return json({ query: `${head}{ ${Array.from({ length: 60 }, (_, i) => `a${i}: ${body.trim()}`).join(' ')} }`, variables, operationName: 'Fuzz' });
    }
    case 'huge-query':
      return json({ query: `${query.slice(0, query.lastIndexOf('}'))} ${'__typename '.repeat(20_000)}}`, variables, operationName: 'Fuzz' });
    case 'not-json':
      return { body: `{"query": ${JSON.stringify(query)}, "variables": {`, contentType: 'application/json' };
    case 'text-plain':
      return { body: JSON.stringify({ query, variables, operationName: 'Fuzz' }), contentType: 'text/plain' };
    case 'empty-body':
      return { body: '', contentType: 'application/json' };
  }
}

/** Mostly none; one call in twenty broken in one of the ways above. */
export const malformationArbitrary: fc.Arbitrary<{ malformation: Malformation | null; cut: number }> = fc.record({
  malformation: fc.oneof({ weight: 19, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...MALFORMATIONS) }),
  cut: fc.double({ min: 0, max: 1, noNaN: true }),
});
