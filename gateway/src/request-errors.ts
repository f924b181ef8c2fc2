import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import type { GatewayContext } from './gateway-context';

/**
 * Codes that mean "the request itself is malformed": whatever the stage that noticed it, the answer is HTTP
 * 400, never 500.
 */
export const REQUEST_ERROR_CODES = new Set(['BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_USER_INPUT']);

/**
 * Variables nest at most this deep (a mutation's input object, its JSON fields at their own limit of 32
 * levels, some room): deeper values are refused before anything walks them recursively.
 */
export const MAX_VARIABLES_DEPTH = 64;

function requestError(code: string, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code, http: { status: 400 } } });
}

/** The first variable nested deeper than `maxDepth` (the variables object is depth 0), iteratively. */
export function tooDeepVariable(variables: Record<string, unknown>, maxDepth = MAX_VARIABLES_DEPTH): string | null {
  for (const [name, value] of Object.entries(variables)) {
    const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
    while (stack.length) {
      const item = stack.pop()!;
      if (item.value === null || typeof item.value !== 'object') continue;
      if (item.depth > maxDepth) return name;
      for (const child of Object.values(item.value as Record<string, unknown>)) stack.push({ value: child, depth: item.depth + 1 });
    }
  }
  return null;
}

function operationCount(document: DocumentNode): number {
  return document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
}

/**
 * Turns requests the gateway cannot run into typed 400 answers before execution (where @apollo/gateway would
 * throw untyped errors, answered as 500): several operations and no `operationName`, an unknown
 * `operationName`, a subscription (not served over HTTP), variables nested beyond MAX_VARIABLES_DEPTH. And a
 * last safety net: a response whose errors are all request errors (BAD_REQUEST, GRAPHQL_*…) never goes out as
 * 5xx.
 */
export function requestErrorsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, document }) {
          if (!operation) {
            if (request.operationName) throw requestError('OPERATION_RESOLUTION_FAILURE', `Unknown operation named "${request.operationName}"`);
            if (operationCount(document) > 1) throw requestError('OPERATION_RESOLUTION_FAILURE', 'Must provide operationName if the query contains several operations');
            throw requestError('OPERATION_RESOLUTION_FAILURE', 'The query contains no operation to run');
          }
          if (operation.operation === 'subscription') throw requestError('BAD_REQUEST', 'Subscriptions are not served over HTTP; use a query or a mutation');
          const tooDeep = request.variables ? tooDeepVariable(request.variables) : null;
          if (tooDeep) throw requestError('BAD_USER_INPUT', `Variable $${tooDeep} is nested too deeply (at most ${MAX_VARIABLES_DEPTH} levels)`, { field: tooDeep });
        },
        async willSendResponse({ response }) {
          const status = response.http.status ?? 200;
          if (status < 500 || response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          if (errors.length && errors.every((error) => REQUEST_ERROR_CODES.has(String(error.extensions?.code)))) response.http.status = 400;
        },
      };
    },
  };
}
