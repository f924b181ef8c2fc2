import { apiErrorsOf, getPortalConfig, getToken, type ApiError } from '@kartoteka/portal-api';

/**
 * Statement upload over the gateway's REST pass-through: `POST <gateway>/rest/finance/statements?fileName=…`,
 * the raw file as the body, the session's bearer token (as the documents app uploads its files). The service
 * parses the whole file first: a malformed one is refused (`{ code: 'BAD_STATEMENT', line, reason }`) and
 * nothing of it is stored; otherwise it answers the id of the StatementImport in PREVIEW.
 */

export const statementsEndpoint = (): string => `${getPortalConfig().gatewayUrl.replace(/\/graphql\/?$/, '')}/rest/finance/statements`;

export type UploadOutcome =
  | { ok: true; id: string }
  | { ok: false; kind: 'refused'; line: number | null; reason: string }
  | { ok: false; kind: 'error'; status: number; message: string; errors: ApiError[] };

type RefusalBody = { code?: unknown; line?: unknown; reason?: unknown; message?: unknown; errors?: unknown; id?: unknown; statementImport?: { id?: unknown } };

const refusalOf = (body: RefusalBody): { line: number | null; reason: string } | null => {
  if (body.code === 'BAD_STATEMENT') return { line: typeof body.line === 'number' ? body.line : null, reason: String(body.reason ?? body.message ?? '') };
  // The same refusal as a typed API error (`extensions.code` BAD_USER_INPUT, `reason`/`line` in extensions).
  const errors = apiErrorsOf(body.errors ?? []);
  const typed = errors.find((error) => error.details.code === 'BAD_STATEMENT' || typeof error.details.line === 'number');
  if (typed) return { line: typeof typed.details.line === 'number' ? typed.details.line : null, reason: String(typed.details.reason ?? typed.message) };
  return null;
};

export const uploadStatement = async (file: File): Promise<UploadOutcome> => {
  const token = getToken();
  let response: Response;
  try {
    response = await fetch(`${statementsEndpoint()}?fileName=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: file,
      credentials: 'omit',
    });
  } catch (error) {
    return { ok: false, kind: 'error', status: 0, message: (error as Error).message, errors: [] };
  }
  const text = await response.text().catch(() => '');
  let body: RefusalBody = {};
  try {
    body = JSON.parse(text) as RefusalBody;
  } catch {
    body = {};
  }
  if (response.ok) {
    const id = typeof body.id === 'string' ? body.id : typeof body.statementImport?.id === 'string' ? body.statementImport.id : null;
    if (id) return { ok: true, id };
    return { ok: false, kind: 'error', status: response.status, message: 'Unreadable upload answer', errors: [] };
  }
  const refusal = refusalOf(body);
  if (refusal) return { ok: false, kind: 'refused', ...refusal };
  const errors = apiErrorsOf(body.errors ?? []);
  return { ok: false, kind: 'error', status: response.status, message: errors[0]?.message ?? String(body.message ?? `HTTP ${response.status}`), errors };
};

/** The sample statement served with the app (copied from services/finance/demo at build time). */
const SAMPLE_FILE = 'sample-statement.txt';
// A variable, not a literal: Vite would take `new URL('<literal>', import.meta.url)` for an asset of the sources.
export const sampleStatementUrl = (): string => new URL(SAMPLE_FILE, import.meta.url).href;
