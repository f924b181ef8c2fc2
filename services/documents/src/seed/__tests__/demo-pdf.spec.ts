import { inflateSync } from 'node:zlib';
import { demoPdf } from '../edms-demo.seed';

/** Every stream of a PDF, inflated where it is Flate-compressed (pdfkit compresses them). */
function streamsOf(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const streams: string[] = [];
  const pattern = /<<([^]*?)>>\s*stream\r?\n/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    streams.push(match[1].includes('/FlateDecode') ? inflateSync(raw).toString('latin1') : raw.toString('latin1'));
  }
  return streams;
}

/** The Unicode text a ToUnicode CMap can give back: every target code point of its bfchar/bfrange entries. */
function mappedCharacters(cmap: string): Set<string> {
  const characters = new Set<string>();
  for (const [, body] of cmap.matchAll(/beginbfchar([^]*?)endbfchar/g)) {
    for (const [, target] of body.matchAll(/<[0-9a-fA-F]+>\s*<([0-9a-fA-F]+)>/g)) characters.add(String.fromCodePoint(Number.parseInt(target, 16)));
  }
  for (const [, body] of cmap.matchAll(/beginbfrange([^]*?)endbfrange/g)) {
    for (const [, targets] of body.matchAll(/<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>\s*\[([^\]]*)\]/g)) {
      for (const [, target] of targets.matchAll(/<([0-9a-fA-F]+)>/g)) characters.add(String.fromCodePoint(Number.parseInt(target, 16)));
    }
  }
  return characters;
}

describe('demo PDFs', () => {
  const title = 'Договор оказания услуг № 52/26-У';

  it('embed a font whose glyphs map back to the Cyrillic text (no "???")', async () => {
    const pdf = await demoPdf([title, 'Демонстрационный документ Картотеки']);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect(text).toMatch(/\/FontFile2 \d+ 0 R/); // the TrueType font program is inside the file
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/); // subset of DejaVu Sans
    const cmap = streamsOf(pdf).find((stream) => stream.includes('begincmap'));
    expect(cmap).toBeDefined();
    const mapped = mappedCharacters(cmap!);
    const wanted = [...new Set([...`${title}Демонстрационный документ Картотеки`].filter((c) => c !== ' '))];
    expect(wanted.filter((c) => !mapped.has(c))).toEqual([]);
    expect(wanted.some((c) => /[а-яА-Я]/.test(c))).toBe(true);
  });

  it('are byte-identical from one seeding to the next (content-addressed files are not duplicated)', async () => {
    const [first, second] = await Promise.all([demoPdf([title]), demoPdf([title])]);
    expect(first.equals(second)).toBe(true);
  });
});
