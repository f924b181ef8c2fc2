import 'reflect-metadata';
import { startSubgraphServer, stopOnSignals } from '@kartoteka/kit';
import { loadConfig } from './config';
import { mailingsSubgraph } from './subgraph';

async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startSubgraphServer(mailingsSubgraph(config), config);
  stopOnSignals(server.stop, server.logger);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
