import type { EntityManager } from '@mikro-orm/postgresql';
import { type Identity, LoaderRegistry } from '@kartoteka/kit';
import type { Document } from '../document/document.entity';
import { DocumentTemplate, DocumentTemplateVersion, TemplateDealRef } from './document-template.entity';
import { DocumentTemplateResolver, DocumentTemplateVersionResolver } from './document-template.resolver';
import { DocumentGenerationService } from './document-generation.service';

export { templateRoutes } from './document-template.routes';

/** How the template module plugs into the subgraph definition (see subgraph.ts). */
export const TEMPLATE_ENTITIES = [DocumentTemplate, DocumentTemplateVersion, TemplateDealRef];
export const TEMPLATE_RESOLVERS = [DocumentTemplateResolver, DocumentTemplateVersionResolver];

/** Keeps the deal read model of the placeholders (`deal.title`, `deal.amount`) from a deal's document request. */
export async function rememberDeal(em: EntityManager, deal: { id: string; title: string; amountMinor: number | null; currency: string | null }): Promise<void> {
  await em.upsert(TemplateDealRef, { id: deal.id, title: deal.title.slice(0, 500), amountMinor: deal.amountMinor, currency: deal.amountMinor === null ? null : (deal.currency ?? 'RUB'), updatedAt: new Date() });
}

/**
 * A deal action's document named a template: generate its first version (inside the consumer's transaction,
 * under a savepoint). A failure never loses the document: it is written to the document's audit trail as a
 * warning and the document stays a draft without a file. Returns the warning, or null when all went well.
 */
export async function generateForDealAction(em: EntityManager, identity: Identity, document: Document, templateCode: string): Promise<string | null> {
  const template = await em.findOne(DocumentTemplate, { code: templateCode.trim().toLowerCase() });
  let failure: string | null = null;
  if (!template) failure = `there is no document template with the code «${templateCode}»`;
  else {
    try {
      const result = await em.transactional((savepoint) => new DocumentGenerationService({ em: savepoint, identity, loaders: new LoaderRegistry() }).generateFor(document, template, null));
      if (result.warnings.length) failure = result.warnings.join('; ');
      if (!failure) return null;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
  }
  await DocumentGenerationService.recordWarning(em, document.id, templateCode, failure);
  return failure;
}
