import { join } from 'node:path';

/**
 * Where the committed supergraph lives. Kept apart from composition.ts so that the running gateway does not
 * load the composition library (only `pnpm compose` needs it).
 */
export const SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');
