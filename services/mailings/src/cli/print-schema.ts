import 'reflect-metadata';
import { join } from 'node:path';
import { runCli, writeSubgraphSchema } from '@kartoteka/kit';

import { mailingsSubgraph } from '../subgraph';

runCli(() => writeSubgraphSchema(mailingsSubgraph(), join(__dirname, '..', '..')));
