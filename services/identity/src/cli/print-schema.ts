import 'reflect-metadata';
import { join } from 'node:path';
import { runCli, writeSubgraphSchema } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { identitySubgraph } from '../subgraph';

runCli(() => writeSubgraphSchema(identitySubgraph(loadConfig()), join(__dirname, '..', '..')));
