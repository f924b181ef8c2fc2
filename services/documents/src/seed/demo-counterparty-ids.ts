/**
 * Ids of the demo counterparties seeded by the counterparties service (deterministic there), so the demo
 * documents belong to them.
 */
export function demoCounterpartyIds(): string[] {
  // TODO(wiring): return the counterparties service's deterministic demo ids.
  return [];
}
