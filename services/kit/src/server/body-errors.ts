import type { ErrorRequestHandler } from 'express';
import { currentRequestId, type Logger } from './logger';

/**
 * Errors that reach express on a JSON route (a body that is not JSON, too large, in an unknown encoding),
 * answered in the GraphQL error shape with a typed code and the 4xx status body-parser chose — never
 * express's HTML page, which shows a stack trace outside production. Anything else is a true internal error:
 * logged with the request id (`res.locals.requestId`, set by the gateway and by a subgraph's gate), answered
 * as a bare 500.
 */
export function jsonBodyErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = (error as { status?: unknown }).status;
    const clientError = typeof status === 'number' && status >= 400 && status < 500;
    const type = (error as { type?: unknown }).type;
    const message =
      type === 'entity.parse.failed'
        ? 'The request body is not valid JSON'
        : type === 'entity.too.large'
          ? 'The request body is too large'
          : clientError
            ? 'The request body cannot be read'
            : 'Internal server error';
    // body parsing runs outside runWithRequestId's scope: the id is added here unless the scope is active
    const requestId = currentRequestId() ? undefined : (res.locals.requestId as string | undefined);
    if (!clientError) logger.error({ err: error, ...(requestId ? { requestId } : {}) }, 'request failed');
    res.status(clientError ? (status as number) : 500).json({ errors: [{ message, extensions: { code: clientError ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  };
}
