import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFederatedSchema } from '@kartoteka/kit';
import { counterpartiesSubgraph } from '../subgraph';

buildFederatedSchema(counterpartiesSubgraph()).then(
  ({ sdl }) => {
    writeFileSync(join(__dirname, '..', '..', 'schema.graphql'), `${sdl}\n`);
    console.log('schema.graphql written');
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
