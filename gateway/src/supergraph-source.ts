import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '@kartoteka/kit';

/**
 * Where the gateway reads its supergraph: a file (by default the committed one), or a URL it polls (a schema
 * registry, an object store, the release pipeline's artefact). `pollMs` 0 reads it once at start.
 */
export type SupergraphSettings = { path: string; url: string | null; pollMs: number };

/** What the gateway serves now, and the last supergraph it refused (kept until a later one loads). */
export type SupergraphStatus = {
  /** sha256 of the supergraph served now (its first 16 hex digits). */
  id: string;
  source: string;
  loadedAt: string;
  /** The subgraphs it composes, from its join__Graph enum, with their routing URLs. */
  subgraphs: { name: string; url: string }[];
  rejected: { id: string; at: string; error: string } | null;
};

const shortHash = (sdl: string): string => createHash('sha256').update(sdl).digest('hex').slice(0, 16);

/** The subgraphs a supergraph composes: `NAME @join__graph(name: "name", url: "…")` of its join__Graph enum. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  return [...supergraphSdl.matchAll(/@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]*)"\)/g)].map((match) => ({ name: match[1], url: match[2] }));
}

/**
 * The supergraph as the gateway's `supergraphSdl` hook: read once at start (a failure there stops the start), then,
 * every `pollMs`, read again; a supergraph that differs from the one served is handed to the gateway, which
 * validates it and builds its schema and query planner before swapping them in at once, so a request runs on the
 * plan of one supergraph, old or new. One that fails to load is refused with an error in the log and in
 * `status()`, and the previous one goes on serving. A file is read whole on each poll (it is replaced by a rename
 * or rewritten); a URL is asked with its last ETag, and a 304 costs nothing.
 */
export function createSupergraphSource(settings: SupergraphSettings, logger: Logger): { hook: SupergraphSdlHook; status: () => SupergraphStatus } {
  const source = settings.url ?? settings.path;
  let served: { sdl: string; id: string; loadedAt: Date } | null = null;
  let rejected: { id: string; at: Date; error: string } | null = null;
  let etag: string | null = null;

  /** The supergraph's text now, or null when a URL answered 304 (unchanged). */
  const read = async (): Promise<string | null> => {
    if (!settings.url) return readFile(settings.path, 'utf8');
    const response = await fetch(settings.url, { headers: etag ? { 'if-none-match': etag } : {}, signal: AbortSignal.timeout(10_000) });
    if (response.status === 304) return null;
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${settings.url}`);
    const text = await response.text();
    etag = response.headers.get('etag');
    return text;
  };

  const hook: SupergraphSdlHook = async ({ update }) => {
    const initial = await read();
    if (initial === null) throw new Error(`No supergraph at ${source}`);
    served = { sdl: initial, id: shortHash(initial), loadedAt: new Date() };
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;

    const poll = async (): Promise<void> => {
      let next: string | null;
      try {
        next = await read();
      } catch (error) {
        logger.warn({ source, err: error }, 'supergraph could not be read; the current one goes on serving');
        return;
      }
      if (next === null || stopped) return;
      const id = shortHash(next);
      if (id === served?.id || id === rejected?.id) return;
      try {
        update(next);
        logger.info({ source, from: served?.id, to: id, subgraphs: subgraphsOf(next).map((subgraph) => subgraph.name) }, 'supergraph updated');
        served = { sdl: next, id, loadedAt: new Date() };
        rejected = null;
      } catch (error) {
        rejected = { id, at: new Date(), error: error instanceof Error ? error.message : String(error) };
        logger.error({ source, id, err: error }, 'supergraph refused; the previous one goes on serving');
      }
    };

    const schedule = (): void => {
      if (stopped || settings.pollMs <= 0) return;
      timer = setTimeout(() => void poll().finally(schedule), settings.pollMs);
      timer.unref();
    };
    schedule();

    return {
      supergraphSdl: initial,
      cleanup: async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      },
    };
  };

  const status = (): SupergraphStatus => ({
    id: served?.id ?? '',
    source,
    loadedAt: served?.loadedAt.toISOString() ?? '',
    subgraphs: served ? subgraphsOf(served.sdl) : [],
    rejected: rejected ? { id: rejected.id, at: rejected.at.toISOString(), error: rejected.error } : null,
  });

  return { hook, status };
}
