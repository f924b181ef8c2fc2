import { detectFileType, SIGNATURE_BYTES } from '../file.signature';
import { sanitizeFileName } from '../file.service';

const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const padded = (head: Buffer): Buffer => Buffer.concat([head, Buffer.alloc(Math.max(0, SIGNATURE_BYTES - head.length), 0x20)]);

describe('detectFileType', () => {
  it.each([
    ['report.pdf', 'application/pdf', bytes('%PDF-1.7\n')],
    ['scan.png', 'image/png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['photo.jpg', 'image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['anim.gif', 'image/gif', bytes('GIF89a')],
    ['old.gif', 'image/gif', bytes('GIF87a')],
    ['pic.webp', 'image/webp', bytes('RIFF', [0x24, 0, 0, 0], 'WEBP')],
    ['fax.tif', 'image/tiff', bytes([0x49, 0x49, 0x2a, 0x00])],
    ['fax.tiff', 'image/tiff', bytes([0x4d, 0x4d, 0x00, 0x2a])],
    ['contract.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes('PK', [3, 4])],
    ['Budget.XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes('PK', [3, 4])],
    ['letter.doc', 'application/msword', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ['table.xls', 'application/vnd.ms-excel', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    // the content decides, not the name: a PDF named .docx is a PDF
    ['misnamed.docx', 'application/pdf', bytes('%PDF-1.4')],
  ])('%s → %s', (name, contentType, head) => {
    expect(detectFileType(padded(head), name)?.contentType).toBe(contentType);
  });

  it.each([
    ['setup.exe', 'a Windows executable', bytes('MZ', [0x90, 0])],
    ['invoice.pdf', 'HTML renamed .pdf', bytes('<!DOCTYPE html><script>')],
    ['archive.zip', 'a plain ZIP', bytes('PK', [3, 4])],
    ['macro.docm', 'a ZIP with another office extension', bytes('PK', [3, 4])],
    ['archive.pdf', 'a ZIP renamed .pdf', bytes('PK', [3, 4])],
    ['installer.msi', 'an OLE container that is not DOC or XLS', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ['pic.webp', 'a WAV file', bytes('RIFF', [0x24, 0, 0, 0], 'WAVE')],
    ['image.svg', 'SVG (scriptable)', bytes('<svg xmlns="http://www.w3.org/2000/svg">')],
  ])('%s is refused (%s)', (name, _description, head) => {
    expect(detectFileType(padded(head), name)).toBeNull();
  });
});

describe('sanitizeFileName', () => {
  it('keeps the last path segment only and never a path', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\me\\Договор №5.pdf')).toBe('Договор №5.pdf');
  });

  it('drops control and bidi-override characters, hidden-file dots and characters Windows forbids', () => {
    expect(sanitizeFileName('evil\u202Efdp.exe')).toBe('evilfdp.exe');
    expect(sanitizeFileName('a\u0000b\r\n.pdf')).toBe('ab.pdf');
    expect(sanitizeFileName('...hidden.pdf')).toBe('hidden.pdf');
    expect(sanitizeFileName('a<b>:"c"|?*.pdf')).toBe('a_b___c____.pdf');
  });

  it('falls back to "file" and keeps names within 255 bytes with their extension', () => {
    expect(sanitizeFileName(undefined)).toBe('file');
    expect(sanitizeFileName(' ../ ')).toBe('file');
    const long = sanitizeFileName(`${'Ж'.repeat(300)}.docx`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith('Ж.docx')).toBe(true);
  });
});
