import { stopOnSignals } from '@kartoteka/kit';
import { loadConfig } from './config';
import { startGateway } from './gateway-server';

startGateway(loadConfig()).then(
  (gateway) => stopOnSignals(gateway.stop, gateway.logger),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
