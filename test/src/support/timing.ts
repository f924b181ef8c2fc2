import { scaled, slowdown } from '../../../services/kit/jest.timing';

/**
 * Time in the cross-service tests: every limit is a generous base stretched by KARTOTEKA_TEST_SLOWDOWN
 * (services/kit/jest.timing.js), and waits end on a condition, never after a fixed sleep.
 */
export { scaled, slowdown };

/** Subgraph timeout of the test gateways: long enough for a busy machine; tests of the timeout set their own. */
export const TEST_SUBGRAPH_TIMEOUT_MS = scaled(30_000);

/**
 * Polls `probe` until it returns something other than null/undefined/false, or fails after `timeoutMs`
 * (scaled) with `what` in the message. The pause between polls only limits load; it is not a guess.
 */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + scaled(options.timeoutMs ?? 30_000);
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${scaled(options.timeoutMs ?? 30_000)} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
