import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode } from '@apollo/query-planner';
import { parse } from 'graphql';

let planner: { supergraph: Supergraph; planner: QueryPlanner } | null = null;

/** How many fetches the gateway's plan for `query` makes to each subgraph (the committed supergraph). */
export function fetchesPerSubgraph(query: string): Record<string, number> {
  if (!planner) {
    const supergraph = Supergraph.build(readFileSync(join(__dirname, '..', '..', '..', 'gateway', 'supergraph.graphql'), 'utf8'));
    planner = { supergraph, planner: new QueryPlanner(supergraph) };
  }
  const operation = operationFromDocument(planner.supergraph.schema, parse(query));
  const counts: Record<string, number> = {};
  const visit = (node: PlanNode | undefined): void => {
    if (!node) return;
    switch (node.kind) {
      case 'Fetch':
        counts[node.serviceName] = (counts[node.serviceName] ?? 0) + 1;
        return;
      case 'Flatten':
        visit(node.node);
        return;
      case 'Sequence':
      case 'Parallel':
        node.nodes.forEach(visit);
        return;
      default:
        throw new Error(`unexpected plan node ${node.kind}`);
    }
  };
  const root = planner.planner.buildQueryPlan(operation).node;
  if (root?.kind === 'Subscription') throw new Error('subscriptions are not planned here');
  visit(root);
  return counts;
}
