import 'reflect-metadata';
import { inTransaction, runCli, runServiceEventsCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { DOCUMENTS_READ_MODELS, DOCUMENTS_REFERENCE_CHECKS } from '../modules/counterparty/counterparty-ref.readmodel';
import { republishSignedDocuments } from '../modules/document/document.events';
import { documentsSubgraph } from '../subgraph';

/**
 * `pnpm events republish-signed`: writes `documents.document.signed` again to the outbox for every signed document
 * that is not cancelled (its current status, contract/invoice and details), in one transaction; the running
 * service's relay publishes them. For a service started after the documents were signed (finance), or one whose
 * history was lost.
 * `pnpm events parked` / `requeue [eventId…]`: this service's parked event deliveries;
 * `pnpm events rebuild-counterparties` / `rebuild-staff`: a read model rebuilt from the bus's history;
 * `pnpm events check-references`: documents whose counterparty or staff member this service does not know.
 */
const config = loadConfig();
runCli(async () => {
  const argv = process.argv.slice(2);
  if (argv[0] === 'republish-signed') {
    const count = await inTransaction(documentsSubgraph(), config.databaseUrl, (em) => republishSignedDocuments(em));
    return `documents: ${count} signed documents republished to the outbox (the running service relays them to the bus)`;
  }
  return runServiceEventsCli(
    { service: 'documents', definition: documentsSubgraph(), databaseUrl: config.databaseUrl, eventBusUrl: config.eventBusUrl, rebuild: DOCUMENTS_READ_MODELS, references: DOCUMENTS_REFERENCE_CHECKS },
    argv,
  );
});
