import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/** One root field of the public API, ready to be called with generated variables. */
export type ApiOperation = {
  kind: 'query' | 'mutation';
  /** The root field, e.g. `createDocument`. */
  field: string;
  /** The subgraph that resolves the root field (from the supergraph's `@join__field`). */
  subgraph: string;
  args: readonly GraphQLArgument[];
  /** `mutation Fuzz($input: CreateDocumentInput!) { createDocument(input: $input) { id title … } }` */
  document: string;
};

export const SUPERGRAPH_PATH = join(__dirname, '../../../gateway/supergraph.graphql');

/** Federation internals that the gateway never exposes to clients. */
const FEDERATION_INTERNALS = new Set(['_entities', '_service']);

/**
 * The API schema clients see: the committed supergraph with the join/link machinery and anything
 * `@inaccessible` removed, exactly as the gateway derives it (Apollo's own `Supergraph.apiSchema`).
 */
export function loadApiSchema(path = SUPERGRAPH_PATH): { schema: GraphQLSchema; sdl: string } {
  const sdl = readFileSync(path, 'utf8');
  return { schema: Supergraph.build(sdl).apiSchema().toGraphQLJSSchema(), sdl };
}

/** `Query.createDocument` → `documents`, read from the `@join__field(graph: DOCUMENTS)` of the supergraph. */
function rootFieldSubgraphs(sdl: string): Map<string, string> {
  const owners = new Map<string, string>();
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || !['Query', 'Mutation'].includes(definition.name.value)) continue;
    for (const field of definition.fields ?? []) {
      const join = field.directives?.find((directive) => directive.name.value === 'join__field');
      const graph = join?.arguments?.find((argument) => argument.name.value === 'graph')?.value;
      if (graph?.kind === Kind.ENUM) owners.set(`${definition.name.value}.${field.name.value}`, graph.value.toLowerCase());
    }
  }
  return owners;
}

/** Fields a shallow selection may descend into: the connection plumbing, so list items get resolved too. */
const DESCEND_INTO = new Set(['edges', 'node', 'pageInfo']);

function callableWithoutArguments(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.every((argument) => !isNonNullType(argument.type) || argument.defaultValue !== undefined);
}

/**
 * A shallow selection: `id` and every scalar or enum field that needs no argument; through connections
 * (`edges { cursor node { … } } pageInfo { … }`) one level down, so the items of a list are resolved too.
 */
export function shallowSelection(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isUnionType(named) || isInterfaceType(named)) return '{ __typename }';
  if (!isObjectType(named)) return '';
  const parts: string[] = [];
  for (const field of Object.values(named.getFields())) {
    if (!callableWithoutArguments(field)) continue;
    const fieldType = getNamedType(field.type);
    if (isLeafType(fieldType)) parts.push(field.name);
    else if (depth < 3 && DESCEND_INTO.has(field.name)) parts.push(`${field.name} ${shallowSelection(field.type, depth + 1)}`);
  }
  return `{ ${parts.length ? parts.join(' ') : '__typename'} }`;
}

/**
 * A variable may be omitted when its argument is nullable or has a default; a non-null argument with a
 * default is declared nullable so that omitting it means "use the default" (GraphQL's allowed usage).
 */
function variableType(argument: GraphQLArgument): string {
  if (isNonNullType(argument.type) && argument.defaultValue !== undefined) return String(argument.type.ofType);
  return String(argument.type);
}

/** Every query and mutation of the public API, with its document (all arguments as variables). */
export function apiOperations(schema: GraphQLSchema, sdl: string): ApiOperation[] {
  const owners = rootFieldSubgraphs(sdl);
  const operations: ApiOperation[] = [];
  for (const [kind, root] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      if (FEDERATION_INTERNALS.has(field.name)) continue;
      const variables = field.args.map((argument) => `$${argument.name}: ${variableType(argument)}`).join(', ');
      const args = field.args.map((argument) => `${argument.name}: $${argument.name}`).join(', ');
      const document = `${kind} Fuzz${variables ? `(${variables})` : ''} { ${field.name}${args ? `(${args})` : ''} ${shallowSelection(field.type)} }`;
      operations.push({ kind, field: field.name, subgraph: owners.get(`${kind === 'query' ? 'Query' : 'Mutation'}.${field.name}`) ?? 'unknown', args: field.args, document });
    }
  }
  return operations;
}
