import { ConnectionArgs, SortDirection } from '@kartoteka/kit';
import { ArrayMaxSize, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { RatingGrade } from '../rating/counterparty-rating.entity';
import { CounterpartyKind, CounterpartyStatus } from './counterparty.entity';

export const COUNTERPARTY_SORTS = ['NAME', 'INN', 'MANAGER', 'UPDATED', 'RATING'] as const;
export type CounterpartySort = (typeof COUNTERPARTY_SORTS)[number];
export const CounterpartySort = Object.fromEntries(COUNTERPARTY_SORTS.map((sort) => [sort, sort])) as { [K in CounterpartySort]: K };
registerEnumType(CounterpartySort, {
  name: 'CounterpartySort',
  description: 'Order of the counterparty list',
  valuesConfig: {
    NAME: { description: 'By name without the legal form («ООО», «Акционерное общество», «LLC» …), case- and ё-insensitive (also with a search)' },
    INN: { description: 'By INN' },
    MANAGER: { description: 'By the responsible manager\'s name; counterparties without one last' },
    UPDATED: { description: 'By the time of the last change; newest first by default' },
    RATING: { description: 'By reliability rating (finance), best first by default, unrated last; ties by name' },
  },
});


// Only lengths and shapes here; trimming, requisite checksums, e-mail format, tags and uniqueness are the
// service's rules, applied to the resulting state of every write.

export const LIMITS = {
  name: 500,
  shortName: 200,
  address: 1000,
  bankName: 300,
  contactName: 200,
  position: 200,
  email: 254,
  phone: 50,
  tag: 50,
  tags: 20,
  contacts: 50,
  bankAccounts: 20,
} as const;

@InputType()
export class BankAccountInput {
  @Field()
  @MaxLength(LIMITS.bankName, { message: `Bank name must be at most ${LIMITS.bankName} characters long` })
  bankName!: string;

  @Field()
  @MaxLength(30, { message: 'BIK is too long' })
  bik!: string;

  @Field({ description: 'Settlement account, 20 digits' })
  @MaxLength(40, { message: 'Settlement account number is too long' })
  account!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40, { message: 'Correspondent account number is too long' })
  correspondentAccount?: string | null;
}

@InputType()
export class ContactInput {
  @Field()
  @MaxLength(LIMITS.contactName, { message: `Contact name must be at most ${LIMITS.contactName} characters long` })
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.position, { message: `Position must be at most ${LIMITS.position} characters long` })
  position?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.email, { message: `E-mail must be at most ${LIMITS.email} characters long` })
  email?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.phone, { message: `Phone must be at most ${LIMITS.phone} characters long` })
  phone?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'The contact agreed to receive offer mailings (false when omitted)' })
  @IsOptional()
  mailingConsent?: boolean | null;
}

@InputType()
export class CreateCounterpartyInput {
  @Field({ description: 'Full name; trimmed, must not be empty' })
  @MaxLength(LIMITS.name, { message: `Name must be at most ${LIMITS.name} characters long` })
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.shortName, { message: `Short name must be at most ${LIMITS.shortName} characters long` })
  shortName?: string | null;

  @Field(() => CounterpartyKind)
  kind!: CounterpartyKind;

  @Field(() => CounterpartyStatus, { nullable: true, defaultValue: CounterpartyStatus.PROSPECT, description: 'Any status but ARCHIVED (use archiveCounterparty)' })
  status?: CounterpartyStatus | null;

  @Field({ description: 'Digits only; spaces are removed' })
  @MaxLength(30, { message: 'INN is too long' })
  inn!: string;

  @Field(() => String, { nullable: true, description: 'Required for a legal entity, absent otherwise' })
  @IsOptional()
  @MaxLength(30, { message: 'KPP is too long' })
  kpp?: string | null;

  @Field(() => String, { nullable: true, description: 'ОГРН for a legal entity, ОГРНИП for a sole proprietor, absent for an individual' })
  @IsOptional()
  @MaxLength(30, { message: 'OGRN is too long' })
  ogrn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.address, { message: `Legal address must be at most ${LIMITS.address} characters long` })
  legalAddress?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.address, { message: `Postal address must be at most ${LIMITS.address} characters long` })
  postalAddress?: string | null;

  @Field(() => [BankAccountInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(LIMITS.bankAccounts, { message: `At most ${LIMITS.bankAccounts} bank accounts` })
  @ValidateNested()
  bankAccounts?: BankAccountInput[] | null;

  @Field(() => [ContactInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(LIMITS.contacts, { message: `At most ${LIMITS.contacts} contacts` })
  @ValidateNested()
  contacts?: ContactInput[] | null;

  @Field(() => [String], { nullable: true, description: `Trimmed, lower-cased, de-duplicated; at most ${LIMITS.tags}` })
  @IsOptional()
  @ArrayMaxSize(100, { message: `At most ${LIMITS.tags} tags` })
  @IsString({ each: true })
  @MaxLength(LIMITS.tag, { each: true, message: `A tag must be at most ${LIMITS.tag} characters long` })
  tags?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'A user id (identity subgraph)' })
  @IsOptional()
  @IsUUID('all', { message: 'Responsible manager must be a user id' })
  responsibleManagerId?: string | null;
}

/** Any field of the create input; an omitted field stays as it is, null clears it, a list replaces the whole list. */
@InputType()
export class UpdateCounterpartyInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'The version the edit is based on; a stale version fails with CONFLICT' })
  @IsInt()
  @Min(1, { message: 'version must be at least 1' })
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.name, { message: `Name must be at most ${LIMITS.name} characters long` })
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.shortName, { message: `Short name must be at most ${LIMITS.shortName} characters long` })
  shortName?: string | null;

  @Field(() => CounterpartyKind, { nullable: true })
  kind?: CounterpartyKind | null;

  @Field(() => CounterpartyStatus, { nullable: true, description: 'Any status but ARCHIVED (use archiveCounterparty)' })
  status?: CounterpartyStatus | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(30, { message: 'INN is too long' })
  inn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(30, { message: 'KPP is too long' })
  kpp?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(30, { message: 'OGRN is too long' })
  ogrn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.address, { message: `Legal address must be at most ${LIMITS.address} characters long` })
  legalAddress?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.address, { message: `Postal address must be at most ${LIMITS.address} characters long` })
  postalAddress?: string | null;

  @Field(() => [BankAccountInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(LIMITS.bankAccounts, { message: `At most ${LIMITS.bankAccounts} bank accounts` })
  @ValidateNested()
  bankAccounts?: BankAccountInput[] | null;

  @Field(() => [ContactInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(LIMITS.contacts, { message: `At most ${LIMITS.contacts} contacts` })
  @ValidateNested()
  contacts?: ContactInput[] | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100, { message: `At most ${LIMITS.tags} tags` })
  @IsString({ each: true })
  @MaxLength(LIMITS.tag, { each: true, message: `A tag must be at most ${LIMITS.tag} characters long` })
  tags?: string[] | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'Responsible manager must be a user id' })
  responsibleManagerId?: string | null;
}

@ArgsType()
export class CounterpartiesArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Part of the name (case-insensitive, typo-tolerant), or the first digits of an INN / OGRN' })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'Search must be at most 200 characters long' })
  search?: string | null;

  @Field(() => CounterpartyStatus, { nullable: true, description: 'Only this status; archived counterparties are listed only when asked for' })
  @IsOptional()
  status?: CounterpartyStatus | null;

  @Field(() => Float, { nullable: true, description: 'Only counterparties whose reliability rating (finance) is at least this, 0..100; unrated ones are left out' })
  @IsOptional()
  @Min(0, { message: 'minRating must be between 0 and 100' })
  @Max(100, { message: 'minRating must be between 0 and 100' })
  minRating?: number | null;

  @Field(() => [RatingGrade], { nullable: true, description: 'Only counterparties with one of these rating grades; null or empty: any, rated or not' })
  @IsOptional()
  @ArrayMaxSize(4, { message: 'At most 4 grades' })
  ratingGrades?: RatingGrade[] | null;

  @Field(() => CounterpartySort, { nullable: true, description: 'The order; without it, by relevance with a search and by name without' })
  @IsOptional()
  sort?: CounterpartySort | null;

  @Field(() => SortDirection, { nullable: true, description: 'Without it: NAME, INN, MANAGER ascending; UPDATED, RATING descending' })
  @IsOptional()
  direction?: SortDirection | null;
}
