import 'reflect-metadata';
import { createOrmOptions } from '@kartoteka/kit';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config';
import { demoCounterpartyIds } from '../seed/demo-counterparty-ids';
import { seedDocuments } from '../seed/documents.seed';
import { documentsSubgraph } from '../subgraph';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.demo) {
    console.log('documents: not in demo mode, nothing seeded');
    return;
  }
  const orm = await MikroORM.init(createOrmOptions(documentsSubgraph(), { databaseUrl: config.databaseUrl, poolMax: 2 }));
  try {
    const em = orm.em.fork();
    // TODO(wiring): the ids of the demo counterparties seeded by the counterparties service.
    const counterpartyIds = demoCounterpartyIds();
    console.log(await em.transactional((tx) => seedDocuments(tx, { counterpartyIds })));
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
