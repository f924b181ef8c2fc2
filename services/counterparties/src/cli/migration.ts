import 'reflect-metadata';
import { runMigrationCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { counterpartiesSubgraph } from '../subgraph';

const config = loadConfig();
runMigrationCli(counterpartiesSubgraph(), config.databaseUrl, process.argv[2] ?? 'migration:up').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
