import type { Request, RequestHandler, Response } from 'express';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

/**
 * Apollo Server's handler for express (what the `@as-integrations/express5` package's expressMiddleware did; that package is no longer a dependency), written for
 * the per-request cost: the answer is written with one `res.end(string)` (status line, headers and body in one
 * socket write) instead of express's `res.send`, which copies the body into a Buffer and hashes it for an ETag
 * nobody uses (GraphQL answers are POSTed, never revalidated); the query string is cut from the URL instead of
 * parsed with the legacy `url.parse`. Needs a JSON body parser before it, as expressMiddleware does.
 */
export function graphqlHandler<TContext extends BaseContext>(server: ApolloServer<TContext>, context: (args: { req: Request; res: Response }) => Promise<TContext>): RequestHandler {
  server.assertStarted('graphqlHandler()');
  return async (req, res) => {
    if (!('body' in req)) {
      res.status(500).end('`req.body` is not set: a JSON body parser must run before the GraphQL handler');
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const query = req.url.indexOf('?');
    const answer = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: query < 0 ? '' : req.url.slice(query), body: req.body as unknown },
      context: () => context({ req, res }),
    });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') {
      res.end(answer.body.string);
      return;
    }
    // incremental delivery (@defer): chunks as they come
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
