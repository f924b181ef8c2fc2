import 'reflect-metadata';
import { inTransaction, runCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { seedIdentity } from '../seed/identity.seed';
import { identitySubgraph } from '../subgraph';

const config = loadConfig();
runCli(() => inTransaction(identitySubgraph(config), config.databaseUrl, (em) => seedIdentity(em, { demo: config.demo, bootstrapAdmin: config.bootstrapAdmin })));
