import http from 'node:http';
import https from 'node:https';

/** How long an instance that refused a connection is left alone before one request probes it again. */
export const DEFAULT_INSTANCE_DOWN_MS = 5000;

/** One running instance (replica) of a subgraph: its address, its own kept-alive connection pool and its load. */
export type SubgraphInstance = {
  /** The instance's GraphQL endpoint. */
  readonly url: URL;
  /** Kept-alive connections to this instance only. */
  readonly agent: http.Agent;
  /** Requests sent to it and not yet answered (GraphQL fetches and REST calls). */
  pending: number;
  /** Set while the instance is marked down: it gets no request before this time (epoch ms); 0: up. */
  downUntil: number;
  /** A down instance whose time has passed gets one request (the probe); the others wait for its outcome. */
  probing: boolean;
};

/** Errors of a request that never reached the instance: its connection was refused (nothing is listening). */
export function isConnectionRefused(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ECONNREFUSED';
}

/**
 * The instances of one subgraph and the choice among them: the least busy instance that is up (fewest pending
 * requests; ties go round robin). An instance that refuses a connection is marked down for `downMs` (passive
 * health: no separate checker); after that one request probes it — success brings it back, another refusal
 * marks it down again. When every instance is down, the one that comes back first is tried anyway, so a
 * subgraph with one instance behaves as before and recovers with its first good answer.
 */
export class SubgraphInstances {
  readonly instances: readonly SubgraphInstance[];
  private turn = 0;

  constructor(
    urls: readonly string[],
    private readonly options: { downMs?: number; now?: () => number } = {},
  ) {
    if (urls.length === 0) throw new Error('A subgraph needs at least one instance URL');
    const agentOptions: http.AgentOptions = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 128, maxFreeSockets: 64, scheduling: 'lifo' };
    this.instances = [...new Set(urls)].map((url) => {
      const target = new URL(url);
      return { url: target, agent: target.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions), pending: 0, downUntil: 0, probing: false };
    });
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /**
   * The instance for the next request, other than `except` (a retry goes elsewhere); null when there is no
   * other. The caller reports the outcome with `succeeded` / `refused` and calls `done` when it ends.
   */
  pick(except?: SubgraphInstance): SubgraphInstance | null {
    const now = this.now();
    const candidates = this.instances.filter((instance) => instance !== except);
    if (candidates.length === 0) return null;
    const eligible = candidates.filter((instance) => instance.downUntil === 0 || (instance.downUntil <= now && !instance.probing));
    let chosen: SubgraphInstance | undefined;
    if (eligible.length > 0) {
      const start = this.turn++ % eligible.length;
      for (let i = 0; i < eligible.length; i += 1) {
        const instance = eligible[(start + i) % eligible.length];
        if (!chosen || instance.pending < chosen.pending) chosen = instance;
      }
    } else {
      // all down: the one back soonest (a refused connection fails at once, so this costs little)
      chosen = candidates.reduce((soonest, instance) => (instance.downUntil < soonest.downUntil ? instance : soonest));
    }
    if (!chosen) return null;
    if (chosen.downUntil !== 0 && chosen.downUntil <= now) chosen.probing = true;
    chosen.pending += 1;
    return chosen;
  }

  /** The request to `instance` ended (answered or failed). */
  done(instance: SubgraphInstance): void {
    instance.pending = Math.max(0, instance.pending - 1);
  }

  /** The instance answered: it is up. */
  succeeded(instance: SubgraphInstance): void {
    instance.downUntil = 0;
    instance.probing = false;
  }

  /** The instance refused a connection: down for a while. */
  refused(instance: SubgraphInstance): void {
    instance.downUntil = this.now() + (this.options.downMs ?? DEFAULT_INSTANCE_DOWN_MS);
    instance.probing = false;
  }

  /** A request failed otherwise (timeout, reset): its state stays, but a probe in progress is over. */
  failed(instance: SubgraphInstance): void {
    instance.probing = false;
  }

  /** Whether the instance is marked down now. */
  isDown(instance: SubgraphInstance): boolean {
    return instance.downUntil > this.now();
  }

  close(): void {
    for (const instance of this.instances) instance.agent.destroy();
  }
}
