import { Money, money } from '@kartoteka/kit';
import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Document, documentStub } from '../document/document.stub';
import { User, userStub } from '../user/user.stub';
import type { RatingMethod as RatingMethodRow } from './rating-method.entity';
import type { RatingPoint as RatingPointRow } from './rating-point.entity';
import type { Rating as RatingRow } from './rating.entity';
import { weightsToList } from './rating.method';
import { RATING_FACTOR_CODES, type RatingEvidence as EvidenceData, type RatingFactorCode as FactorCode, type RatingFactorResult, type RatingGrade as GradeCode } from './rating.types';

/** GraphQL enums over the string unions of rating.types: names and values are the codes. */
export const RatingGrade = { A: 'A', B: 'B', C: 'C', D: 'D' } as const satisfies { [K in GradeCode]: K };
registerEnumType(RatingGrade, { name: 'RatingGrade', description: 'A: score ≥ 85, B: ≥ 70, C: ≥ 50, D: below 50' });

export const RatingFactorCode = Object.fromEntries(RATING_FACTOR_CODES.map((code) => [code, code])) as { [K in FactorCode]: K };
registerEnumType(RatingFactorCode, {
  name: 'RatingFactorCode',
  description: 'A factor of the reliability rating (see the README, "Reliability rating")',
  valuesConfig: {
    PAYMENT_ON_TIME: { description: 'Share of the amount due (receivable) paid by its due date' },
    PAYMENT_DELAY: { description: 'Average days late, weighted by amount (0 points at 60 days)' },
    OVERDUE_NOW: { description: 'Debt overdue now against what fell due within a year' },
    DELIVERY_ON_TIME: { description: 'Share of deliveries (payable contracts) closed by acts on time' },
    TERMINATIONS: { description: 'Share of signed contracts not terminated' },
    RELATIONSHIP: { description: 'Length (full at 24 months) and volume (full at 10 000 000 RUB) of the relationship' },
  },
});

@ObjectType('RatingFigure', { description: 'A number a factor rests on, e.g. dueMinor, onTimeMinor, averageDaysLate' })
export class RatingFigureType {
  @Field() name!: string;
  @Field(() => Float) value!: number;
}

@ObjectType('RatingEvidence', { description: 'A verified fact behind a factor: a signed document, a payment, or an obligation of a contract' })
export class RatingEvidenceType {
  @Field({ description: 'DOCUMENT, PAYMENT or OBLIGATION' }) kind!: string;
  @Field(() => ID, { nullable: true, description: 'The signed document (an obligation: its invoice or contract)' }) documentId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The payment (a bank statement line)' }) paymentId!: string | null;
  @Field({ description: 'Number and date, e.g. "№ 12 · 2026-03-01"' }) label!: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD (an obligation: its due date)' }) date!: string | null;
  @Field(() => String, { nullable: true, description: 'How it counts, e.g. "settled 12 days late"' }) note!: string | null;
  amountMinor!: number | null;
  currency!: string | null;

  @Field(() => Money, { nullable: true })
  get amount(): Money | null {
    return money(this.amountMinor, this.currency);
  }

  @Field(() => Document, { nullable: true })
  get document(): Document | null {
    return documentStub(this.documentId);
  }
}

@ObjectType('RatingFactor', { description: 'One factor of the rating: its weight, value, contribution and the facts behind it' })
export class RatingFactorType {
  @Field(() => RatingFactorCode) code!: FactorCode;
  @Field(() => Float, { description: 'The weight in the method version the rating was computed with' }) weight!: number;
  @Field(() => Float, { nullable: true, description: '0–100; null = no data (its weight goes to the other factors)' }) value!: number | null;
  @Field(() => Float, { description: 'Points of the score: weight × value / Σ weights of the factors with data' }) contribution!: number;
  @Field({ description: 'In English, for API clients' }) explanation!: string;
  @Field(() => [RatingFigureType]) figures!: RatingFigureType[];
  @Field(() => [RatingEvidenceType], { description: 'At most 50, worst or largest first' }) evidence!: RatingEvidenceType[];
}

@ObjectType('RatingPoint', { description: 'A point of the rating history: added whenever the score, grade or method changed' })
export class RatingPointType {
  @Field(() => Float, { nullable: true }) score!: number | null;
  @Field(() => RatingGrade, { nullable: true }) grade!: GradeCode | null;
  @Field(() => Int) methodVersion!: number;
  @Field(() => GraphQLISODateTime) computedAt!: Date;
}

@ObjectType('Rating', { description: 'The reliability rating of a counterparty, computed only from signed documents and bank payments' })
export class RatingType {
  counterpartyId!: string;
  @Field(() => Float, { nullable: true, description: '0–100; null = not enough verified history' }) score!: number | null;
  @Field(() => RatingGrade, { nullable: true }) grade!: GradeCode | null;
  @Field(() => GraphQLISODateTime) computedAt!: Date;
  @Field(() => Int, { description: 'The version of the method (weights) it was computed with' }) methodVersion!: number;
  @Field(() => [RatingFactorType]) factors!: RatingFactorType[];
}

@ObjectType('RatingWeight')
export class RatingWeightType {
  @Field(() => RatingFactorCode) factor!: FactorCode;
  @Field(() => Float) weight!: number;
}

@ObjectType('RatingMethod', { description: 'A version of the rating method (its weights); the highest version is current' })
export class RatingMethodType {
  @Field(() => Int) version!: number;
  @Field(() => [RatingWeightType]) weights!: RatingWeightType[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field({ description: 'Whether new ratings are computed with it' }) current!: boolean;
  createdById!: string | null;

  @Field(() => User, { nullable: true, description: 'The administrator who set it; null for the built-in first version' })
  get createdBy(): User | null {
    return userStub(this.createdById);
  }
}

@InputType('RatingWeightInput')
export class RatingWeightInput {
  @Field(() => RatingFactorCode) factor!: FactorCode;
  @Field(() => Float, { description: '0–100, at most one decimal' }) weight!: number;
}

@InputType('SetRatingWeightsInput')
export class SetRatingWeightsInput {
  @Field(() => [RatingWeightInput], { description: 'Every factor exactly once; at least one weight above 0' }) weights!: RatingWeightInput[];
}

function evidenceOf(data: EvidenceData): RatingEvidenceType {
  return Object.assign(new RatingEvidenceType(), { ...data, currency: data.currency ?? null });
}

export function factorOf(data: RatingFactorResult): RatingFactorType {
  return Object.assign(new RatingFactorType(), {
    code: data.code,
    weight: data.weight,
    value: data.value,
    contribution: data.contribution,
    explanation: data.explanation,
    figures: Object.entries(data.figures).map(([name, value]) => Object.assign(new RatingFigureType(), { name, value })),
    evidence: data.evidence.map(evidenceOf),
  });
}

export function ratingOf(row: RatingRow): RatingType {
  return Object.assign(new RatingType(), {
    counterpartyId: row.counterpartyId,
    score: row.score === null ? null : Number(row.score),
    grade: row.grade,
    computedAt: row.computedAt,
    methodVersion: row.methodVersion,
    factors: row.factors.map(factorOf),
  });
}

export function ratingPointOf(row: Pick<RatingPointRow, 'score' | 'grade' | 'methodVersion' | 'computedAt'>): RatingPointType {
  return Object.assign(new RatingPointType(), {
    score: row.score === null ? null : Number(row.score),
    grade: row.grade,
    methodVersion: row.methodVersion,
    computedAt: row.computedAt,
  });
}

export function ratingMethodOf(row: RatingMethodRow, currentVersion: number): RatingMethodType {
  return Object.assign(new RatingMethodType(), {
    version: row.version,
    weights: weightsToList(row.weights).map((w) => Object.assign(new RatingWeightType(), w)),
    createdAt: row.createdAt,
    current: row.version === currentVersion,
    createdById: row.createdById,
  });
}
