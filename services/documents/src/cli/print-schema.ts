import 'reflect-metadata';
import { join } from 'node:path';
import { runCli, writeSubgraphSchema } from '@kartoteka/kit';

import { documentsSubgraph } from '../subgraph';

runCli(() => writeSubgraphSchema(documentsSubgraph(), join(__dirname, '..', '..')));
