import 'reflect-metadata';
import { join } from 'node:path';
import { runCli, writeSubgraphSchema } from '@kartoteka/kit';

import { dealsSubgraph } from '../subgraph';

runCli(() => writeSubgraphSchema(dealsSubgraph(), join(__dirname, '..', '..')));
