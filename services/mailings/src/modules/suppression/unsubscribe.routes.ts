import type { SubgraphDefinition } from '@kartoteka/kit';
import type { DeliverySettings } from '../delivery/delivery.settings';
import { renderUnsubscribePage, UNSUBSCRIBE_PAGE_CSP, type UnsubscribePageState } from './unsubscribe.page';
import { unsubscribe, unsubscribeState } from './unsubscribe.service';
import { verifyUnsubscribeToken } from './unsubscribe-token';

type Deps = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[1];
type Router = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[0];
type Request = Parameters<Deps['contextOf']>[0];
type Response = { status: (code: number) => Response; setHeader: (name: string, value: string) => unknown; send: (body: string) => unknown; headersSent: boolean };

/** A form or an RFC 8058 one-click body is a line of text; anything longer is not one. */
const MAX_BODY_BYTES = 4096;

function sendPage(res: Response, status: number, state: UnsubscribePageState, email: string | null): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', UNSUBSCRIBE_PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // the token is in the address: it must not leak to another site, nor stay in a shared cache
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.status(status).send(renderUnsubscribePage(state, email));
}

/** Reads (and drops) the body, up to the limit; false when it is longer. */
function drainBody(req: Request): Promise<boolean> {
  if (req.readableEnded || (req as Request & { _body?: boolean })._body) return Promise.resolve(true);
  return new Promise((resolve) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(false);
        req.destroy();
      }
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES));
    req.on('error', () => resolve(false));
  });
}

/**
 * The public unsubscribe link, `<gateway>/rest/mailings/unsubscribe/<token>` → `/internal/rest/unsubscribe/<token>`.
 * The gateway lets anonymous callers through its REST proxy and every other route of every service refuses them;
 * these two accept anyone, because the signed token is the authorization: it names one recipient and one address.
 * - GET: the confirmation page (changes nothing: link scanners and previews follow links).
 * - POST: unsubscribes — the page's button (a form) or a mail client's RFC 8058 one-click POST
 *   (`List-Unsubscribe=One-Click`); idempotent. A forged or damaged token: 400 and nothing changes.
 * Logs carry no address and no token.
 */
export function unsubscribeRoutes(router: Router, deps: Deps, settings: Pick<DeliverySettings, 'unsubscribeSecret'>): void {
  router.get('/rest/unsubscribe/:token', async (req, res) => {
    const claim = verifyUnsubscribeToken(String(req.params.token), settings.unsubscribeSecret);
    if (!claim) {
      sendPage(res, 400, 'invalid', null);
      return;
    }
    try {
      sendPage(res, 200, await unsubscribeState(deps.orm.em.fork(), claim), claim.email);
    } catch (error) {
      deps.logger.error({ err: error }, 'unsubscribe page failed');
      if (!res.headersSent) sendPage(res, 503, 'unavailable', null);
    }
  });

  router.post('/rest/unsubscribe/:token', async (req, res) => {
    const claim = verifyUnsubscribeToken(String(req.params.token), settings.unsubscribeSecret);
    if (!(await drainBody(req))) {
      if (!res.headersSent) sendPage(res, 413, 'invalid', null);
      return;
    }
    if (!claim) {
      sendPage(res, 400, 'invalid', null);
      return;
    }
    try {
      const result = await unsubscribe(deps.orm.em.fork(), claim);
      deps.logger.info({ recipientId: claim.recipientId, result }, 'unsubscribed');
      sendPage(res, 200, result, claim.email);
    } catch (error) {
      deps.logger.error({ err: error, recipientId: claim.recipientId }, 'unsubscribe failed');
      if (!res.headersSent) sendPage(res, 503, 'unavailable', null);
    }
  });
}
