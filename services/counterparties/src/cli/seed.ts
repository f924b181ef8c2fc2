import 'reflect-metadata';
import { inTransaction, runSeedCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { seedCounterparties } from '../seed/counterparties.seed';
import { counterpartiesSubgraph } from '../subgraph';

const config = loadConfig();
const definition = counterpartiesSubgraph();
runSeedCli(definition, config.databaseUrl, async () =>
  config.demo ? inTransaction(definition, config.databaseUrl, (em) => seedCounterparties(em)) : 'counterparties: not in demo mode (DEMO=true), nothing seeded',
);
