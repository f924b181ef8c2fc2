import type { ContractFacts, ExecutionResult } from '../execution/execution.types';

export const RATING_FACTOR_CODES = ['PAYMENT_ON_TIME', 'PAYMENT_DELAY', 'OVERDUE_NOW', 'DELIVERY_ON_TIME', 'TERMINATIONS', 'RELATIONSHIP'] as const;
export type RatingFactorCode = (typeof RATING_FACTOR_CODES)[number];
export type RatingWeights = Record<RatingFactorCode, number>;
export type RatingGrade = 'A' | 'B' | 'C' | 'D';

export type RatingInput = { today: string; accounts: { facts: ContractFacts; execution: ExecutionResult }[] };

/** What a factor rests on: a signed document, a payment, or one obligation of a contract. */
export type RatingEvidence = {
  kind: 'DOCUMENT' | 'PAYMENT' | 'OBLIGATION';
  documentId: string | null;
  paymentId: string | null;
  label: string;
  amountMinor: number | null;
  /** The currency of `amountMinor` (null when there is no amount). */
  currency: string | null;
  date: string | null;
  note: string | null;
};

export type RatingFactorResult = {
  code: RatingFactorCode;
  weight: number;
  /** 0–100; null: no data for this factor (its weight goes to the others). */
  value: number | null;
  /** Points of the score this factor gives: weight × value / Σ weights of the factors with data. */
  contribution: number;
  /** English, for API clients; the portal builds its own text from `figures`. */
  explanation: string;
  /** The numbers behind the value, by name (e.g. dueMinor, onTimeMinor, averageDaysLate). */
  figures: Record<string, number>;
  evidence: RatingEvidence[];
};

export type RatingResult = { score: number | null; grade: RatingGrade | null; factors: RatingFactorResult[] };
