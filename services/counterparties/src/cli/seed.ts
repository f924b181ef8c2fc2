import 'reflect-metadata';
import { createOrmOptions } from '@kartoteka/kit';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config';
import { seedCounterparties } from '../seed/counterparties.seed';
import { counterpartiesSubgraph } from '../subgraph';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.demo) {
    console.log('counterparties: not in demo mode (DEMO=true), nothing seeded');
    return;
  }
  const orm = await MikroORM.init(createOrmOptions(counterpartiesSubgraph(), { databaseUrl: config.databaseUrl, poolMax: 2 }));
  try {
    console.log(await seedCounterparties(orm.em.fork()));
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
