import 'reflect-metadata';
import { inTransaction, runSeedCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { seedMailingsDemo } from '../seed/mailings.seed';
import { mailingsSubgraph } from '../subgraph';

const config = loadConfig();
const definition = mailingsSubgraph();
runSeedCli(definition, config.databaseUrl, async () =>
  config.demo
    ? inTransaction(definition, config.databaseUrl, (em) => seedMailingsDemo(em))
    : 'mailings: not in demo mode (DEMO=true), nothing seeded',
);
