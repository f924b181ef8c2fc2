/**
 * The default sales pipeline: the one place stage codes are defined until case templates (with their own
 * stages) replace it. A deal stores the stage code; the outcome tells open stages from closed ones.
 */
export type DealStageOutcome = 'open' | 'won' | 'lost';
export type DealStageDefinition = { code: string; name: string; outcome: DealStageOutcome };

export const DEFAULT_PIPELINE: readonly DealStageDefinition[] = [
  { code: 'lead', name: 'Лид', outcome: 'open' },
  { code: 'qualification', name: 'Квалификация', outcome: 'open' },
  { code: 'proposal', name: 'Коммерческое предложение', outcome: 'open' },
  { code: 'negotiation', name: 'Переговоры', outcome: 'open' },
  { code: 'won', name: 'Успешно реализована', outcome: 'won' },
  { code: 'lost', name: 'Закрыта и не реализована', outcome: 'lost' },
];

export const DEFAULT_STAGE = 'lead';

export function dealStage(code: string): DealStageDefinition | null {
  return DEFAULT_PIPELINE.find((stage) => stage.code === code) ?? null;
}

export function stageCodes(): string[] {
  return DEFAULT_PIPELINE.map((stage) => stage.code);
}
