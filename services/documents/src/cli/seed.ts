import 'reflect-metadata';
import { DEMO_COUNTERPARTY_IDS, inTransaction, runSeedCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { seedDocuments } from '../seed/documents.seed';
import { seedEdmsDemo } from '../seed/edms-demo.seed';
import { createFileStorage } from '../modules/file/file-storage.factory';
import { seedRouteTemplates } from '../seed/route-templates.seed';
import { seedDocumentTemplates } from '../modules/template/defaults/default-templates';
import { documentsSubgraph } from '../subgraph';

const config = loadConfig();
const definition = documentsSubgraph();
runSeedCli(definition, config.databaseUrl, async () => {
  // Default approval routes are part of a working install, demo or not.
  const routes = await inTransaction(definition, config.databaseUrl, (em) => seedRouteTemplates(em));
  // So are the default DOCX templates (a commercial offer, a supply contract): a new install generates at once.
  const templates = await inTransaction(definition, config.databaseUrl, (em) => seedDocumentTemplates(em, { storage: createFileStorage(config.files), files: config.files, templates: config.templates }));
  const demo = config.demo
    ? await inTransaction(definition, config.databaseUrl, (em) => seedDocuments(em, { counterpartyIds: DEMO_COUNTERPARTY_IDS }))
    : 'documents: not in demo mode (DEMO=true), nothing seeded';
  const live = config.demo
    ? await inTransaction(definition, config.databaseUrl, (em) => seedEdmsDemo(em, { storage: createFileStorage(config.files), counterpartyIds: DEMO_COUNTERPARTY_IDS }))
    : '';
  return [routes, templates, demo, live].filter(Boolean).join('\n');
});
