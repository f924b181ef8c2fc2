import { JsonObjectField } from '@kartoteka/kit';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class CreateCaseTemplateInput {
  @Field({ description: 'E.g. «Поставка оборудования»' })
  @IsString()
  @MaxLength(200, { message: 'Name must be at most 200 characters long' })
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'Description must be at most 2000 characters long' })
  description?: string | null;

  @JsonObjectField({ nullable: true, description: 'The draft definition { stages, form }; a starter funnel when omitted', message: 'The definition must be an object' })
  definition?: Record<string, unknown> | null;
}

@InputType()
export class UpdateCaseTemplateDraftInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid template id' })
  id!: string;

  @Field(() => Int, { description: 'The draftVersion you edited; a stale one fails with CONFLICT' })
  @IsInt()
  @Min(1)
  draftVersion!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'Name must be at most 200 characters long' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Empty to clear' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'Description must be at most 2000 characters long' })
  description?: string | null;

  @JsonObjectField({ nullable: true, message: 'The definition must be an object' })
  definition?: Record<string, unknown> | null;
}

@InputType()
export class PublishCaseTemplateInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid template id' })
  id!: string;

  @Field(() => Int, { description: 'The draftVersion you reviewed; a stale one fails with CONFLICT' })
  @IsInt()
  @Min(1)
  draftVersion!: number;
}

@InputType()
export class ImportCaseTemplateInput {
  @JsonObjectField({ description: 'An exported file: { format: "kartoteka.case-template", version: 1, name, description, definition }', message: 'The document must be an object' })
  document!: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description: 'Name of the new template. When omitted (or blank): the file\'s name if no template has it yet, otherwise a unique «<name> (копия)», «<name> (копия 2)»…',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'Name must be at most 200 characters long' })
  name?: string | null;
}

@InputType()
export class ArchiveCaseTemplateInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid template id' })
  id!: string;
}

@ArgsType()
export class CaseTemplatesArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'Also list archived templates' })
  @IsOptional()
  @IsBoolean()
  includeArchived: boolean = false;
}
