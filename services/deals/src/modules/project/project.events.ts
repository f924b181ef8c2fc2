import type { EntityManager } from '@mikro-orm/postgresql';
import { PROJECT_CHANGED, PROJECT_CREATED, publishEvent, type Identity, type ProjectNews } from '@kartoteka/kit';
import type { Project } from './project.entity';

/**
 * `deals.project.created` / `deals.project.changed`, in the transaction of the change (for the counterparty
 * timeline and others). A change names the project's counterparties now and those it just removed, so each of them
 * sees it. Every event carries the project's linked documents as they are now: finance keeps project → documents
 * from them to compute the project's actuals (the budget stays here; what was contracted and paid is finance's).
 */
export async function publishProjectNews(em: EntityManager, project: Project, options: { created: boolean; changedFields: string[]; previousCounterpartyIds: readonly string[]; identity: Identity; at: Date }): Promise<void> {
  const payload: ProjectNews = {
    projectId: project.id,
    name: project.name,
    status: project.status,
    counterpartyIds: [...new Set([...project.counterpartyIds, ...options.previousCounterpartyIds])],
    changedFields: [...new Set(options.changedFields)],
    actorId: options.identity.kind === 'user' ? options.identity.id : null,
    occurredAt: options.at.toISOString(),
    documentIds: [...project.documentIds],
  };
  await publishEvent(em, options.created ? PROJECT_CREATED : PROJECT_CHANGED, payload);
}
