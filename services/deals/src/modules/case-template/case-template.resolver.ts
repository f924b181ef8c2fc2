import type { SubgraphContext } from '@kartoteka/kit';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { User, userStub } from '../user/user.stub';
import { CaseTemplateVersion } from './case-template-version.entity';
import { CaseTemplate } from './case-template.entity';
import { formJsonSchema, formUiSchema, type JsonSchemaObject } from './case-template.form';
import { ArchiveCaseTemplateInput, CaseTemplatesArgs, CreateCaseTemplateInput, ImportCaseTemplateInput, PublishCaseTemplateInput, UpdateCaseTemplateDraftInput } from './case-template.input';
import { CaseTemplateService } from './case-template.service';
import { CaseStage, CaseTemplatePreview, caseStages } from './case-template.type';

@Resolver(() => CaseTemplate)
export class CaseTemplateResolver {
  @Authorized('deals:read')
  @Query(() => [CaseTemplate], { description: 'Case templates by name (archived ones only when asked)' })
  caseTemplates(@Args() { includeArchived }: CaseTemplatesArgs, @Ctx() context: SubgraphContext): Promise<CaseTemplate[]> {
    return new CaseTemplateService(context).list(includeArchived);
  }

  @Authorized('deals:read')
  @Query(() => CaseTemplate, { nullable: true })
  caseTemplate(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<CaseTemplate | null> {
    return new CaseTemplateService(context).findById(id);
  }

  @Authorized('deals:read')
  @Query(() => CaseTemplatePreview, { description: 'Checks a definition as publishing would (BAD_USER_INPUT with the JSON path in `field`) and shows its form schemas and stages' })
  previewCaseTemplate(@Arg('definition', () => GraphQLJSONObject) definition: Record<string, unknown>, @Ctx() context: SubgraphContext): CaseTemplatePreview {
    return new CaseTemplateService(context).preview(definition);
  }

  @Authorized('deals:read')
  @Query(() => GraphQLJSONObject, { description: 'The template\'s draft as a file: { format: "kartoteka.case-template", version: 1, name, description, definition }' })
  exportCaseTemplate(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext) {
    return new CaseTemplateService(context).exportDocument(id);
  }

  @Authorized('deals:write')
  @Mutation(() => CaseTemplate, { description: 'A new draft template (a starter funnel when no definition is given)' })
  createCaseTemplate(@Arg('input') input: CreateCaseTemplateInput, @Ctx() context: SubgraphContext): Promise<CaseTemplate> {
    return new CaseTemplateService(context).create(input);
  }

  @Authorized('deals:write')
  @Mutation(() => CaseTemplate, { description: 'Saves the draft (structure checked; the full rules apply on publish)' })
  updateCaseTemplateDraft(@Arg('input') input: UpdateCaseTemplateDraftInput, @Ctx() context: SubgraphContext): Promise<CaseTemplate> {
    return new CaseTemplateService(context).updateDraft(input);
  }

  @Authorized('deals:write')
  @Mutation(() => CaseTemplateVersion, { description: 'Publishes the draft as the next immutable version; running deals keep theirs' })
  publishCaseTemplate(@Arg('input') input: PublishCaseTemplateInput, @Ctx() context: SubgraphContext): Promise<CaseTemplateVersion> {
    return new CaseTemplateService(context).publish(input);
  }

  @Authorized('deals:write')
  @Mutation(() => CaseTemplate, { description: 'A new draft template from an exported file, checked like publishing' })
  importCaseTemplate(@Arg('input') input: ImportCaseTemplateInput, @Ctx() context: SubgraphContext): Promise<CaseTemplate> {
    return new CaseTemplateService(context).importDocument(input.document, input.name ?? null);
  }

  @Authorized('deals:write')
  @Mutation(() => CaseTemplate, { description: 'No new deals start on an archived template; running deals go on' })
  archiveCaseTemplate(@Arg('input') input: ArchiveCaseTemplateInput, @Ctx() context: SubgraphContext): Promise<CaseTemplate> {
    return new CaseTemplateService(context).archive(input.id);
  }

  @FieldResolver(() => CaseTemplateVersion, { nullable: true, description: 'The newest published version; null while never published' })
  latestVersion(@Root() template: CaseTemplate, @Ctx() context: SubgraphContext): Promise<CaseTemplateVersion | null> {
    return new CaseTemplateService(context).latestVersionOf(template.id);
  }

  @FieldResolver(() => [CaseTemplateVersion], { description: 'Published versions, newest first' })
  versions(@Root() template: CaseTemplate, @Ctx() context: SubgraphContext): Promise<CaseTemplateVersion[]> {
    return new CaseTemplateService(context).versionsOf(template.id);
  }
}

@Resolver(() => CaseTemplateVersion)
export class CaseTemplateVersionResolver {
  @Authorized('deals:read')
  @Query(() => CaseTemplateVersion, { nullable: true })
  caseTemplateVersion(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<CaseTemplateVersion | null> {
    return new CaseTemplateService(context).findVersion(id);
  }

  @FieldResolver(() => CaseTemplate)
  template(@Root() version: CaseTemplateVersion, @Ctx() context: SubgraphContext): Promise<CaseTemplate | null> {
    return new CaseTemplateService(context).templateById(version.templateId);
  }

  @FieldResolver(() => User, { nullable: true })
  publishedBy(@Root() version: CaseTemplateVersion): User | null {
    return userStub(version.publishedById);
  }

  @FieldResolver(() => GraphQLJSONObject, { description: 'JSON Schema (draft-07) of the deal form data' })
  jsonSchema(@Root() version: CaseTemplateVersion): JsonSchemaObject {
    return formJsonSchema(version.definition);
  }

  @FieldResolver(() => GraphQLJSONObject, { description: 'JSON Forms UI schema of the deal form' })
  uiSchema(@Root() version: CaseTemplateVersion): JsonSchemaObject {
    return formUiSchema(version.definition);
  }

  @FieldResolver(() => [CaseStage])
  stages(@Root() version: CaseTemplateVersion): CaseStage[] {
    return caseStages(version.definition);
  }
}
