import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@kartoteka/kit';
import type { Document } from '../document/document.entity';
import { DocumentGenerationRequest } from './document-generation-request.entity';
import { generationWorker, type GenerationWorker, requestGeneration } from './document-generation.worker';
import { DocumentTemplate, DocumentTemplateVersion, TemplateDealRef } from './document-template.entity';
import { DocumentTemplateResolver, DocumentTemplateVersionResolver } from './document-template.resolver';

export { templateRoutes } from './document-template.routes';
export { requesterIdentity } from './document-generation.worker';

/** How the template module plugs into the subgraph definition (see subgraph.ts). */
export const TEMPLATE_ENTITIES = [DocumentTemplate, DocumentTemplateVersion, TemplateDealRef, DocumentGenerationRequest];
export const TEMPLATE_RESOLVERS = [DocumentTemplateResolver, DocumentTemplateVersionResolver];

/** The worker generating deal actions' documents from their templates (see document-generation.worker.ts). */
export function templateWorkers(deps: { orm: MikroORM; logger: Logger }): GenerationWorker[] {
  return [generationWorker(deps)];
}

/** Keeps the deal read model of the placeholders (`deal.title`, `deal.amount`) from a deal's document request. */
export async function rememberDeal(em: EntityManager, deal: { id: string; title: string; amountMinor: number | null; currency: string | null }): Promise<void> {
  await em.upsert(TemplateDealRef, { id: deal.id, title: deal.title.slice(0, 500), amountMinor: deal.amountMinor, currency: deal.amountMinor === null ? null : (deal.currency ?? 'RUB'), updatedAt: new Date() });
}

/**
 * A deal action's document named a template: record, in the consumer's transaction, that its first version must be
 * generated. The generation worker renders and converts it after the commit, outside any transaction (LibreOffice
 * takes seconds); a failure never loses the document: it is written to the document's audit trail as a warning and
 * the document stays a draft without a file.
 */
export async function requestForDealAction(em: EntityManager, requestedById: string | null, document: Document, templateCode: string): Promise<void> {
  await requestGeneration(em, document.id, templateCode, requestedById);
}
