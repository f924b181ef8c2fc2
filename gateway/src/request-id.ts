import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { REQUEST_ID_HEADER } from '@kartoteka/kit';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives every request an id (`res.locals.requestId`, echoed in X-Request-Id): the caller's own when trusted
 * and well-formed, a fresh UUID otherwise.
 */
export function assignRequestId(trustIncoming: boolean): RequestHandler {
  return (req, res, next) => {
    const incoming = req.header(REQUEST_ID_HEADER);
    const requestId = trustIncoming && incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.locals.requestId = requestId;
    next();
  };
}
