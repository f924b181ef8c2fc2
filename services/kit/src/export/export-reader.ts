import { randomUUID } from 'node:crypto';
import { excelJs } from './excel';
import { GATEWAY_TOKEN_HEADER, signGatewayToken, type Identity } from '../auth/identity';
import { CSV_SEPARATOR, UTF8_BOM, type ExportFormat } from './export-format';

/** An export read back: the header row and the data rows, cells as the file holds them. */
export type ExportTable = { header: string[]; rows: (string | number | Date | null)[][] };

/** Splits our CSV (`;`, RFC 4180 quoting, CRLF) into records of fields. */
export function parseExportCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const body = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index];
    if (quoted) {
      if (char === '"' && body[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === CSV_SEPARATOR) {
      record.push(field);
      field = '';
    } else if (char === '\r' && body[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 1;
    } else field += char;
  }
  if (field || record.length) records.push([...record, field]);
  return records;
}

/** Reads an export file back (tests, checks): the first worksheet of an XLSX, or the CSV's records. */
export async function readExportTable(bytes: Buffer, format: ExportFormat): Promise<ExportTable> {
  if (format === 'csv') {
    const [header = [], ...rows] = parseExportCsv(bytes.toString('utf8'));
    return { header, rows: rows.map((row) => row.map((cell) => (cell === '' ? null : cell))) };
  }
  const workbook = new (excelJs().Workbook)();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const width = sheet.columnCount;
  const values: (string | number | Date | null)[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: (string | number | Date | null)[] = [];
    for (let column = 1; column <= width; column += 1) {
      const value = row.getCell(column).value;
      cells.push(value === null || value === undefined ? null : typeof value === 'string' || typeof value === 'number' || value instanceof Date ? value : String(value));
    }
    values.push(cells);
  });
  const [header = [], ...rows] = values;
  return { header: header.map((cell) => String(cell ?? '')), rows };
}

/**
 * Requests an export from a running service the way the gateway would (a signed gateway token for
 * `identity`): `path` is after `/internal`, e.g. `/rest/exports/deals.xlsx?status=OPEN`.
 */
export async function requestServiceExport(
  service: { url: string; secret: string; name: string },
  path: string,
  identity: Identity,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const token = await signGatewayToken(identity, service.name, service.secret, randomUUID());
  const response = await fetch(service.url.replace(/\/graphql$/, `/internal${path}`), { headers: { [GATEWAY_TOKEN_HEADER]: token, ...headers } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}
