import type Docxtemplater from 'docxtemplater';
import type { DXT } from 'docxtemplater';
import type InspectModule from 'docxtemplater/js/inspect-module';
import type PizZip from 'pizzip';

/**
 * DOCX templates with docxtemplater: reading which placeholders a template uses, and filling them in. Pure
 * functions over bytes (no database, no disk), so the rules are unit-testable and the same in the upload check
 * and in generation.
 */

type DocxLibraries = { Docxtemplater: typeof Docxtemplater; InspectModule: typeof InspectModule; PizZip: typeof PizZip };
let libraries: DocxLibraries | undefined;

/**
 * docxtemplater and pizzip, loaded on first use (~0.1 s): the service's processes and tests that never read or
 * fill a template do not pay for them.
 */
function docxLibraries(): DocxLibraries {
  libraries ??= {
    Docxtemplater: require('docxtemplater') as typeof Docxtemplater,
    // its module is a function that returns a new InspectModule: `new` on it gives one too
    InspectModule: require('docxtemplater/js/inspect-module') as typeof InspectModule,
    PizZip: require('pizzip') as typeof PizZip,
  };
  return libraries;
}

/** A DOCX that docxtemplater cannot read, or whose tags are malformed (an unclosed `{`, `{}`…). */
export class TemplateParseError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'TemplateParseError';
  }
}

type TemplateErrorLike = { properties?: { explanation?: string; errors?: TemplateErrorLike[]; id?: string } };

function explain(error: unknown): string[] {
  const properties = (error as TemplateErrorLike).properties;
  if (properties?.errors?.length) return properties.errors.flatMap(explain);
  if (properties?.explanation) return [properties.explanation];
  return [];
}

function compile(content: Buffer, parser?: (tag: string) => DXT.Parser, modules: DXT.Module[] = []): Docxtemplater {
  const { Docxtemplater, PizZip } = docxLibraries();
  let zip: PizZip;
  try {
    zip = new PizZip(content);
  } catch {
    throw new TemplateParseError('The file is not a DOCX document (not a readable ZIP archive)');
  }
  if (!zip.file('word/document.xml')) throw new TemplateParseError('The file is not a Word document: it has no word/document.xml');
  try {
    return new Docxtemplater(zip, { paragraphLoop: true, linebreaks: true, errorLogging: false, modules, ...(parser ? { parser } : {}), nullGetter: () => '' });
  } catch (error) {
    const details = explain(error);
    throw new TemplateParseError(details.length ? `The template has malformed placeholders: ${details.slice(0, 5).join('; ')}` : 'The file is not a DOCX template docxtemplater can read', details);
  }
}

type Structured = { type?: string; value?: string; module?: string; subparsed?: Structured[] };

function collectTags(parts: readonly Structured[], into: Set<string>): void {
  for (const part of parts) {
    if (part.type !== 'placeholder') continue;
    // Loops, conditions and raw XML ({#x}, {^x}, {@x}) are named with their sign so they never pass as plain fields.
    const sign = part.module === 'loop' ? '#' : part.module === 'rawxml' ? '@' : '';
    into.add(`${sign}${(part.value ?? '').trim()}`);
    if (part.subparsed) collectTags(part.subparsed, into);
  }
}

/** The placeholders a DOCX template uses, sorted; throws TemplateParseError when it cannot be read. */
export function inspectTemplate(content: Buffer): string[] {
  const inspector = new (docxLibraries().InspectModule)();
  compile(content, undefined, [inspector]);
  const tags = new Set<string>();
  collectTags(inspector.getAllStructuredTags() as unknown as Structured[], tags);
  return [...tags].sort();
}

/**
 * Fills a template: every `{name}` gets `values[name]` (the whole tag is the key, dots included); a name with no
 * value becomes empty text. Returns the DOCX bytes.
 */
export function renderTemplate(content: Buffer, values: Readonly<Record<string, string>>): Buffer {
  const parser = (tag: string): DXT.Parser => ({ get: () => (Object.hasOwn(values, tag.trim()) ? values[tag.trim()] : '') });
  const document = compile(content, parser);
  try {
    document.render({});
  } catch (error) {
    const details = explain(error);
    throw new TemplateParseError(details.length ? details.join('; ') : 'The template could not be filled in', details);
  }
  return document.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A paragraph of a generated DOCX: its text (placeholders welcome), bold or not, its size in points. */
export type DocxParagraph = { text: string; bold?: boolean; sizePt?: number; align?: 'left' | 'center' | 'right' | 'both' };

/**
 * A minimal WordprocessingML document (content types, relationships, styles with DejaVu Sans as the default
 * font, the body): what the shipped default templates are made of. Deterministic bytes for the same paragraphs.
 */
export function buildDocx(paragraphs: readonly DocxParagraph[]): Buffer {
  const zip = new (docxLibraries().PizZip)();
  const fixedDate = new Date('2026-01-01T00:00:00Z');
  const add = (path: string, xml: string) => zip.file(path, xml, { date: fixedDate, createFolders: false });
  add(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      + '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
  );
  add(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  add(
    'word/_rels/document.xml.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
  );
  const font = '<w:rFonts w:ascii="DejaVu Sans" w:hAnsi="DejaVu Sans" w:cs="DejaVu Sans" w:eastAsia="DejaVu Sans"/>';
  add(
    'word/styles.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
      + `<w:docDefaults><w:rPrDefault><w:rPr>${font}<w:sz w:val="22"/><w:lang w:val="ru-RU"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>`
      + `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr>${font}</w:rPr></w:style></w:styles>`,
  );
  const body = paragraphs
    .map((paragraph) => {
      const runProperties = `${font}${paragraph.bold ? '<w:b/>' : ''}${paragraph.sizePt ? `<w:sz w:val="${paragraph.sizePt * 2}"/>` : ''}`;
      const paragraphProperties = paragraph.align ? `<w:pPr><w:jc w:val="${paragraph.align}"/></w:pPr>` : '';
      return `<w:p>${paragraphProperties}<w:r><w:rPr>${runProperties}</w:rPr><w:t xml:space="preserve">${escapeXml(paragraph.text)}</w:t></w:r></w:p>`;
    })
    .join('');
  add(
    'word/document.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
      + `<w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>`,
  );
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}

/** The text XML of a DOCX (`word/document.xml`): what tests read to see the filled-in values. */
export function documentXmlOf(docx: Buffer): string {
  const file = new (docxLibraries().PizZip)(docx).file('word/document.xml');
  if (!file) throw new TemplateParseError('The file is not a Word document: it has no word/document.xml');
  return file.asText();
}
