import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { DocumentType } from '../document/document.entity';

/** Codes deal actions refer to: lower-case letters, digits and dashes. */
export const TEMPLATE_CODE_PATTERN = /^[a-z][a-z0-9-]{1,49}$/;

@ArgsType()
export class DocumentTemplatesArgs {
  @Field(() => DocumentType, { nullable: true }) @IsOptional() @IsEnum(DocumentType) documentType?: DocumentType | null;
  @Field(() => Boolean, { nullable: true, description: 'Include archived templates' }) @IsOptional() @IsBoolean() includeArchived?: boolean | null;
}

@InputType()
export class CreateDocumentTemplateInput {
  @Field({ description: 'Stable code, e.g. supply-contract (lower-case letters, digits, dashes)' })
  @IsString()
  @Matches(TEMPLATE_CODE_PATTERN, { message: 'Use 2–50 lower-case Latin letters, digits or dashes, starting with a letter' })
  code!: string;

  @Field() @IsString() @MaxLength(200) name!: string;
  @Field(() => DocumentType) @IsEnum(DocumentType) documentType!: DocumentType;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
}

@InputType()
export class UpdateDocumentTemplateInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid template id' }) id!: string;
  @Field(() => Int) @IsInt() @Min(1) version!: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) name?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @Field(() => Int, { nullable: true, description: 'Make an earlier uploaded version the one used for generation' }) @IsOptional() @IsInt() @Min(1) currentVersionNumber?: number | null;
}

@InputType()
export class ArchiveDocumentTemplateInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid template id' }) id!: string;
  @Field(() => Int) @IsInt() @Min(1) version!: number;
  @Field(() => Boolean, { nullable: true, description: 'false restores an archived template' }) @IsOptional() @IsBoolean() archived?: boolean | null;
}

@InputType()
export class GenerateDocumentVersionInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) documentId!: string;
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid template id' }) templateId!: string;
  @Field(() => Int, { nullable: true, description: 'Template version to use; the current one when omitted' }) @IsOptional() @IsInt() @Min(1) version?: number | null;
}
