import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { UserInputError } from '../../errors/domain-errors';
import { createExportWriter, csvField, exportFileName, exportLanguageOf, neutralizeFormula, parseExportFilters, type ExportColumn, type ExportFormat, type ExportLanguage } from '..';

type Row = { name: string; inn: string | null; amount: number | null; currency: string; day: string | null; at: Date; status: string; count: number };

const columns: ExportColumn<Row>[] = [
  { key: 'name', header: { ru: 'Наименование', en: 'Name' }, value: (row) => row.name },
  { key: 'inn', header: { ru: 'ИНН', en: 'INN' }, value: (row) => row.inn },
  { key: 'amount', header: { ru: 'Сумма', en: 'Amount' }, type: 'money', value: (row) => row.amount },
  { key: 'currency', header: { ru: 'Валюта', en: 'Currency' }, value: (row) => row.currency },
  { key: 'day', header: { ru: 'Дата', en: 'Date' }, type: 'date', value: (row) => row.day },
  { key: 'at', header: { ru: 'Изменён', en: 'Updated' }, type: 'datetime', value: (row) => row.at },
  { key: 'status', header: { ru: 'Статус', en: 'Status' }, value: (row) => row.status, labels: { ru: { CLIENT: 'Клиент' }, en: { CLIENT: 'Client' } } },
  { key: 'count', header: { ru: 'Кол-во', en: 'Count' }, type: 'integer', value: (row) => row.count },
];

const rows: Row[] = [
  { name: 'ООО "Ромашка"; филиал', inn: '7707083893', amount: 123456, currency: 'RUB', day: '2026-12-06', at: new Date('2026-12-06T09:30:15Z'), status: 'CLIENT', count: 3 },
  { name: '=HYPERLINK("http://evil","x")', inn: null, amount: -5000, currency: 'USD', day: null, at: new Date('2026-01-02T00:00:00Z'), status: 'PROSPECT', count: -2 },
  { name: 'two\nlines', inn: '+79990000000', amount: null, currency: 'RUB', day: '2026-02-28', at: new Date('2026-02-28T23:59:59Z'), status: 'CLIENT', count: 0 },
  { name: '@SUM(A1)', inn: '-1', amount: 1, currency: 'RUB', day: '2026-03-01', at: new Date('2026-03-01T12:00:00Z'), status: 'CLIENT', count: 1 },
];

async function written(format: ExportFormat, language: ExportLanguage, pages: Row[][]): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = createExportWriter({ format, language, columns, output, sheetName: 'Контрагенты' });
  for (const page of pages) await writer.writeRows(page);
  await writer.finish();
  return Buffer.concat(chunks);
}

describe('CSV export', () => {
  it('starts with a UTF-8 BOM, separates with ; and ends records with CRLF', async () => {
    const bytes = await written('csv', 'ru', [rows.slice(0, 1)]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text).toBe('Наименование;ИНН;Сумма;Валюта;Дата;Изменён (UTC);Статус;Кол-во\r\n"ООО ""Ромашка""; филиал";7707083893;1234,56;RUB;06.12.2026;06.12.2026 09:30:15;Клиент;3\r\n');
  });

  it('neutralizes formulas and quotes line breaks; numbers stay numbers', async () => {
    const text = (await written('csv', 'en', [rows.slice(1), []])).toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Name;INN;Amount;Currency;Date;Updated (UTC);Status;Count');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil"",""x"")";;-50.00;USD;;2026-01-02 00:00:00;PROSPECT;-2`);
    expect(text).toContain(`"two\nlines";'+79990000000;;RUB;2026-02-28;2026-02-28 23:59:59;Client;0\r\n`);
    expect(text).toContain(`'@SUM(A1);'-1;0.01;RUB;2026-03-01;`);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('writes the header alone for no rows', async () => {
    expect((await written('csv', 'en', [])).toString('utf8')).toBe('\uFEFFName;INN;Amount;Currency;Date;Updated (UTC);Status;Count\r\n');
  });

  it('field helpers', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(neutralizeFormula('-2+3')).toBe("'-2+3");
    expect(neutralizeFormula('\tx')).toBe("'\tx");
    expect(neutralizeFormula('a=b')).toBe('a=b');
  });
});

describe('XLSX export', () => {
  it('is readable back by exceljs with dates as dates and money as numbers', async () => {
    const bytes = await written('xlsx', 'ru', [rows.slice(0, 2), rows.slice(2)]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('Контрагенты');
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getRow(1).values).toEqual([undefined, 'Наименование', 'ИНН', 'Сумма', 'Валюта', 'Дата', 'Изменён (UTC)', 'Статус', 'Кол-во']);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe('ООО "Ромашка"; филиал');
    expect(first.getCell(3).value).toBe(1234.56);
    expect(first.getCell(3).numFmt).toBe('#,##0.00');
    expect(first.getCell(4).value).toBe('RUB');
    expect(first.getCell(5).value).toEqual(new Date('2026-12-06T00:00:00Z'));
    expect(first.getCell(5).numFmt).toBe('dd.mm.yyyy');
    expect(first.getCell(6).value).toEqual(new Date('2026-12-06T09:30:15Z'));
    expect(first.getCell(7).value).toBe('Клиент');
    expect(first.getCell(8).value).toBe(3);
    // text is text in XLSX (never a formula), kept as it was
    expect(sheet.getRow(3).getCell(1).value).toBe('=HYPERLINK("http://evil","x")');
    expect(sheet.getRow(3).getCell(2).value).toBeNull();
    expect(sheet.getRow(3).getCell(3).value).toBe(-50);
    expect(sheet.getRow(4).getCell(1).value).toBe('two\nlines');
    expect(sheet.getRow(5).getCell(2).value).toBe('-1');
  });
});

describe('export helpers', () => {
  it('picks the language from Accept-Language', () => {
    expect(exportLanguageOf('en-US,en;q=0.9,ru;q=0.8')).toBe('en');
    expect(exportLanguageOf('ru-RU,ru;q=0.9,en;q=0.8')).toBe('ru');
    expect(exportLanguageOf('de-DE,en;q=0.5,ru;q=0.7')).toBe('ru');
    expect(exportLanguageOf('de-DE, en;q=0.5')).toBe('en');
    expect(exportLanguageOf(undefined)).toBe('ru');
  });

  it('names the file by registry and day', () => {
    expect(exportFileName('counterparties', 'xlsx', new Date('2026-12-06T23:00:00Z'))).toBe('counterparties-2026-12-06.xlsx');
  });

  it('parses filters by their specs and refuses unknown names and bad values', () => {
    type Filter = { status: string; from: string; ownerId: string; grades: string[]; minRating: number; search: string };
    const specs = {
      status: { type: 'enum', values: ['A', 'B'] },
      from: { type: 'date' },
      ownerId: { type: 'uuid' },
      grades: { type: 'enum-list', values: ['X', 'Y', 'Z'] },
      minRating: { type: 'number', min: 0, max: 100 },
      search: { type: 'text', max: 5 },
    } as const;
    expect(parseExportFilters<Filter>({ status: 'A', from: '2026-02-28', ownerId: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA', grades: ['X', 'Y,Z'], minRating: '12.5', search: '' }, specs)).toEqual({
      status: 'A',
      from: '2026-02-28',
      ownerId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      grades: ['X', 'Y', 'Z'],
      minRating: 12.5,
    });
    const problem = (query: Record<string, unknown>) => {
      try {
        parseExportFilters<Filter>(query, specs);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(UserInputError);
        const { field, reason } = (error as UserInputError).extensions;
        return `${String(field)}:${String(reason)}`;
      }
    };
    expect(problem({ colour: 'red' })).toBe('colour:export.unknown-filter');
    expect(problem({ status: 'C' })).toBe('status:export.invalid-filter');
    expect(problem({ status: ['A', 'B'] })).toBe('status:export.invalid-filter');
    expect(problem({ from: '2026-02-30' })).toBe('from:export.invalid-filter');
    expect(problem({ ownerId: 'nope' })).toBe('ownerId:export.invalid-filter');
    expect(problem({ grades: 'X,Q' })).toBe('grades:export.invalid-filter');
    expect(problem({ minRating: '101' })).toBe('minRating:export.invalid-filter');
    expect(problem({ search: 'toolong' })).toBe('search:export.invalid-filter');
    expect(problem({ search: { nested: 'x' } })).toBe('search:export.invalid-filter');
  });
});
