import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ROLES } from '@kartoteka/kit';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DocumentType } from '../document/document.entity';
import { CompletionRule, StageMode } from './approval.enums';

@InputType({ description: 'An approver: exactly one of `approverId` (a user) and `role`' })
export class RouteStepInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID('all', { message: 'Not a valid user id' }) approverId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsIn(ROLES, { message: 'Unknown role' }) role?: string | null;
  @Field(() => Int, { description: 'Hours to decide once the step is the approver\'s (1..8760)' })
  @IsInt() @Min(1, { message: 'A deadline is at least one hour' }) @Max(8760, { message: 'A deadline is at most one year (8760 hours)' })
  deadlineHours!: number;
}

@InputType({ description: 'A stage of a route; the last stage is the sign-off' })
export class RouteStageInput {
  @Field() @IsString() @MaxLength(200) name!: string;
  @Field(() => StageMode) @IsEnum(StageMode) mode!: StageMode;
  @Field(() => CompletionRule) @IsEnum(CompletionRule) rule!: CompletionRule;
  @Field(() => Int, { nullable: true, description: 'Approvals needed for QUORUM' }) @IsOptional() @IsInt() @Min(1) quorum?: number | null;
  @Field(() => [RouteStepInput]) @ArrayMinSize(1, { message: 'A stage needs at least one approver' }) @ArrayMaxSize(50) @ValidateNested({ each: true }) steps!: RouteStepInput[];
}

@InputType()
export class CreateRouteTemplateInput {
  @Field() @IsString() @MaxLength(200) name!: string;
  @Field(() => DocumentType) @IsEnum(DocumentType) documentType!: DocumentType;
  @Field(() => Boolean, { nullable: true, description: 'Make it the default route of its document type' }) @IsOptional() @IsBoolean() isDefault?: boolean | null;
  @Field(() => [RouteStageInput]) @ArrayMinSize(1, { message: 'A route needs at least one stage (the sign-off)' }) @ArrayMaxSize(20) @ValidateNested({ each: true }) stages!: RouteStageInput[];
}

@InputType()
export class UpdateRouteTemplateInput {
  @Field(() => ID) @IsUUID('all', { message: 'Not a valid template id' }) id!: string;
  @Field(() => Int) @IsInt() @Min(1) version!: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) name?: string | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() isDefault?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'An inactive template cannot start new routes' }) @IsOptional() @IsBoolean() active?: boolean | null;
  @Field(() => [RouteStageInput], { nullable: true }) @IsOptional() @ArrayMinSize(1, { message: 'A route needs at least one stage (the sign-off)' }) @ArrayMaxSize(20) @ValidateNested({ each: true }) stages?: RouteStageInput[] | null;
}
