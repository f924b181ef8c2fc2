import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export type SubgraphListing = { name: string; schema: string; url: string };

const GATEWAY_ROOT = join(__dirname, '..');
export { SUPERGRAPH_PATH } from './supergraph-path';

export function readSubgraphListing(): SubgraphListing[] {
  const listing = JSON.parse(readFileSync(join(GATEWAY_ROOT, 'subgraphs.json'), 'utf8')) as { subgraphs: SubgraphListing[] };
  return listing.subgraphs;
}

export type CompositionResult = { supergraphSdl: string; errors: null } | { supergraphSdl: null; errors: string[] };

/** Composes the committed subgraph SDLs into the supergraph the gateway starts from. */
export function composeSupergraph(subgraphs: SubgraphListing[] = readSubgraphListing()): CompositionResult {
  const result = composeServices(
    subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.url, typeDefs: parse(readFileSync(resolve(GATEWAY_ROOT, subgraph.schema), 'utf8')) })),
  );
  if (result.errors?.length) return { supergraphSdl: null, errors: result.errors.map((error) => error.message) };
  return { supergraphSdl: result.supergraphSdl!, errors: null };
}
