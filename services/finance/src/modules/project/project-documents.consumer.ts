import { type EventHandlers, parseOrPark, type RebuildableReadModel, PROJECT_CHANGED, PROJECT_CREATED, projectNewsContract, type ProjectNews } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Stores a project's linked documents as the event reports them, unless a newer event was already applied (ties:
 * the later delivery wins — both carry the list of the same moment). An event without `documentIds` (published
 * before the field existed) teaches nothing and changes nothing.
 */
export async function recordProjectDocuments(em: EntityManager, news: ProjectNews): Promise<void> {
  if (!news.documentIds) return;
  await em.execute(
    `insert into project_documents (project_id, document_ids, updated_at) values (?, ?::uuid[], ?)
     on conflict (project_id) do update set document_ids = excluded.document_ids, updated_at = excluded.updated_at
     where project_documents.updated_at <= excluded.updated_at`,
    [news.projectId, `{${news.documentIds.join(',')}}`, news.occurredAt],
  );
}

/** deals' project news → the project → documents read model (run by the `finance` consumer in the inbox transaction). */
export const projectDocumentsHandlers: EventHandlers = {
  [PROJECT_CREATED]: (event, em) => recordProjectDocuments(em, parseOrPark(projectNewsContract, event)),
  [PROJECT_CHANGED]: (event, em) => recordProjectDocuments(em, parseOrPark(projectNewsContract, event)),
};

/** `pnpm events rebuild-projects`: the read model emptied and refilled from the bus's history of deals' project news. */
export const PROJECT_DOCUMENTS_READ_MODEL: RebuildableReadModel = {
  handlers: projectDocumentsHandlers,
  reset: async (em) => void (await em.execute('delete from project_documents')),
};
