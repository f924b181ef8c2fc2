import 'reflect-metadata';
import { createOrmOptions } from '@kartoteka/kit';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config';
import { demoCounterpartyIds } from '../seed/demo-counterparty-ids';
import { seedDeals } from '../seed/deals.seed';
import { dealsSubgraph } from '../subgraph';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.demo) {
    console.log('deals: not in demo mode, nothing seeded');
    return;
  }
  const orm = await MikroORM.init(createOrmOptions(dealsSubgraph(), { databaseUrl: config.databaseUrl, poolMax: 2 }));
  try {
    const em = orm.em.fork();
    // TODO(wiring): the ids of the demo counterparties seeded by the counterparties service.
    const counterpartyIds = demoCounterpartyIds();
    console.log(await em.transactional((tx) => seedDeals(tx, { counterpartyIds })));
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
