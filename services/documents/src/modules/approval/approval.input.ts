import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ConnectionArgs } from '@kartoteka/kit';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DocumentType } from '../document/document.entity';
import { ResubmitMode } from './approval.enums';

@InputType()
export class StartApprovalInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) documentId!: string;
  @Field(() => ID, { nullable: true, description: 'The route template; the default one of the document type when omitted' })
  @IsOptional() @IsUUID('all', { message: 'Not a valid template id' })
  routeTemplateId?: string | null;
}

@InputType()
export class ApproveStepInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid step id' }) stepId!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(4000, { message: 'A comment is at most 4000 characters long' }) comment?: string | null;
}

@InputType()
export class RejectStepInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid step id' }) stepId!: string;
  @Field({ description: 'Required: what to rework' }) @IsString() @MaxLength(4000, { message: 'A comment is at most 4000 characters long' }) comment!: string;
}

@InputType()
export class DelegateStepInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid step id' }) stepId!: string;
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid user id' }) toUserId!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(4000) comment?: string | null;
}

@InputType()
export class ResubmitDocumentInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) documentId!: string;
  @Field(() => ResubmitMode) @IsEnum(ResubmitMode) mode!: ResubmitMode;
  @Field(() => [ID], { nullable: true, description: 'Files of the reworked version, if it was not added yet' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true, message: 'Not a valid file id' })
  fileIds?: string[] | null;
  @Field(() => String, { nullable: true, description: 'What was reworked' }) @IsOptional() @IsString() @MaxLength(2000) comment?: string | null;
}

@InputType()
export class FinishApprovalInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid document id' }) documentId!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(4000) comment?: string | null;
}

@ArgsType()
export class RouteTemplatesArgs {
  @Field(() => DocumentType, { nullable: true }) @IsOptional() @IsEnum(DocumentType) documentType?: DocumentType | null;
  @Field(() => Boolean, { nullable: true, description: 'Include inactive templates' }) @IsOptional() includeInactive?: boolean | null;
}

@ArgsType()
export class TasksArgs extends ConnectionArgs {}
