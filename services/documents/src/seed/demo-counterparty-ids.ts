import { DEMO_COUNTERPARTY_IDS } from '@kartoteka/kit';

/** Ids of the demo counterparties seeded by the counterparties service (deterministic there). */
export function demoCounterpartyIds(): string[] {
  return [...DEMO_COUNTERPARTY_IDS];
}
