import type { SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DocumentFile } from '../document/document-file.type';
import { FileService } from '../file/file.service';
import { DocumentTemplate, DocumentTemplateVersion } from './document-template.entity';
import { ArchiveDocumentTemplateInput, CreateDocumentTemplateInput, DocumentTemplatesArgs, GenerateDocumentVersionInput, UpdateDocumentTemplateInput } from './document-template.input';
import { DocumentTemplateService } from './document-template.service';
import { DocumentGenerationService } from './document-generation.service';
import { PLACEHOLDERS } from './template.placeholders';
import { DocumentTemplatePlaceholder, GeneratedDocumentVersion } from './document-template.type';

@Resolver(() => DocumentTemplate)
export class DocumentTemplateResolver {
  @Authorized('documents:read')
  @Query(() => [DocumentTemplate], { description: 'DOCX templates of documents, by document type (archived ones only when asked)' })
  documentTemplates(@Args() { documentType, includeArchived }: DocumentTemplatesArgs, @Ctx() context: SubgraphContext): Promise<DocumentTemplate[]> {
    return new DocumentTemplateService(context).list(documentType ?? null, includeArchived ?? false);
  }

  @Authorized('documents:read')
  @Query(() => DocumentTemplate, { nullable: true })
  documentTemplate(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<DocumentTemplate | null> {
    return new DocumentTemplateService(context).findById(id);
  }

  @Authorized('documents:read')
  @Query(() => [DocumentTemplatePlaceholder], { description: 'The placeholders a template may use, e.g. {counterparty.name}' })
  documentTemplatePlaceholders(): DocumentTemplatePlaceholder[] {
    return Object.entries(PLACEHOLDERS).map(([name, description]) => Object.assign(new DocumentTemplatePlaceholder(), { name, description }));
  }

  @Authorized('templates:manage')
  @Mutation(() => DocumentTemplate, { description: 'Creates a template; upload its DOCX with POST /rest/documents/templates/{id}/versions' })
  createDocumentTemplate(@Arg('input') input: CreateDocumentTemplateInput, @Ctx() context: SubgraphContext): Promise<DocumentTemplate> {
    return new DocumentTemplateService(context).create(input);
  }

  @Authorized('templates:manage')
  @Mutation(() => DocumentTemplate)
  updateDocumentTemplate(@Arg('input') input: UpdateDocumentTemplateInput, @Ctx() context: SubgraphContext): Promise<DocumentTemplate> {
    return new DocumentTemplateService(context).update(input);
  }

  @Authorized('templates:manage')
  @Mutation(() => DocumentTemplate, { description: 'Archives (or restores) a template; documents made from it keep their files' })
  archiveDocumentTemplate(@Arg('input') input: ArchiveDocumentTemplateInput, @Ctx() context: SubgraphContext): Promise<DocumentTemplate> {
    return new DocumentTemplateService(context).archive(input.id, input.version, input.archived ?? true);
  }

  @Authorized('documents:write')
  @Mutation(() => GeneratedDocumentVersion, { description: 'Adds a version to a draft from a template: DOCX, and PDF when LibreOffice is installed (else a warning)' })
  generateDocumentVersion(@Arg('input') input: GenerateDocumentVersionInput, @Ctx() context: SubgraphContext): Promise<GeneratedDocumentVersion> {
    return new DocumentGenerationService(context).generate(input.documentId, input.templateId, input.version ?? null).then((result) => Object.assign(new GeneratedDocumentVersion(), result));
  }

  @FieldResolver(() => [DocumentTemplateVersion], { description: 'Uploaded versions, newest first' })
  versions(@Root() template: DocumentTemplate, @Ctx() context: SubgraphContext): Promise<DocumentTemplateVersion[]> {
    return new DocumentTemplateService(context).versionsOf(template.id);
  }
}

@Resolver(() => DocumentTemplateVersion)
export class DocumentTemplateVersionResolver {
  @FieldResolver(() => DocumentFile, { nullable: true, description: 'The DOCX (its url downloads it)' })
  async file(@Root() version: DocumentTemplateVersion, @Ctx() context: SubgraphContext): Promise<DocumentFile | null> {
    const stored = await new FileService(context.em).findStoredFile(version.storedFileId);
    return stored ? Object.assign(DocumentFile.of(stored), { url: `/rest/documents/templates/versions/${version.id}/file` }) : null;
  }
}
