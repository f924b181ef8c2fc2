import type { EntityManager } from '@mikro-orm/postgresql';
import { DEAL_CREATED, DEAL_LOST, DEAL_STAGE_MOVED, DEAL_WON, publishEvent, type DealLifecycle, type Identity } from '@kartoteka/kit';
import type { CaseDefinition } from '../case-template/case-template.definition';
import { DealChangeKind } from './deal-change.entity';
import type { Deal } from './deal.entity';

/** The lifecycle topic of a history entry's kind (other kinds publish nothing). */
const TOPIC_OF_KIND: Partial<Record<DealChangeKind, string>> = {
  [DealChangeKind.CREATED]: DEAL_CREATED,
  [DealChangeKind.STAGE_CHANGED]: DEAL_STAGE_MOVED,
  [DealChangeKind.REOPENED]: DEAL_STAGE_MOVED,
  [DealChangeKind.WON]: DEAL_WON,
  [DealChangeKind.LOST]: DEAL_LOST,
};

/**
 * Publishes a deal's lifecycle step (created, moved, won, lost) in the transaction of the change, for the
 * counterparty timeline and any other consumer (kit's timeline contracts).
 */
export async function publishDealLifecycle(em: EntityManager, kind: DealChangeKind, deal: Deal, definition: CaseDefinition, fromStageKey: string | null, identity: Identity, at: Date): Promise<void> {
  const topic = TOPIC_OF_KIND[kind];
  if (!topic) return;
  const nameOf = (key: string | null) => (key ? (definition.stages.find((stage) => stage.key === key)?.name ?? null) : null);
  const payload: DealLifecycle = {
    dealId: deal.id,
    counterpartyId: deal.counterpartyId,
    title: deal.title,
    stageKey: deal.stageKey,
    stageName: nameOf(deal.stageKey),
    fromStageKey,
    fromStageName: nameOf(fromStageKey),
    status: deal.status,
    amountMinor: deal.amountMinor,
    currency: deal.currency,
    closeReason: deal.closeReason ?? null,
    // a staff member (the timeline names them); a partner system's API key is no user
    actorId: identity.kind === 'user' ? identity.id : null,
    occurredAt: at.toISOString(),
  };
  await publishEvent(em, topic, payload);
}
