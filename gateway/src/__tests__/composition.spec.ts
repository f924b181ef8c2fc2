import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeSupergraph, readSubgraphListing, SUPERGRAPH_PATH } from '../composition';

describe('supergraph composition', () => {
  it('composes the committed subgraph SDLs without errors', () => {
    const result = composeSupergraph();
    expect(result.errors).toBeNull();
    expect(result.supergraphSdl).toContain('type Counterparty');
  });

  it('matches the committed supergraph.graphql (a subgraph change must be recomposed and committed)', () => {
    const result = composeSupergraph();
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(result.supergraphSdl);
  });

  it('fails when a subgraph breaks the contract (a conflicting shared type)', () => {
    const listing = readSubgraphListing();
    const documents = listing.find((subgraph) => subgraph.name === 'documents')!;
    const sdl = readFileSync(resolve(__dirname, '..', '..', documents.schema), 'utf8');
    // Money is @shareable in documents and deals: a changed field type cannot compose.
    const brokenSdl = sdl.replace(/(type Money[^{]*\{[^}]*currency: )String!/, '$1Int!');
    expect(brokenSdl).not.toBe(sdl);
    const path = join(mkdtempSync(join(tmpdir(), 'sdl-')), 'documents.graphql');
    writeFileSync(path, brokenSdl);
    const result = composeSupergraph(listing.map((subgraph) => (subgraph.name === 'documents' ? { ...subgraph, schema: path } : subgraph)));
    expect(result.errors).not.toBeNull();
    expect(result.errors!.join('\n')).toMatch(/Money\.currency/);
  });
});
