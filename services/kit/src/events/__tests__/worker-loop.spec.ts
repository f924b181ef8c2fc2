import { Writable } from 'node:stream';
import { createLogger } from '../../server/logger';
import { WorkerLoop } from '../worker-loop';

/** Background workers log like requests do: every line of a round, and its failure, carries a request id. */
describe('WorkerLoop', () => {
  it('gives every round a request id of its own, on the lines it writes and on its failure line', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger('documents', 'info', sink);
    let rounds = 0;
    let loop: WorkerLoop | null = null;
    const finished = new Promise<void>((resolve) => {
      loop = new WorkerLoop({
        name: 'outbox-relay',
        logger,
        pollIntervalMs: 60_000,
        errorBackoffMs: 1,
        iterate: async () => {
          rounds += 1;
          logger.warn({ round: rounds }, 'working');
          if (rounds === 1) throw new Error('bus unreachable');
          resolve();
          return false;
        },
      });
      loop.start();
    });
    await finished;
    await (loop as unknown as WorkerLoop).stop();
    await new Promise((resolve) => setImmediate(resolve));

    const [first, failure, second] = lines;
    expect(first).toMatchObject({ service: 'documents', msg: 'working', requestId: expect.stringMatching(/^outbox-relay:/) });
    expect(failure).toMatchObject({ service: 'documents', level: 50, msg: 'worker round failed', requestId: first.requestId });
    expect(second).toMatchObject({ msg: 'working', requestId: expect.stringMatching(/^outbox-relay:/) });
    expect(second.requestId).not.toBe(first.requestId);
  });
});
