import 'reflect-metadata';
import { join } from 'node:path';
import { runCli, writeSubgraphSchema } from '@kartoteka/kit';

import { counterpartiesSubgraph } from '../subgraph';

runCli(() => writeSubgraphSchema(counterpartiesSubgraph(), join(__dirname, '..', '..')));
