import { readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from '../composition';

// `compose` writes supergraph.graphql; `compose --check` fails when the committed file is stale.
const check = process.argv.includes('--check');
const result = composeSupergraph();
if (result.errors) {
  console.error(`Composition failed:\n- ${result.errors.join('\n- ')}`);
  process.exit(1);
}
if (check) {
  const committed = readFileSync(SUPERGRAPH_PATH, 'utf8');
  if (committed !== result.supergraphSdl) {
    console.error('supergraph.graphql is stale: run `pnpm compose` and commit it.');
    process.exit(1);
  }
  console.log('supergraph.graphql is up to date.');
} else {
  writeFileSync(SUPERGRAPH_PATH, result.supergraphSdl);
  console.log(`Wrote ${SUPERGRAPH_PATH}`);
}
