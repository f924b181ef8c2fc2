import 'reflect-metadata';
import { DEMO_COUNTERPARTY_IDS, inTransaction, runCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { seedDocuments } from '../seed/documents.seed';
import { documentsSubgraph } from '../subgraph';

const config = loadConfig();
runCli(async () =>
  config.demo ? inTransaction(documentsSubgraph(), config.databaseUrl, (em) => seedDocuments(em, { counterpartyIds: DEMO_COUNTERPARTY_IDS })) : 'documents: not in demo mode (DEMO=true), nothing seeded',
);
