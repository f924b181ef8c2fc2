import { randomUUID } from 'node:crypto';
import { runWithRequestId, type Logger } from '../server/logger';

export type WorkerLoopOptions = {
  name: string;
  logger: Logger;
  /** One round of work; resolves `true` when more work is probably waiting, so the next round starts at once. */
  iterate: () => Promise<boolean>;
  /** Pause between rounds when idle (a wake-up cuts it short). */
  pollIntervalMs: number;
  /** Pause after a failed round, doubled per consecutive failure up to `maxErrorBackoffMs`. */
  errorBackoffMs?: number;
  maxErrorBackoffMs?: number;
};

/** The loop of a background worker: work, then sleep until woken or polled; `stop` waits for the current round. */
export class WorkerLoop {
  private running: Promise<void> | null = null;
  private stopped = false;
  private woken = false;
  private interrupt: (() => void) | null = null;

  constructor(private readonly options: WorkerLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.run();
  }

  /** New work may be waiting: end the idle pause now (or skip the next one). */
  wake(): void {
    this.woken = true;
    this.interrupt?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.interrupt?.();
    await this.running;
    this.running = null;
  }

  private async run(): Promise<void> {
    const { logger, name, pollIntervalMs } = this.options;
    const errorBackoffMs = this.options.errorBackoffMs ?? 1000;
    const maxErrorBackoffMs = this.options.maxErrorBackoffMs ?? 30_000;
    let failures = 0;
    while (!this.stopped) {
      this.woken = false;
      let more = false;
      // Each round is a unit of work of its own: every line it logs carries a request id, like a request's lines.
      const requestId = `${name}:${randomUUID()}`;
      try {
        more = await runWithRequestId(requestId, () => this.options.iterate());
        failures = 0;
      } catch (error) {
        failures += 1;
        logger.error({ err: error, worker: name, failures, requestId }, 'worker round failed');
      }
      if (this.stopped) break;
      if (failures > 0) await this.pause(Math.min(maxErrorBackoffMs, errorBackoffMs * 2 ** (failures - 1)), false);
      else if (!more) await this.pause(pollIntervalMs, true);
    }
  }

  private pause(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = () => {
        if (wakeable || this.stopped) done();
      };
    });
  }
}
