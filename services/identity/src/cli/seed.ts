import 'reflect-metadata';
import { inTransaction, runSeedCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { seedIdentity } from '../seed/identity.seed';
import { identitySubgraph } from '../subgraph';

const config = loadConfig();
runSeedCli(identitySubgraph(config), config.databaseUrl, () =>
  inTransaction(identitySubgraph(config), config.databaseUrl, (em) => seedIdentity(em, { demo: config.demo, bootstrapAdmin: config.bootstrapAdmin })),
);
