import 'reflect-metadata';
import { runCli, runMigrationCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { identitySubgraph } from '../subgraph';

const config = loadConfig();
runCli(() => runMigrationCli(identitySubgraph(config), config.databaseUrl, process.argv[2] ?? 'migration:up'));
