import 'reflect-metadata';
import { createOrmOptions } from '@kartoteka/kit';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config';
import { seedIdentity } from '../seed/identity.seed';
import { identitySubgraph } from '../subgraph';

async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await MikroORM.init(createOrmOptions(identitySubgraph(config), { databaseUrl: config.databaseUrl, poolMax: 2 }));
  try {
    const em = orm.em.fork();
    console.log(await em.transactional((tx) => seedIdentity(tx, { demo: config.demo, bootstrapAdmin: config.bootstrapAdmin })));
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
