import 'reflect-metadata';
import { DEMO_COUNTERPARTY_IDS, inTransaction, runCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { seedDeals } from '../seed/deals.seed';
import { dealsSubgraph } from '../subgraph';

const config = loadConfig();
runCli(async () =>
  config.demo ? inTransaction(dealsSubgraph(), config.databaseUrl, (em) => seedDeals(em, { counterpartyIds: DEMO_COUNTERPARTY_IDS })) : 'deals: not in demo mode (DEMO=true), nothing seeded',
);
