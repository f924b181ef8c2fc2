import 'reflect-metadata';
import { runCli, runMigrationCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { dealsSubgraph } from '../subgraph';

const config = loadConfig();
runCli(() => runMigrationCli(dealsSubgraph(), config.databaseUrl, process.argv[2] ?? 'migration:up'));
