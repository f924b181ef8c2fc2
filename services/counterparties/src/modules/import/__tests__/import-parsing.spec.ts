import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { detectDelimiter, detectEncoding, detectFormat, readSpreadsheet } from '../import.parser';
import { suggestMapping } from '../import.mapping';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'import-parsing-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function rowsOf(name: string, content: Buffer): Promise<string[][]> {
  const path = join(dir, name);
  await writeFile(path, content);
  const rows: string[][] = [];
  for await (const row of readSpreadsheet(path, await detectFormat(path))) rows.push(row);
  return rows;
}

describe('reading spreadsheets', () => {
  it('reads a Windows-1251 CSV with `;` (Excel-RU), quotes and blank lines', async () => {
    const text = 'Наименование;ИНН;КПП;Адрес\r\n«Ромашка»;7707083893;773601001;"г. Москва; ул. Ёлочная, д. 1"\r\n\r\nООО "Лютик";;;"строка ""в кавычках"""\r\n';
    const content = iconv.encode(text, 'win1251');
    expect(detectEncoding(content)).toBe('win1251');
    expect(await rowsOf('cp1251.csv', content)).toEqual([
      ['Наименование', 'ИНН', 'КПП', 'Адрес'],
      ['«Ромашка»', '7707083893', '773601001', 'г. Москва; ул. Ёлочная, д. 1'],
      ['ООО "Лютик"', '', '', 'строка "в кавычках"'],
    ]);
  });

  it('reads a UTF-8 CSV with a BOM and `,`', async () => {
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name,INN,Tags\nЁжик LLC,7707083893,"a, b"\n', 'utf8')]);
    expect(detectEncoding(content)).toBe('utf8');
    expect(await rowsOf('utf8.csv', content)).toEqual([
      ['Name', 'INN', 'Tags'],
      ['Ёжик LLC', '7707083893', 'a, b'],
    ]);
  });

  it('detects the delimiter outside quotes', () => {
    expect(detectDelimiter('"a;b",c,d')).toBe(',');
    expect(detectDelimiter('a;b;"c,d,e"')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
  });

  it('reads the first sheet of an XLSX: text, numbers without exponent, rich text, formula results', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Контрагенты');
    sheet.addRow(['Наименование', 'ИНН', 'Счёт']);
    sheet.addRow(['ООО «Ромашка»', 7707083893, { richText: [{ text: '4070' }, { text: '2810' }] }]);
    sheet.addRow([]);
    sheet.addRow([{ formula: 'CONCAT("ИП ","Петров")', result: 'ИП Петров' }, '500100732259']);
    workbook.addWorksheet('Другой').addRow(['не читается']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await rowsOf('book.xlsx', content)).toEqual([
      ['Наименование', 'ИНН', 'Счёт'],
      ['ООО «Ромашка»', '7707083893', '40702810'],
      ['ИП Петров', '500100732259'],
    ]);
  });
});

describe('suggested mapping', () => {
  it('maps RU and EN header names, each field once', () => {
    expect(suggestMapping(['Наименование', 'ИНН', 'КПП', 'E-mail контакта', 'Р/с', 'БИК', 'Status', 'Comment', 'инн'])).toEqual([
      { column: 0, field: 'NAME' },
      { column: 1, field: 'INN' },
      { column: 2, field: 'KPP' },
      { column: 3, field: 'CONTACT_EMAIL' },
      { column: 4, field: 'BANK_ACCOUNT' },
      { column: 5, field: 'BANK_BIK' },
      { column: 6, field: 'STATUS' },
    ]);
    expect(suggestMapping(['Company name', 'TIN', 'Contact person', 'Position', 'Bank', 'Manager'])).toEqual([
      { column: 0, field: 'NAME' },
      { column: 1, field: 'INN' },
      { column: 2, field: 'CONTACT_NAME' },
      { column: 3, field: 'CONTACT_POSITION' },
      { column: 4, field: 'BANK_NAME' },
      { column: 5, field: 'MANAGER_EMAIL' },
    ]);
  });
});
