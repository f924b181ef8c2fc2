import 'reflect-metadata';
import { runCli, runServiceEventsCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { DEALS_READ_MODELS, DEALS_REFERENCE_CHECKS } from '../modules/counterparty/counterparty-ref.readmodel';
import { dealsSubgraph } from '../subgraph';

/**
 * `pnpm events parked` / `requeue [eventId…]`: this service's parked event deliveries;
 * `pnpm events rebuild-counterparties` / `rebuild-users`: a read model rebuilt from the bus's history;
 * `pnpm events check-references`: deals and actions whose counterparty or staff member this service does not know.
 */
const config = loadConfig();
runCli(() =>
  runServiceEventsCli(
    { service: 'deals', definition: dealsSubgraph(), databaseUrl: config.databaseUrl, eventBusUrl: config.eventBusUrl, rebuild: DEALS_READ_MODELS, references: DEALS_REFERENCE_CHECKS },
    process.argv.slice(2),
  ),
);
