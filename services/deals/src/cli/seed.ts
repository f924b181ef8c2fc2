import 'reflect-metadata';
import { DEMO_COUNTERPARTY_IDS, inTransaction, runSeedCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { installDeals, seedDeals } from '../seed/deals.seed';
import { dealsSubgraph } from '../subgraph';

const config = loadConfig();
const definition = dealsSubgraph();
runSeedCli(definition, config.databaseUrl, async () => {
  // The default template (and adopting deals from before templates) is part of a working install, demo or not.
  const installed = await inTransaction(definition, config.databaseUrl, (em) => installDeals(em));
  const demo = config.demo
    ? await inTransaction(definition, config.databaseUrl, (em) => seedDeals(em, { counterpartyIds: DEMO_COUNTERPARTY_IDS }))
    : 'deals: not in demo mode (DEMO=true), nothing seeded';
  return [installed, demo].join('\n');
});
