import 'reflect-metadata';
import { runCli, runMigrationCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { counterpartiesSubgraph } from '../subgraph';

const config = loadConfig();
runCli(() => runMigrationCli(counterpartiesSubgraph(), config.databaseUrl, process.argv[2] ?? 'migration:up'));
