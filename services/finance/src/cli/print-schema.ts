import 'reflect-metadata';
import { join } from 'node:path';
import { runCli, writeSubgraphSchema } from '@kartoteka/kit';

import { financeSubgraph } from '../subgraph';

runCli(() => writeSubgraphSchema(financeSubgraph(), join(__dirname, '..', '..')));
