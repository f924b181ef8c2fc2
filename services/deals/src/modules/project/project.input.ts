import { ConnectionArgs, OptionalAmountMinorField, OptionalCurrencyField, OptionalIsoDateField } from '@kartoteka/kit';
import { ArrayMaxSize, ArrayMinSize, IsEnum, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ProjectOrder, ProjectRole, ProjectStatus } from './project.entity';

/** Limits of a project's lists: a project is a handful of counterparties and a team, not a directory. */
export const PROJECT_LIMITS = { counterparties: 50, team: 100, deals: 500, documents: 1000, description: 10_000 } as const;

@InputType({ description: 'A member of a project\'s team' })
export class ProjectMemberInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid user id' })
  userId!: string;

  @Field(() => ProjectRole, { defaultValue: ProjectRole.MEMBER })
  @IsEnum(ProjectRole)
  role: ProjectRole = ProjectRole.MEMBER;
}

@InputType()
export class CreateProjectInput {
  @Field({ description: 'E.g. «Внедрение ЭДО в группе компаний»' })
  @IsString()
  @MaxLength(300, { message: 'The name must be at most 300 characters long' })
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50, { message: 'The code must be at most 50 characters long' })
  code?: string | null;

  @Field(() => ProjectStatus, { nullable: true, description: 'PLANNED when omitted' })
  @IsOptional()
  @IsEnum(ProjectStatus)
  status?: ProjectStatus | null;

  @OptionalIsoDateField('Start date, YYYY-MM-DD')
  startDate?: string | null;

  @OptionalIsoDateField('End date, YYYY-MM-DD; not before the start date')
  endDate?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(PROJECT_LIMITS.description, { message: `The description must be at most ${PROJECT_LIMITS.description} characters long` })
  description?: string | null;

  @Field(() => [ID], { description: 'One or more counterparties' })
  @ArrayMinSize(1, { message: 'Choose at least one counterparty' })
  @ArrayMaxSize(PROJECT_LIMITS.counterparties, { message: `At most ${PROJECT_LIMITS.counterparties} counterparties` })
  @IsUUID('all', { each: true, message: 'Not a valid counterparty id' })
  counterpartyIds!: string[];

  @Field(() => [ProjectMemberInput], { nullable: true, description: 'The team; the creator (a staff member) leads it when omitted' })
  @IsOptional()
  @ArrayMaxSize(PROJECT_LIMITS.team, { message: `At most ${PROJECT_LIMITS.team} team members` })
  @ValidateNested({ each: true })
  team?: ProjectMemberInput[] | null;

  @OptionalAmountMinorField('Planned budget in minor units (kopecks), >= 0')
  budgetMinor?: number | null;

  @OptionalCurrencyField()
  budgetCurrency?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Deals to group in the project' })
  @IsOptional()
  @ArrayMaxSize(PROJECT_LIMITS.deals, { message: `At most ${PROJECT_LIMITS.deals} deals` })
  @IsUUID('all', { each: true, message: 'Not a valid deal id' })
  dealIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Documents to group in the project (documents this service knows of: those of its deals)' })
  @IsOptional()
  @ArrayMaxSize(PROJECT_LIMITS.documents, { message: `At most ${PROJECT_LIMITS.documents} documents` })
  @IsUUID('all', { each: true, message: 'Not a valid document id' })
  documentIds?: string[] | null;
}

@InputType({ description: 'Changes to a project: a field left out stays; a list given replaces the whole list' })
export class UpdateProjectInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not a valid project id' })
  id!: string;

  @Field(() => Int, { description: 'The version you edited; a stale one fails with CONFLICT' })
  @IsInt()
  @Min(1)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(300, { message: 'The name must be at most 300 characters long' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'null or empty clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(50, { message: 'The code must be at most 50 characters long' })
  code?: string | null;

  @Field(() => ProjectStatus, { nullable: true })
  @IsOptional()
  @IsEnum(ProjectStatus)
  status?: ProjectStatus | null;

  @OptionalIsoDateField('Start date, YYYY-MM-DD; null clears it')
  startDate?: string | null;

  @OptionalIsoDateField('End date, YYYY-MM-DD; null clears it')
  endDate?: string | null;

  @Field(() => String, { nullable: true, description: 'null or empty clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(PROJECT_LIMITS.description, { message: `The description must be at most ${PROJECT_LIMITS.description} characters long` })
  description?: string | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1, { message: 'Choose at least one counterparty' })
  @ArrayMaxSize(PROJECT_LIMITS.counterparties, { message: `At most ${PROJECT_LIMITS.counterparties} counterparties` })
  @IsUUID('all', { each: true, message: 'Not a valid counterparty id' })
  counterpartyIds?: string[] | null;

  @Field(() => [ProjectMemberInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(PROJECT_LIMITS.team, { message: `At most ${PROJECT_LIMITS.team} team members` })
  @ValidateNested({ each: true })
  team?: ProjectMemberInput[] | null;

  @OptionalAmountMinorField('Planned budget in minor units (kopecks); null clears it')
  budgetMinor?: number | null;

  @OptionalCurrencyField()
  budgetCurrency?: string | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(PROJECT_LIMITS.deals, { message: `At most ${PROJECT_LIMITS.deals} deals` })
  @IsUUID('all', { each: true, message: 'Not a valid deal id' })
  dealIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(PROJECT_LIMITS.documents, { message: `At most ${PROJECT_LIMITS.documents} documents` })
  @IsUUID('all', { each: true, message: 'Not a valid document id' })
  documentIds?: string[] | null;
}

@ArgsType()
export class ProjectsArgs extends ConnectionArgs {
  @Field(() => ProjectStatus, { nullable: true })
  @IsOptional()
  @IsEnum(ProjectStatus)
  status?: ProjectStatus | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid counterparty id' })
  counterpartyId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Projects whose team has this staff member' })
  @IsOptional()
  @IsUUID('all', { message: 'Not a valid user id' })
  memberId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or code, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string | null;

  @Field(() => ProjectOrder, { nullable: true, defaultValue: ProjectOrder.CREATED_DESC, description: 'Newest first when omitted or null' })
  @IsOptional()
  @IsEnum(ProjectOrder)
  orderBy?: ProjectOrder | null;
}

@ArgsType()
export class ProjectHistoryArgs extends ConnectionArgs {}
