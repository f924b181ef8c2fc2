import type { EntityManager } from '@mikro-orm/postgresql';
import { PROJECT_CHANGED, PROJECT_CREATED, publishEvent, type Identity, type ProjectNews } from '@kartoteka/kit';
import type { Project } from './project.entity';

/**
 * `deals.project.created` / `deals.project.changed`, in the transaction of the change (for the counterparty
 * timeline and others). A change names the project's counterparties now and those it just removed, so each of them
 * sees it.
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
  };
  await publishEvent(em, options.created ? PROJECT_CREATED : PROJECT_CHANGED, payload);
}
