import 'reflect-metadata';
import { runCli, runEventBusCli } from '@kartoteka/kit';
import { loadConfig } from '../config';

/** `pnpm events parked` / `pnpm events requeue [eventId…]`: this service's parked event deliveries. */
const config = loadConfig();
runCli(() => runEventBusCli('documents', config.eventBusUrl, process.argv.slice(2)));
