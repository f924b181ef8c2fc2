import type { Request, Response, Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger, SubgraphContext } from '@kartoteka/kit';
import { type LiveChannel, liveChannelOf, type LiveEvent, type LiveNotification } from './notification.events';

export type NotificationRoutesDeps = {
  orm: MikroORM;
  logger: Logger;
  contextOf: (req: Request) => SubgraphContext;
  /** Aborted when the service begins to shut down: open streams end. */
  stopping: AbortSignal;
  /** Comment line that keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
};

const HEARTBEAT_MS = 25_000;
/** A client this far behind (bytes not yet taken by the socket) is dropped; its EventSource reconnects. */
const MAX_BUFFERED_BYTES = 512 * 1024;

type Stream = { userId: string; write: (chunk: string) => void };

function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Connected streams by user, fed by the process's one LISTEN connection while any stream is open. */
class StreamHub {
  private readonly byUser = new Map<string, Set<Stream>>();
  private readonly all = new Set<Stream>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly live: LiveChannel) {}

  add(stream: Stream): void {
    this.all.add(stream);
    let own = this.byUser.get(stream.userId);
    if (!own) {
      own = new Set();
      this.byUser.set(stream.userId, own);
    }
    own.add(stream);
    this.unsubscribe ??= this.live.subscribe((event) => this.dispatch(event));
  }

  remove(stream: Stream): void {
    this.all.delete(stream);
    const own = this.byUser.get(stream.userId);
    own?.delete(stream);
    if (own?.size === 0) this.byUser.delete(stream.userId);
    if (this.all.size === 0 && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = null;
    }
  }

  private dispatch(event: LiveEvent): void {
    if (event.type === 'document') {
      const chunk = sseEvent('document', { documentId: event.documentId });
      const streams = event.userIds ? event.userIds.flatMap((userId) => [...(this.byUser.get(userId) ?? [])]) : this.all;
      for (const stream of streams) stream.write(chunk);
    } else if (event.type === 'read') {
      const chunk = sseEvent('notifications-read', {});
      for (const userId of event.userIds) for (const stream of this.byUser.get(userId) ?? []) stream.write(chunk);
    } else if (event.type === 'notification') {
      for (const recipient of event.recipients) {
        const streams = this.byUser.get(recipient.userId);
        if (!streams) continue;
        const notification: LiveNotification = { ...event.notification, id: recipient.id };
        const chunk = sseEvent('notification', notification);
        for (const stream of streams) stream.write(chunk);
      }
    }
  }
}

/**
 * `GET /rest/stream` (the gateway's `/rest/documents/stream`): Server-Sent Events for the calling staff
 * member — `event: notification` with their own new notifications, `event: notifications-read` when some of theirs
 * were marked read (their task or step was done, or they read them in another tab), `event: document` with `{ documentId }`
 * whenever a document changes. Anonymous callers get 401, API keys 403.
 */
export function registerNotificationRoutes(router: Router, deps: NotificationRoutesDeps): void {
  const live = liveChannelOf(deps.orm, deps.logger);
  const hub = new StreamHub(live);
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;

  router.get('/rest/stream', (req: Request, res: Response) => {
    const { identity } = deps.contextOf(req);
    if (identity.kind === 'anonymous') {
      res.status(401).json({ errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    if (identity.kind !== 'user') {
      res.status(403).json({ errors: [{ message: 'Only a staff member has a live stream', extensions: { code: 'FORBIDDEN' } }] });
      return;
    }
    if (deps.stopping.aborted) {
      res.status(503).json({ errors: [{ message: 'The service is shutting down', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);

    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      deps.stopping.removeEventListener('abort', close);
      hub.remove(stream);
      if (!res.writableEnded) res.end();
    };
    const write = (chunk: string) => {
      if (closed) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        deps.logger.warn({ userId: identity.id }, 'live stream client too slow; closing its stream');
        close();
        return;
      }
      res.write(chunk);
    };
    const stream: Stream = { userId: identity.id, write };
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
    deps.stopping.addEventListener('abort', close);
    res.on('close', close);

    write('retry: 5000\n\n');
    hub.add(stream);
    // Tells the client (and tests) that from here on no ping is missed.
    void live.whenListening().then(() => write(': listening\n\n'));
  });
}
