import 'reflect-metadata';
import { runCli, runServiceEventsCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { MAILINGS_READ_MODELS, MAILINGS_REFERENCE_CHECKS } from '../modules/audience/audience.readmodel';
import { mailingsSubgraph } from '../subgraph';

/**
 * `pnpm events parked` / `requeue [eventId…]`: this service's parked event deliveries;
 * `pnpm events rebuild-counterparties` / `rebuild-ratings` / `rebuild-users`: a read model rebuilt from the bus's history;
 * `pnpm events check-references`: mailings records whose counterparty or staff member this service does not know.
 */
const config = loadConfig();
runCli(() =>
  runServiceEventsCli(
    { service: 'mailings', definition: mailingsSubgraph(), databaseUrl: config.databaseUrl, eventBusUrl: config.eventBusUrl, rebuild: MAILINGS_READ_MODELS, references: MAILINGS_REFERENCE_CHECKS },
    process.argv.slice(2),
  ),
);
