import type {
  CreateDocumentInput,
  DocumentFieldsInput,
  DocumentForEditData,
  DocumentLinkKind,
  DocumentType,
  UpdateDocumentInput,
} from '../api/edms.queries';
import { minorToInput, parseMoneyToMinor } from '@kartoteka/portal-api';
import { trimmedOrNull } from './text';

/** One link row of the form: a kind and a target document of the same counterparty. */
export type LinkDraft = { key: number; kind: DocumentLinkKind; targetId: string | null; targetLabel: string };

/** Everything the form edits, as the inputs hold it (text for amounts, YYYY-MM-DD or null for dates). */
export type DocumentDraft = {
  type: DocumentType;
  counterpartyId: string | null;
  title: string;
  number: string;
  date: string | null;
  summary: string;
  amount: string;
  currency: string;
  responsibleId: string | null;
  restricted: boolean;
  // type-specific
  subject: string;
  startDate: string | null;
  endDate: string | null;
  paymentTerms: string;
  effectiveDate: string | null;
  contractId: string | null;
  vat: string;
  dueDate: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  paymentDate: string | null;
  payer: string;
  payee: string;
  purpose: string;
  correspondent: string;
  senderNumber: string;
  senderDate: string | null;
  validUntil: string | null;
  links: LinkDraft[];
};

export const emptyDocumentDraft = (type: DocumentType = 'CONTRACT', counterpartyId: string | null = null): DocumentDraft => ({
  type,
  counterpartyId,
  title: '',
  number: '',
  date: null,
  summary: '',
  amount: '',
  currency: 'RUB',
  responsibleId: null,
  restricted: false,
  subject: '',
  startDate: null,
  endDate: null,
  paymentTerms: '',
  effectiveDate: null,
  contractId: null,
  vat: '',
  dueDate: null,
  periodStart: null,
  periodEnd: null,
  paymentDate: null,
  payer: '',
  payee: '',
  purpose: '',
  correspondent: '',
  senderNumber: '',
  senderDate: null,
  validUntil: null,
  links: [],
});

type EditableDocument = NonNullable<DocumentForEditData['document']>;

export const draftFromDocument = (doc: EditableDocument): DocumentDraft => {
  const draft = emptyDocumentDraft(doc.type, doc.counterpartyId);
  draft.title = doc.title;
  draft.number = doc.number ?? '';
  draft.date = doc.date;
  draft.summary = doc.summary ?? '';
  draft.amount = minorToInput(doc.amount?.minor);
  draft.currency = doc.amount?.currency ?? 'RUB';
  draft.responsibleId = doc.responsibleId;
  draft.restricted = doc.restricted;
  const details = doc.details;
  switch (details?.__typename) {
    case 'ContractDetails':
      draft.subject = details.subject;
      draft.startDate = details.startDate || null;
      draft.endDate = details.endDate;
      draft.paymentTerms = details.paymentTerms ?? '';
      break;
    case 'SupplementaryAgreementDetails':
      draft.subject = details.subject;
      draft.effectiveDate = details.effectiveDate;
      break;
    case 'InvoiceDetails':
      draft.vat = minorToInput(details.vat?.minor);
      draft.dueDate = details.dueDate || null;
      break;
    case 'ActDetails':
      draft.vat = minorToInput(details.vat?.minor);
      draft.periodStart = details.periodStart || null;
      draft.periodEnd = details.periodEnd || null;
      break;
    case 'PaymentOrderDetails':
      draft.paymentDate = details.paymentDate || null;
      draft.payer = details.payer;
      draft.payee = details.payee;
      draft.purpose = details.purpose;
      break;
    case 'LetterDetails':
      draft.subject = details.letterSubject ?? '';
      draft.correspondent = details.correspondent ?? '';
      draft.senderNumber = details.senderNumber ?? '';
      draft.senderDate = details.senderDate;
      break;
    case 'CommercialOfferDetails':
      draft.validUntil = details.validUntil;
      break;
    default:
      break;
  }
  const contractLink = doc.links.find((link) => link.kind === 'SUPPLEMENT_TO');
  draft.contractId = contractLink?.target?.id ?? null;
  return draft;
};

/** Types whose amount the API requires. */
export const AMOUNT_REQUIRED: ReadonlySet<DocumentType> = new Set<DocumentType>(['INVOICE', 'ACT', 'PAYMENT_ORDER']);
export const isLetter = (type: DocumentType): boolean => type === 'INCOMING_LETTER' || type === 'OUTGOING_LETTER';

/** Link kinds a document of `type` may have, with the target types each allows (mirrors the API's rules). */
export const LINK_RULES: Record<Exclude<DocumentLinkKind, 'RELATED'>, { sources: DocumentType[]; targets: DocumentType[] }> = {
  SUPPLEMENT_TO: { sources: ['SUPPLEMENTARY_AGREEMENT'], targets: ['CONTRACT'] },
  INVOICE_FOR: { sources: ['INVOICE'], targets: ['CONTRACT', 'SUPPLEMENTARY_AGREEMENT'] },
  ACT_FOR: { sources: ['ACT'], targets: ['CONTRACT', 'INVOICE'] },
  PAYMENT_FOR: { sources: ['PAYMENT_ORDER'], targets: ['INVOICE', 'CONTRACT'] },
  REPLY_TO: { sources: ['INCOMING_LETTER', 'OUTGOING_LETTER'], targets: ['INCOMING_LETTER', 'OUTGOING_LETTER'] },
};

export const linkKindsFor = (type: DocumentType): DocumentLinkKind[] => [
  ...(Object.keys(LINK_RULES) as (keyof typeof LINK_RULES)[]).filter((kind) => LINK_RULES[kind].sources.includes(type)),
  'RELATED',
];

/** Target types a link kind accepts; null for any. */
export const targetTypesOf = (kind: DocumentLinkKind): DocumentType[] | null => (kind === 'RELATED' ? null : LINK_RULES[kind].targets);

/** Client-side problems: form path → i18n key of the message (`form.error.*`). */
export type DraftIssues = Record<string, string>;

export const validateDraft = (draft: DocumentDraft, creating: boolean): DraftIssues => {
  const issues: DraftIssues = {};
  if (creating && !draft.counterpartyId) issues.counterpartyId = 'required';
  if (draft.title.trim() === '') issues.title = 'required';
  else if (draft.title.trim().length > 500) issues.title = 'tooLong';
  const amount = parseMoneyToMinor(draft.amount);
  if (!amount.ok) issues.amountMinor = 'amount';
  else if (amount.minor === null && AMOUNT_REQUIRED.has(draft.type)) issues.amountMinor = 'required';
  else if (amount.minor !== null && amount.minor < 0) issues.amountMinor = 'amount';
  switch (draft.type) {
    case 'CONTRACT':
      if (draft.subject.trim() === '') issues['contract.subject'] = 'required';
      if (!draft.startDate) issues['contract.startDate'] = 'required';
      if (draft.startDate && draft.endDate && draft.endDate < draft.startDate) issues['contract.endDate'] = 'endBeforeStart';
      break;
    case 'SUPPLEMENTARY_AGREEMENT':
      if (draft.subject.trim() === '') issues['supplementaryAgreement.subject'] = 'required';
      if (creating && !draft.contractId) issues.contractId = 'required';
      break;
    case 'INVOICE':
    case 'ACT': {
      const vat = parseMoneyToMinor(draft.vat);
      const key = draft.type === 'INVOICE' ? 'invoice' : 'act';
      if (!vat.ok || (vat.minor !== null && vat.minor < 0)) issues[`${key}.vatMinor`] = 'amount';
      if (draft.type === 'INVOICE' && !draft.dueDate) issues['invoice.dueDate'] = 'required';
      if (draft.type === 'ACT') {
        if (!draft.periodStart) issues['act.periodStart'] = 'required';
        if (!draft.periodEnd) issues['act.periodEnd'] = 'required';
        if (draft.periodStart && draft.periodEnd && draft.periodEnd < draft.periodStart) issues['act.periodEnd'] = 'endBeforeStart';
      }
      break;
    }
    case 'PAYMENT_ORDER':
      if (!draft.paymentDate) issues['paymentOrder.paymentDate'] = 'required';
      if (draft.payer.trim() === '') issues['paymentOrder.payer'] = 'required';
      if (draft.payee.trim() === '') issues['paymentOrder.payee'] = 'required';
      if (draft.purpose.trim() === '') issues['paymentOrder.purpose'] = 'required';
      break;
    default:
      break;
  }
  if (creating) {
    draft.links.forEach((link, index) => {
      if (!link.targetId) issues[`links.${index}.targetId`] = 'required';
    });
  }
  return issues;
};

const fieldsOf = (draft: DocumentDraft): DocumentFieldsInput => {
  const amount = parseMoneyToMinor(draft.amount);
  const vat = parseMoneyToMinor(draft.vat);
  const vatMinor = vat.ok ? vat.minor : null;
  const fields: DocumentFieldsInput = {
    date: draft.date,
    summary: trimmedOrNull(draft.summary),
    amountMinor: amount.ok ? amount.minor : null,
    currency: amount.ok && amount.minor !== null ? draft.currency : null,
    responsibleId: draft.responsibleId,
    restricted: draft.restricted,
  };
  switch (draft.type) {
    case 'CONTRACT':
      fields.contract = {
        subject: draft.subject.trim(),
        startDate: draft.startDate ?? '',
        endDate: draft.endDate,
        paymentTerms: trimmedOrNull(draft.paymentTerms),
      };
      break;
    case 'SUPPLEMENTARY_AGREEMENT':
      fields.supplementaryAgreement = { subject: draft.subject.trim(), effectiveDate: draft.effectiveDate };
      break;
    case 'INVOICE':
      fields.invoice = { vatMinor, dueDate: draft.dueDate ?? '' };
      break;
    case 'ACT':
      fields.act = { vatMinor, periodStart: draft.periodStart ?? '', periodEnd: draft.periodEnd ?? '' };
      break;
    case 'PAYMENT_ORDER':
      fields.paymentOrder = {
        paymentDate: draft.paymentDate ?? '',
        payer: draft.payer.trim(),
        payee: draft.payee.trim(),
        purpose: draft.purpose.trim(),
      };
      break;
    case 'INCOMING_LETTER':
    case 'OUTGOING_LETTER':
      fields.letter = {
        subject: trimmedOrNull(draft.subject),
        correspondent: trimmedOrNull(draft.correspondent),
        senderNumber: draft.type === 'INCOMING_LETTER' ? trimmedOrNull(draft.senderNumber) : null,
        senderDate: draft.type === 'INCOMING_LETTER' ? draft.senderDate : null,
      };
      break;
    case 'COMMERCIAL_OFFER':
      fields.commercialOffer = { validUntil: draft.validUntil };
      break;
    default:
      break;
  }
  return fields;
};

export const toCreateInput = (draft: DocumentDraft, fileIds: string[]): CreateDocumentInput => {
  const links = draft.links
    .filter((link): link is LinkDraft & { targetId: string } => link.targetId !== null)
    .map((link) => ({ kind: link.kind, targetId: link.targetId }));
  if (draft.type === 'SUPPLEMENTARY_AGREEMENT' && draft.contractId) links.unshift({ kind: 'SUPPLEMENT_TO', targetId: draft.contractId });
  return {
    ...fieldsOf(draft),
    type: draft.type,
    counterpartyId: draft.counterpartyId ?? '',
    title: draft.title.trim(),
    number: trimmedOrNull(draft.number),
    fileIds: fileIds.length > 0 ? fileIds : null,
    links: links.length > 0 ? links : null,
  };
};

/**
 * The update of an edited document: only the fields that differ from `original` (the draft as loaded),
 * so the history names what really changed; null when nothing did.
 */
export const toUpdateInput = (draft: DocumentDraft, original: DocumentDraft, id: string, version: number): UpdateDocumentInput | null => {
  const next: Record<string, unknown> = { ...fieldsOf(draft), title: draft.title.trim() };
  const before: Record<string, unknown> = { ...fieldsOf(original), title: original.title.trim() };
  const changed = Object.fromEntries(Object.entries(next).filter(([key, value]) => JSON.stringify(value ?? null) !== JSON.stringify(before[key] ?? null)));
  // Amount and currency travel together.
  if ('amountMinor' in changed || 'currency' in changed) {
    changed.amountMinor = next.amountMinor;
    changed.currency = next.currency;
  }
  if (Object.keys(changed).length === 0) return null;
  return { ...(changed as Partial<UpdateDocumentInput>), id, version };
};

/**
 * The form path that shows a server error at `field` (`extensions.field`), e.g. `contract.subject`,
 * `links.0.targetId` (the contract link of a supplementary agreement is the first link), `fileIds`.
 */
export const formPathOf = (field: string, draft: DocumentDraft): string | null => {
  if (draft.type === 'SUPPLEMENTARY_AGREEMENT' && draft.contractId) {
    const link = /^links\.(\d+)(\..*)?$/.exec(field);
    if (link) {
      const index = Number(link[1]);
      if (index === 0) return 'contractId';
      return `links.${index - 1}.targetId`;
    }
  }
  if (draft.type === 'SUPPLEMENTARY_AGREEMENT' && field === 'links') return 'contractId';
  if (/^links\.\d+$/.test(field)) return `${field}.targetId`;
  if (field === 'currency') return 'amountMinor';
  if (field === 'invoice' || field === 'act' || field === 'contract' || field === 'paymentOrder' || field === 'supplementaryAgreement') {
    return null;
  }
  if (field.startsWith('input.')) return formPathOf(field.slice(6), draft);
  return field;
};
