import type { JSONSchemaType } from 'ajv';
import { DATE_PATTERN, DATE_TIME_PATTERN, defineContract, isRealDate, isRealDateTime, UUID_PATTERN, type WireOf } from './contract';

/**
 * finance → documents: an obligation (a schedule item of a contract, or an invoice) fell overdue. Published once per
 * obligation falling overdue; documents notifies `responsibleId` (in-app + e-mail) with a link to `documentId`.
 */
export const OBLIGATION_OVERDUE = 'finance.obligation.overdue';

export type ObligationOverdue = {
  /** A stable id of the obligation, e.g. "schedule:<uuid>" or "invoice:<uuid>" (the same obligation always has the same key). */
  obligationKey: string;
  counterpartyId: string;
  counterpartyName: string;
  contractId: string | null;
  /** The contract or invoice document to open. */
  documentId: string;
  documentNumber: string | null;
  /** The staff member to notify; null = the document's responsible person (or its author). */
  responsibleId: string | null;
  /** RECEIVABLE: the counterparty owes us; PAYABLE: we owe the counterparty. */
  direction: 'RECEIVABLE' | 'PAYABLE';
  /** The overdue amount, in minor units of `currency`. */
  amountMinor: number;
  currency: string;
  /** YYYY-MM-DD. */
  dueDate: string;
  daysOverdue: number;
};

type OverdueWire = WireOf<ObligationOverdue, 'contractId' | 'documentNumber' | 'responsibleId'>;

const uuid = { type: 'string', pattern: UUID_PATTERN } as const;

const overdueSchema: JSONSchemaType<OverdueWire> = {
  type: 'object',
  properties: {
    obligationKey: { type: 'string', minLength: 1, maxLength: 200, pattern: '^\\S+$' },
    counterpartyId: uuid,
    counterpartyName: { type: 'string', minLength: 1, maxLength: 500 },
    contractId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    documentId: uuid,
    documentNumber: { type: 'string', maxLength: 100, nullable: true },
    responsibleId: { type: 'string', pattern: UUID_PATTERN, nullable: true },
    direction: { type: 'string', enum: ['RECEIVABLE', 'PAYABLE'] },
    amountMinor: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    dueDate: { type: 'string', pattern: DATE_PATTERN },
    daysOverdue: { type: 'integer', minimum: 1, maximum: 100000 },
  },
  required: ['obligationKey', 'counterpartyId', 'counterpartyName', 'documentId', 'direction', 'amountMinor', 'currency', 'dueDate', 'daysOverdue'],
  additionalProperties: true,
};

const lowerOrNull = (id: string | null | undefined): string | null => (id ? id.toLowerCase() : null);

export const obligationOverdueContract = defineContract<ObligationOverdue, OverdueWire>([OBLIGATION_OVERDUE], overdueSchema, (value) =>
  isRealDate(value.dueDate)
    ? {
        ...value,
        counterpartyId: value.counterpartyId.toLowerCase(),
        contractId: lowerOrNull(value.contractId),
        documentId: value.documentId.toLowerCase(),
        documentNumber: value.documentNumber ? value.documentNumber : null,
        responsibleId: lowerOrNull(value.responsibleId),
      }
    : 'dueDate is not a real date',
);

/**
 * finance → counterparties: a counterparty's rating was (re)computed and its score or grade changed. The whole current
 * rating, not a diff: a consumer keeps the one with the newest `computedAt`.
 */
export const RATING_CHANGED = 'finance.rating.changed';

export const RATING_GRADES = ['A', 'B', 'C', 'D'] as const;
export type RatingGradeCode = (typeof RATING_GRADES)[number];

export type RatingChanged = {
  counterpartyId: string;
  /** 0–100; null = not enough verified history. */
  score: number | null;
  grade: RatingGradeCode | null;
  /** The version of the rating method (weights) it was computed with. */
  methodVersion: number;
  /** ISO-8601. */
  computedAt: string;
};

type RatingWire = WireOf<RatingChanged, 'score' | 'grade'>;

const ratingSchema: JSONSchemaType<RatingWire> = {
  type: 'object',
  properties: {
    counterpartyId: uuid,
    score: { type: 'number', minimum: 0, maximum: 100, nullable: true },
    grade: { type: 'string', enum: [...RATING_GRADES, null], nullable: true },
    methodVersion: { type: 'integer', minimum: 1, maximum: 1000000 },
    computedAt: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['counterpartyId', 'methodVersion', 'computedAt'],
  additionalProperties: true,
};

export const ratingChangedContract = defineContract<RatingChanged, RatingWire>([RATING_CHANGED], ratingSchema, (value) => {
  if (!isRealDateTime(value.computedAt)) return 'computedAt is not a real date-time';
  const score = value.score ?? null;
  const grade = value.grade ?? null;
  if ((score === null) !== (grade === null)) return 'score and grade are both set or both null';
  return { ...value, counterpartyId: value.counterpartyId.toLowerCase(), score, grade };
});
