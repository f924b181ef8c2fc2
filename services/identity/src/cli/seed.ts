import 'reflect-metadata';
import { inTransaction, runSeedCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { seedIdentity } from '../seed/identity.seed';
import { identitySubgraph } from '../subgraph';

const config = loadConfig();
const definition = identitySubgraph(config);
runSeedCli(definition, config.databaseUrl, () =>
  inTransaction(definition, config.databaseUrl, (em) => seedIdentity(em, { demo: config.demo, bootstrapAdmin: config.bootstrapAdmin })),
);
