import { readFileSync } from 'node:fs';
import { operationFromDocument, Supergraph, type Operation } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { SUPERGRAPH_PATH } from '../supergraph-path';

/**
 * @apollo/gateway's result shaping, as patched (patches/@apollo__gateway@2.14.4.patch): it keeps what it reads of
 * each selection set (response names, field types, @skip/@include) per selection set, so one operation serves
 * every request of a repeated document. These are the rules the shaping must keep, on the committed supergraph:
 * each request's own variables, aliases, fragments on union members, `__typename`, null bubbling up to the nearest
 * nullable field, and values the schema does not allow.
 */
type Shaped = { data: Record<string, unknown> | null | undefined; errors: { message: string; extensions?: { code?: string }; path?: (string | number)[] }[] };
// the module is internal to the package (no `exports` map): the patched file itself
const { computeResponse } = require('@apollo/gateway/dist/resultShaping') as {
  computeResponse: (args: { operation: Operation; variables: Record<string, unknown>; input: Record<string, unknown> | null | undefined; introspectionHandling: (selection: unknown) => unknown }) => Shaped;
};

const apiSchema = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8')).apiSchema();
const operationOf = (query: string) => operationFromDocument(apiSchema, parse(query), { validate: false });
const shape = (operation: Operation, input: Record<string, unknown> | null | undefined, variables: Record<string, unknown> = {}) =>
  computeResponse({ operation, variables, input, introspectionHandling: () => ({ introspected: true }) });

const QUERY = `query Card($id: ID!, $inn: Boolean = true, $withDocs: Boolean!) {
  counterparty(id: $id) {
    id
    title: name
    inn @include(if: $inn)
    shortName @skip(if: $inn)
    version
    documents(first: 2) @include(if: $withDocs) {
      totalCount
      edges { node { __typename id status details { kind: __typename ... on InvoiceDetails { dueDate } ... on ContractDetails { subject } } } }
    }
  }
}`;

/** What the subgraphs answered, merged: every field any variable could select, as the fetches bring them. */
function merged(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    counterparty: {
      __typename: 'Counterparty',
      id: 'c1',
      title: 'ООО «Ромашка»',
      inn: '7707083893',
      shortName: 'Ромашка',
      version: 3,
      documents: {
        totalCount: 2,
        edges: [
          { node: { __typename: 'Document', id: 'd1', status: 'SIGNED', details: { __typename: 'InvoiceDetails', dueDate: '2026-12-31', subject: 'not selected here' } } },
          { node: { __typename: 'Document', id: 'd2', status: 'DRAFT', details: { __typename: 'ContractDetails', subject: 'Поставка', dueDate: 'not selected here' } } },
        ],
      },
      ...overrides,
    },
  };
}

describe('result shaping (patched @apollo/gateway)', () => {
  it('keeps each request to its own variables when one operation serves them all, in the selection order', () => {
    const operation = operationOf(QUERY);
    for (let round = 0; round < 2; round += 1) {
      const all = shape(operation, merged(), { id: 'c1', withDocs: true });
      expect(all.errors).toEqual([]);
      expect(all.data).toEqual({
        counterparty: {
          id: 'c1',
          title: 'ООО «Ромашка»',
          inn: '7707083893',
          version: 3,
          documents: {
            totalCount: 2,
            edges: [
              { node: { __typename: 'Document', id: 'd1', status: 'SIGNED', details: { kind: 'InvoiceDetails', dueDate: '2026-12-31' } } },
              { node: { __typename: 'Document', id: 'd2', status: 'DRAFT', details: { kind: 'ContractDetails', subject: 'Поставка' } } },
            ],
          },
        },
      });
      expect(Object.keys((all.data!.counterparty as object))).toEqual(['id', 'title', 'inn', 'version', 'documents']);
      const other = shape(operation, merged(), { id: 'c1', inn: false, withDocs: false });
      expect(other).toEqual({ data: { counterparty: { id: 'c1', title: 'ООО «Ромашка»', shortName: 'Ромашка', version: 3 } }, errors: [] });
    }
  });

  it('turns a null non-null field into null up to the nearest nullable field, with an error at its path', () => {
    const operation = operationOf(QUERY);
    const nullStatus = merged();
    ((nullStatus.counterparty as { documents: { edges: { node: { status: unknown } }[] } }).documents.edges[1].node.status) = null;
    const result = shape(operation, nullStatus, { id: 'c1', withDocs: true });
    // edges: [DocumentEdge!]!, node: Document!: the null climbs to `documents`, the first nullable field above
    expect((result.data!.counterparty as { documents: unknown }).documents).toBeNull();
    expect((result.data!.counterparty as { title: unknown }).title).toBe('ООО «Ромашка»');
    expect(result.errors.map((error) => [error.message, error.path])).toEqual([['Cannot return null for non-nullable field Document.status.', ['counterparty', 'documents', 'edges', 1, 'node', 'status']]]);

    const nullName = shape(operation, merged({ title: null }), { id: 'c1', withDocs: false });
    expect(nullName.data).toEqual({ counterparty: null });
    expect(nullName.errors.map((error) => error.message)).toEqual(['Cannot return null for non-nullable field Counterparty.title.']);
  });

  it('refuses values the schema does not allow: a string as an Int, an unknown enum value, an unknown __typename', () => {
    const operation = operationOf(QUERY);
    const badVersion = shape(operation, merged({ version: 'three' }), { id: 'c1', withDocs: false });
    expect(badVersion.data).toEqual({ counterparty: null });
    expect(badVersion.errors.map((error) => error.message)).toEqual(['Invalid value found for field Counterparty.version.']);

    const badStatus = merged();
    ((badStatus.counterparty as { documents: { edges: { node: { status: unknown } }[] } }).documents.edges[0].node.status) = 'LOST';
    expect(shape(operation, badStatus, { id: 'c1', withDocs: true }).errors.map((error) => error.path)).toEqual([['counterparty', 'documents', 'edges', 0, 'node', 'status']]);

    const badType = merged();
    ((badType.counterparty as { documents: { edges: { node: { details: unknown } }[] } }).documents.edges[0].node.details) = { __typename: 'NoSuchDetails' };
    const answer = shape(operation, badType, { id: 'c1', withDocs: true });
    expect(answer.errors.map((error) => error.message)).toEqual(['Invalid __typename found for object at field Document.details.']);
    expect(((answer.data!.counterparty as { documents: { edges: { node: { details: unknown } }[] } }).documents.edges[0].node.details)).toBeNull();
  });

  it('answers a missing root with the input as it is, and introspection fields by the handler', () => {
    const operation = operationOf(QUERY);
    expect(shape(operation, null, { id: 'c1', withDocs: true })).toEqual({ data: null, errors: [] });
    const typename = operationOf('{ __typename __schema { queryType { name } } }');
    expect(shape(typename, {})).toEqual({ data: { __typename: 'Query', __schema: { introspected: true } }, errors: [] });
  });
});
