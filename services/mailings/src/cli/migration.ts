import 'reflect-metadata';
import { runCli, runMigrationCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { mailingsSubgraph } from '../subgraph';

const config = loadConfig();
runCli(() => runMigrationCli(mailingsSubgraph(), config.databaseUrl, process.argv[2] ?? 'migration:up'));
