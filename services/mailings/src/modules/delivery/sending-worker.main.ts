import 'reflect-metadata';
import { createLogger, createOrmOptions, flushLogger } from '@kartoteka/kit';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../config';
import { mailingsSubgraph } from '../../subgraph';
import { sendingWorker } from './sending.worker';

/**
 * The sending worker alone, as its own process (`node dist/modules/delivery/sending-worker.main.js`, same
 * environment as the service): for a deployment that sends from dedicated pods, and for the test that kills the
 * sender mid-send. The service's own process runs the same worker when MAILINGS_SMTP_HOST is set. Migrations are
 * the service's start step, not this one's.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.delivery.smtp) throw new Error('MAILINGS_SMTP_HOST is not set: nothing to send through');
  const logger = createLogger('mailings', config.logLevel);
  const orm = await MikroORM.init(createOrmOptions(mailingsSubgraph(config, { workers: false }), { databaseUrl: config.databaseUrl, poolMax: 3 }));
  const worker = sendingWorker({ orm, logger, settings: config.delivery });
  worker.start();
  logger.info('mailings sending worker started');
  console.log(JSON.stringify({ ready: true }));
  const stop = async (signal: string) => {
    logger.info({ signal }, 'signal received');
    await worker.stop();
    await orm.close(true);
    flushLogger(logger);
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
