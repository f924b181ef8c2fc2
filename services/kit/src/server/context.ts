import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Identity } from '../auth/identity';

/** Per-request DataLoaders, created lazily by name so every batched lookup happens once per request. */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();
  /** Values primed before their loader was first asked for (it is created lazily, with its batch function). */
  private readonly primed = new Map<string, Map<string, unknown>>();

  get<V>(name: string, batch: (keys: readonly string[]) => Promise<(V | null | Error)[]>): DataLoader<string, V | null> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new DataLoader<string, unknown>(batch, { maxBatchSize: 500 });
      this.loaders.set(name, loader);
      const pending = this.primed.get(name);
      if (pending) {
        for (const [key, value] of pending) loader.prime(key, value);
        this.primed.delete(name);
      }
    }
    return loader as DataLoader<string, V | null>;
  }

  /**
   * Tells loader `name` the value of `key`, already read along with something else (a join in the query that
   * loaded the parent): a later `load(key)` then costs no query. A key already loaded or primed keeps its value.
   */
  prime<V>(name: string, key: string, value: V | null): void {
    const loader = this.loaders.get(name);
    if (loader) {
      loader.prime(key, value);
      return;
    }
    let pending = this.primed.get(name);
    if (!pending) {
      pending = new Map();
      this.primed.set(name, pending);
    }
    if (!pending.has(key)) pending.set(key, value);
  }
}

/** Everything a resolver may use for one request, built once by the context factory. */
export type SubgraphContext = {
  identity: Identity;
  requestId: string;
  /** The caller's network address as the gateway saw it (absent when the gateway did not send one). */
  clientAddress?: string;
  /** A fork of the ORM's entity manager, private to this request. */
  em: EntityManager;
  logger: Logger;
  loaders: LoaderRegistry;
};

/** Orders batch results like the requested keys (DataLoader contract); missing keys resolve to null. */
export function byKeys<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const index = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => index.get(key) ?? null);
}

/** Groups batch results per key (for one-to-many batched lookups). */
export function groupByKeys<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
