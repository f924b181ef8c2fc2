/**
 * Counterparty kind as used by every requisite validator.
 *
 * - `LEGAL_ENTITY`    — организация (юридическое лицо): 10-digit INN, KPP, 13-digit OGRN.
 * - `SOLE_PROPRIETOR` — индивидуальный предприниматель: 12-digit INN, no KPP, 15-digit OGRNIP.
 * - `INDIVIDUAL`      — физическое лицо: 12-digit INN, no KPP, no OGRN.
 */
export type CounterpartyKindCode = 'LEGAL_ENTITY' | 'SOLE_PROPRIETOR' | 'INDIVIDUAL';

export const counterpartyKindCodes: readonly CounterpartyKindCode[] = [
  'LEGAL_ENTITY',
  'SOLE_PROPRIETOR',
  'INDIVIDUAL',
];
