import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  isObjectType,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** `Type.field` → the subgraphs that resolve it, read from the supergraph's join directives. */
export type FieldOwners = Map<string, Set<string>>;

function argument(directive: { arguments?: readonly { name: { value: string }; value: { kind: string; value?: unknown } }[] }, name: string): unknown {
  return directive.arguments?.find((arg) => arg.name.value === name)?.value.value;
}

export function fieldOwnersOf(supergraphSdl: string): FieldOwners {
  const document = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === 'join__graph');
        if (graph) graphNames.set(value.name.value, String(argument(graph, 'name')));
      }
    }
  }
  const owners: FieldOwners = new Map();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const typeGraphs = (definition.directives ?? []).filter((d) => d.name.value === 'join__type').map((d) => graphNames.get(String(argument(d, 'graph'))) ?? '');
    for (const field of definition.fields ?? []) {
      const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field' && argument(d, 'external') !== true && argument(d, 'graph') !== undefined);
      const graphs = joins.length ? joins.map((d) => graphNames.get(String(argument(d, 'graph'))) ?? '') : typeGraphs;
      owners.set(`${definition.name.value}.${field.name.value}`, new Set(graphs));
    }
  }
  return owners;
}

type Path = (string | number)[];

/**
 * The response paths that are null because `service` did not answer: fields only that service resolves,
 * found by walking the operation over the data (the topmost such null on each branch).
 */
export function unavailablePaths(schema: GraphQLSchema, operation: DocumentNode, operationName: string | undefined, data: unknown, service: string, owners: FieldOwners): Path[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of operation.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const op = operation.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName));
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) return [];
  const root = op.operation === 'query' ? schema.getQueryType() : op.operation === 'mutation' ? schema.getMutationType() : null;
  if (!root) return [];
  const found: Path[] = [];

  const visitValue = (value: unknown, type: GraphQLObjectType, selectionSet: SelectionSetNode, path: Path): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visitValue(item, type, selectionSet, [...path, index]));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    visitSelections(value as Record<string, unknown>, type, selectionSet, path);
  };

  const visitSelections = (object: Record<string, unknown>, type: GraphQLObjectType, selectionSet: SelectionSetNode, path: Path): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (!(key in object)) continue;
        const value = object[key];
        const fieldOwners = owners.get(`${type.name}.${selection.name.value}`);
        if (value === null && fieldOwners?.size === 1 && fieldOwners.has(service)) {
          found.push([...path, key]);
          continue;
        }
        const fieldType = type.getFields()[selection.name.value]?.type;
        const named = fieldType ? getNamedType(fieldType) : null;
        if (selection.selectionSet && named && isObjectType(named)) visitValue(value, named, selection.selectionSet, [...path, key]);
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (condition && isObjectType(condition) && condition.name === type.name) visitSelections(object, type, fragment.selectionSet, path);
      }
    }
  };

  visitValue(data, root, op.selectionSet, []);
  return found;
}

/** Gives each SERVICE_UNAVAILABLE error the paths of the fields that are missing because of it. */
export function unavailablePathsPlugin(ownersNow: () => FieldOwners | null): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, schema, document, operationName }) {
          if (response.body.kind !== 'single' || !document) return;
          const result = response.body.singleResult;
          if (!result.errors?.some((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE' && !error.path)) return;
          const owners = ownersNow();
          if (!owners) return;
          result.errors = result.errors.flatMap((error): GraphQLFormattedError[] => {
            if (error.extensions?.code !== 'SERVICE_UNAVAILABLE' || error.path) return [error];
            const paths = unavailablePaths(schema, document, operationName ?? undefined, result.data, String(error.extensions.service), owners);
            return paths.length ? paths.map((path) => ({ ...error, path })) : [error];
          });
        },
      };
    },
  };
}
