import 'reflect-metadata';
import { inTransaction, runSeedCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { seedFinanceDemo } from '../seed/finance.seed';
import { financeSubgraph } from '../subgraph';

const config = loadConfig();
const definition = financeSubgraph();
runSeedCli(definition, config.databaseUrl, async () =>
  config.demo
    ? inTransaction(definition, config.databaseUrl, (em) => seedFinanceDemo(em))
    : 'finance: not in demo mode (DEMO=true), nothing seeded',
);
