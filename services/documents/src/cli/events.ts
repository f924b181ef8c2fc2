import 'reflect-metadata';
import { runCli, runServiceEventsCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { DOCUMENTS_READ_MODELS, DOCUMENTS_REFERENCE_CHECKS } from '../modules/counterparty/counterparty-ref.readmodel';
import { documentsSubgraph } from '../subgraph';

/**
 * `pnpm events parked` / `requeue [eventId…]`: this service's parked event deliveries;
 * `pnpm events rebuild-counterparties` / `rebuild-staff`: a read model rebuilt from the bus's history;
 * `pnpm events check-references`: documents whose counterparty or staff member this service does not know.
 */
const config = loadConfig();
runCli(() =>
  runServiceEventsCli(
    { service: 'documents', definition: documentsSubgraph(), databaseUrl: config.databaseUrl, eventBusUrl: config.eventBusUrl, rebuild: DOCUMENTS_READ_MODELS, references: DOCUMENTS_REFERENCE_CHECKS },
    process.argv.slice(2),
  ),
);
