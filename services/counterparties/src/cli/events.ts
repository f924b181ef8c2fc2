import 'reflect-metadata';
import { inTransaction, runCli, runServiceEventsCli } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { COUNTERPARTIES_READ_MODELS, COUNTERPARTIES_REFERENCE_CHECKS } from '../modules/counterparty/counterparty-refs.readmodel';
import { republishCounterparties } from '../modules/counterparty/counterparty.events';
import { counterpartiesSubgraph } from '../subgraph';

/**
 * `pnpm events republish`: writes the current state of every counterparty to the outbox again
 * (`counterparties.counterparty.republished`); the running service's relay publishes them. Other services rebuild
 * their read models from the bus's history (`events rebuild-counterparties` there); this is for when that history
 * itself was lost.
 * `pnpm events parked` / `requeue [eventId…]` / `rebuild-users` / `rebuild-ratings` / `check-references`: this
 * service's own consumer (the staff read model of responsible managers, the copy of finance's ratings), as in the
 * other services.
 */
const config = loadConfig();
runCli(async () => {
  const argv = process.argv.slice(2);
  if (argv[0] === 'republish') {
    const count = await inTransaction(counterpartiesSubgraph(), config.databaseUrl, (em) => republishCounterparties(em));
    return `counterparties: ${count} counterparties republished to the outbox (the running service relays them to the bus)`;
  }
  return runServiceEventsCli(
    { service: 'counterparties', definition: counterpartiesSubgraph(), databaseUrl: config.databaseUrl, eventBusUrl: config.eventBusUrl, rebuild: COUNTERPARTIES_READ_MODELS, references: COUNTERPARTIES_REFERENCE_CHECKS },
    argv,
  );
});
