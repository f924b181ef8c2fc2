/**
 * The file types an upload may hold, recognised by their leading bytes ("magic numbers"), never by what the
 * client claims. Office formats are containers shared by several kinds (DOCX and XLSX are ZIP archives, DOC
 * and XLS are OLE2 compound files), so for those the extension decides which of the allowed kinds it is; a
 * container with any other extension is refused.
 */
export type AllowedFileType = { kind: FileKind; contentType: string };

export type FileKind = 'pdf' | 'docx' | 'xlsx' | 'doc' | 'xls' | 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff';

/** Bytes needed to recognise every allowed type (WEBP: `RIFF` + size + `WEBP`). */
export const SIGNATURE_BYTES = 12;

const CONTENT_TYPES: Record<FileKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  tiff: 'image/tiff',
};

/** Types a browser may show inline (`?inline=1`); everything else is always downloaded. */
export const INLINE_CONTENT_TYPES: ReadonlySet<string> = new Set([CONTENT_TYPES.pdf, CONTENT_TYPES.png, CONTENT_TYPES.jpeg, CONTENT_TYPES.gif, CONTENT_TYPES.webp, CONTENT_TYPES.tiff]);

const ZIP_KINDS: Record<string, FileKind> = { docx: 'docx', xlsx: 'xlsx' };
const OLE_KINDS: Record<string, FileKind> = { doc: 'doc', xls: 'xls' };

function startsWith(head: Buffer, signature: readonly number[], offset = 0): boolean {
  if (head.length < offset + signature.length) return false;
  return signature.every((byte, i) => head[offset + i] === byte);
}

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

function kindOf(head: Buffer, name: string): FileKind | null {
  if (startsWith(head, ascii('%PDF-'))) return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  // a ZIP local file header (an empty archive `PK\x05\x06` holds no document)
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return ZIP_KINDS[extensionOf(name)] ?? null;
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return OLE_KINDS[extensionOf(name)] ?? null;
  return null;
}

/**
 * The allowed type of a file from its first bytes (at least SIGNATURE_BYTES of them, or the whole file when
 * it is shorter) and its name; null when it is not one of the allowed types.
 */
export function detectFileType(head: Buffer, name: string): AllowedFileType | null {
  const kind = kindOf(head, name);
  return kind ? { kind, contentType: CONTENT_TYPES[kind] } : null;
}
