import type { EntityManager } from '@mikro-orm/postgresql';
import { DocumentType } from '../../document/document.entity';
import { DocumentTemplate, DocumentTemplateVersion } from '../document-template.entity';
import { checkTemplateContent, DOCX_CONTENT_TYPE, storeBytes, type TemplateStore } from '../document-template.service';
import { buildDocx, type DocxParagraph } from '../template.docx';

export type DefaultTemplate = { code: string; name: string; documentType: DocumentType; description: string; fileName: string; paragraphs: DocxParagraph[] };

/**
 * The templates a new install starts with (deal actions of the demo case template name them by code). Their DOCX
 * files are built here, byte for byte the same every time, and also committed beside this file
 * (`commercial-offer.docx`, `supply-contract.docx`) for editing in Word; a spec keeps the two in step.
 */
export const DEFAULT_TEMPLATES: readonly DefaultTemplate[] = [
  {
    code: 'commercial-offer',
    name: 'Коммерческое предложение',
    documentType: DocumentType.COMMERCIAL_OFFER,
    description: 'Коммерческое предложение по сделке: реквизиты контрагента, сумма, подпись менеджера',
    fileName: 'commercial-offer.docx',
    paragraphs: [
      { text: 'КОММЕРЧЕСКОЕ ПРЕДЛОЖЕНИЕ', bold: true, sizePt: 14, align: 'center' },
      { text: '№ {document.number} от {document.date}', align: 'center' },
      { text: 'Кому: {counterparty.name}, ИНН {counterparty.inn}, КПП {counterparty.kpp}' },
      { text: 'Уважаемые коллеги!' },
      { text: 'Благодарим за интерес к сотрудничеству. Предлагаем условия по сделке «{deal.title}».' },
      { text: 'Стоимость предложения: {document.amount}.', bold: true },
      { text: 'Предложение действительно 30 календарных дней с {today}.' },
      { text: 'С уважением, {user.name}' },
    ],
  },
  {
    code: 'supply-contract',
    name: 'Договор поставки',
    documentType: DocumentType.CONTRACT,
    description: 'Договор поставки с покупателем: стороны, предмет, цена',
    fileName: 'supply-contract.docx',
    paragraphs: [
      { text: 'ДОГОВОР ПОСТАВКИ № {contract.number}', bold: true, sizePt: 14, align: 'center' },
      { text: 'г. Москва, {contract.date}', align: 'right' },
      { text: '{counterparty.name} (ИНН {counterparty.inn}, КПП {counterparty.kpp}), именуемое в дальнейшем «Покупатель», с одной стороны, и Поставщик, с другой стороны, заключили настоящий договор о нижеследующем.', align: 'both' },
      { text: '1. Предмет договора: {document.title}. Поставщик передаёт, а Покупатель принимает и оплачивает товар.', align: 'both' },
      { text: '2. Цена договора: {document.amount}, включая НДС.', align: 'both' },
      { text: '3. Договор вступает в силу с даты подписания и действует до полного исполнения обязательств.', align: 'both' },
      { text: 'От Поставщика: {user.name}' },
      { text: 'От Покупателя: {counterparty.shortName}' },
    ],
  },
];

/** The DOCX bytes of a default template. */
export function defaultTemplateDocx(template: DefaultTemplate): Buffer {
  return buildDocx(template.paragraphs);
}

/**
 * Idempotent: creates each default template that does not exist yet (by code) with its DOCX as version 1.
 * Part of a working install, demo or not, like the default approval routes.
 */
export async function seedDocumentTemplates(em: EntityManager, store: TemplateStore): Promise<string> {
  const created: string[] = [];
  for (const spec of DEFAULT_TEMPLATES) {
    if (await em.count(DocumentTemplate, { code: spec.code })) continue;
    const content = defaultTemplateDocx(spec);
    const placeholders = checkTemplateContent(content);
    const file = await storeBytes(em, store, content, { name: spec.fileName, contentType: DOCX_CONTENT_TYPE, uploadedById: null });
    const template = em.create(DocumentTemplate, { code: spec.code, name: spec.name, documentType: spec.documentType, description: spec.description, currentVersionNumber: 1 });
    em.create(DocumentTemplateVersion, { templateId: template.id, number: 1, storedFileId: file.id, placeholders });
    await em.flush();
    created.push(spec.code);
  }
  return created.length ? `documents: default document templates ${created.join(', ')}` : 'documents: document templates exist, nothing seeded';
}
