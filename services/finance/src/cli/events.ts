import 'reflect-metadata';
import { runCli, runServiceEventsCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { FINANCE_READ_MODELS, FINANCE_REFERENCE_CHECKS } from '../modules/counterparty/counterparty-ref.readmodel';
import { PROJECT_DOCUMENTS_READ_MODEL } from '../modules/project/project-documents.consumer';
import { financeSubgraph } from '../subgraph';

/**
 * `pnpm events parked` / `requeue [eventId…]`: this service's parked event deliveries;
 * `pnpm events rebuild-counterparties` / `rebuild-users` / `rebuild-projects`: a read model rebuilt from the bus's history;
 * `pnpm events check-references`: finance records whose counterparty or staff member this service does not know.
 */
const config = loadConfig();
runCli(() =>
  runServiceEventsCli(
    { service: 'finance', definition: financeSubgraph(), databaseUrl: config.databaseUrl, eventBusUrl: config.eventBusUrl, rebuild: { ...FINANCE_READ_MODELS, 'rebuild-projects': PROJECT_DOCUMENTS_READ_MODEL }, references: FINANCE_REFERENCE_CHECKS },
    process.argv.slice(2),
  ),
);
