import { actorId, hasPermission, type SubgraphDefinition } from '@kartoteka/kit';
import { cleanFileName, MAX_STATEMENT_BYTES, prepareStatementImport } from './statement-import.service';
import { StatementFormatError } from './statement.parser';

type Deps = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[1];
type Router = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[0];
type Request = Parameters<Deps['contextOf']>[0];
type Response = { status: (code: number) => { json: (body: unknown) => unknown } };

function sendError(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

class BodyTooLargeError extends Error {}

/** The raw request body, refused past `limit` bytes (the rest is not buffered). */
function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error: Error) => {
      if (!failed) reject(error);
    });
  });
}

/**
 * Statement upload on the finance service's internal router (the gateway serves it as
 * `POST /rest/finance/statements?fileName=…`): the raw body is the file (≤ 20 MB, any content type but JSON).
 * Needs `payments:import`. The whole file is parsed first: a malformed one is refused with 422
 * `{ code: 'BAD_STATEMENT', line, reason, message }` and nothing is stored; otherwise the import is stored in
 * PREVIEW and 201 answers its id and summary (see StatementUploadSummary). `confirmStatementImport` starts it.
 */
export function statementRoutes(router: Router, deps: Deps): void {
  router.post('/rest/statements', async (req, res) => {
    const context = deps.contextOf(req);
    if (context.identity.kind === 'anonymous' || !hasPermission(context.identity, 'payments:import')) {
      req.resume();
      const anonymous = context.identity.kind === 'anonymous';
      sendError(res, anonymous ? 401 : 403, anonymous ? 'Authentication required' : 'Missing permission payments:import', { code: anonymous ? 'UNAUTHENTICATED' : 'FORBIDDEN' });
      return;
    }
    if (Number(req.header('content-length') ?? 0) > MAX_STATEMENT_BYTES) {
      req.resume();
      sendError(res, 413, `The statement is larger than ${MAX_STATEMENT_BYTES / 1024 / 1024} MB`, { code: 'BAD_USER_INPUT', reason: 'statement.too-large' });
      return;
    }
    let bytes: Buffer;
    try {
      // a JSON body was already consumed by the router's JSON parser: a statement is never JSON
      bytes = req.readableEnded ? Buffer.alloc(0) : await readBody(req, MAX_STATEMENT_BYTES);
    } catch (error) {
      req.resume();
      if (error instanceof BodyTooLargeError) {
        sendError(res, 413, `The statement is larger than ${MAX_STATEMENT_BYTES / 1024 / 1024} MB`, { code: 'BAD_USER_INPUT', reason: 'statement.too-large' });
        return;
      }
      context.logger.info({ err: error }, 'statement upload interrupted');
      sendError(res, 400, 'The upload was interrupted', { code: 'BAD_USER_INPUT', reason: 'statement.interrupted' });
      return;
    }
    const fileName = cleanFileName(req.query.fileName);
    try {
      const { summary } = await prepareStatementImport(context.em.fork(), bytes, fileName, actorId(context.identity));
      context.logger.info({ statementImportId: summary.id, total: summary.total, duplicates: summary.duplicates }, 'statement uploaded');
      res.status(201).json(summary);
    } catch (error) {
      if (error instanceof StatementFormatError) {
        context.logger.info({ line: error.line, reason: error.reason }, 'statement refused');
        res.status(422).json({
          code: 'BAD_STATEMENT',
          line: error.line,
          reason: error.reason,
          message: error.message,
          errors: [{ message: error.message, extensions: { code: 'BAD_STATEMENT', line: error.line, reason: error.reason } }],
        });
        return;
      }
      context.logger.error({ err: error }, 'statement upload failed');
      sendError(res, 500, 'The statement could not be stored', { code: 'INTERNAL_SERVER_ERROR' });
    }
  });
}
