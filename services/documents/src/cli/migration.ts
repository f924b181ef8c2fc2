import 'reflect-metadata';
import { runCli, runMigrationCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { documentsSubgraph } from '../subgraph';

const config = loadConfig();
runCli(() => runMigrationCli(documentsSubgraph(), config.databaseUrl, process.argv[2] ?? 'migration:up'));
