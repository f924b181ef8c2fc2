import PizZip from 'pizzip';
import { buildDocx, inspectTemplate, renderTemplate, TemplateParseError } from '../template.docx';
import { formatDate, formatMoney } from '../template.placeholders';

const documentXml = (docx: Buffer): string => new PizZip(docx).file('word/document.xml')!.asText();

describe('DOCX templates (pure)', () => {
  it('lists the placeholders of a template, loops and raw XML with their sign', () => {
    const docx = buildDocx([{ text: 'Коммерческое предложение для {counterparty.name}, ИНН {counterparty.inn}', bold: true }, { text: '{#items}{name}{/items} {today}' }, { text: '{@raw}' }]);
    expect(inspectTemplate(docx)).toEqual(['#items', '@raw', 'counterparty.inn', 'counterparty.name', 'name', 'today']);
  });

  it('fills placeholders (dotted names, XML special characters, Cyrillic) and leaves unknown ones empty', () => {
    const docx = renderTemplate(buildDocx([{ text: 'Для {counterparty.name} ИНН {counterparty.inn}; {contact.name}.' }]), { 'counterparty.name': 'ООО «Ромашка» & Co <1>', 'counterparty.inn': '7707083893' });
    const xml = documentXml(docx);
    expect(xml).toContain('Для ООО «Ромашка» &amp; Co &lt;1&gt; ИНН 7707083893; .');
    expect(xml).not.toContain('{');
  });

  it('refuses a file that is not a DOCX, and malformed tags, with a readable reason', () => {
    expect(() => inspectTemplate(Buffer.from('PK\x03\x04garbage'))).toThrow(TemplateParseError);
    expect(() => inspectTemplate(Buffer.from('not a zip at all'))).toThrow(/not a DOCX/);
    expect(() => inspectTemplate(buildDocx([{ text: 'broken {counterparty.name' }]))).toThrow(/malformed placeholders/);
  });

  it('builds the same bytes for the same paragraphs (the shipped templates are reproducible)', () => {
    expect(buildDocx([{ text: 'Договор' }]).equals(buildDocx([{ text: 'Договор' }]))).toBe(true);
  });

  it('formats dates and money the Russian way', () => {
    expect(formatDate('2026-12-06')).toBe('06.12.2026');
    expect(formatDate(null)).toBe('');
    expect(formatMoney(120_000_000, 'RUB')).toBe('1\u00a0200\u00a0000,00\u00a0₽');
    expect(formatMoney(5, 'EUR')).toBe('0,05\u00a0€');
    expect(formatMoney(null, null)).toBe('');
  });
});
