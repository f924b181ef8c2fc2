import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { describeApplied, migrateUp } from '../orm/migration-cli';
import { createOrmOptions, type OrmDefinition } from '../orm/orm-config';
import { buildFederatedSchema, type SubgraphSchemaDefinition } from '../schema/build-subgraph';

/** Runs one command-line task of a service: prints its result, exits non-zero on failure. */
export function runCli(task: () => Promise<string | void>): void {
  task().then(
    (message) => {
      if (message) console.log(message);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * A service's seed command (`node dist/cli/seed.js`): prints what `seed` did. With `--migrate` it applies the pending
 * migrations first, in the same process: `pnpm start` runs one process per service for both steps instead of two
 * (each process loads the service's code first, a second or two of CPU).
 */
export function runSeedCli(definition: OrmDefinition, databaseUrl: string, seed: () => Promise<string>): void {
  runCli(async () => [process.argv.includes('--migrate') ? describeApplied(await migrateUp(definition, databaseUrl)) : null, await seed()].filter(Boolean).join('\n'));
}

/** Writes the subgraph SDL to `<serviceRoot>/schema.graphql`, the contract the gateway composes. */
export async function writeSubgraphSchema(definition: SubgraphSchemaDefinition, serviceRoot: string): Promise<string> {
  const { sdl } = await buildFederatedSchema(definition);
  writeFileSync(join(serviceRoot, 'schema.graphql'), `${sdl}\n`);
  return 'schema.graphql written';
}

/** Opens the service's ORM for a one-off task (a seed), in one transaction, and closes it. */
export async function inTransaction<T>(definition: OrmDefinition, databaseUrl: string, task: (em: EntityManager) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init(createOrmOptions(definition, { databaseUrl, poolMax: 2 }));
  try {
    return await orm.em.fork().transactional((em) => task(em));
  } finally {
    await orm.close(true);
  }
}
