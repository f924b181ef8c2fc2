import 'reflect-metadata';
import { runCli, runMigrationCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { financeSubgraph } from '../subgraph';

const config = loadConfig();
runCli(() => runMigrationCli(financeSubgraph(), config.databaseUrl, process.argv[2] ?? 'migration:up'));
