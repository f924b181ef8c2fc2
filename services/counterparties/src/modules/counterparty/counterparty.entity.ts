import { randomUUID } from 'node:crypto';
import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '@kartoteka/kit';
import { counterpartyKindCodes, type CounterpartyKindCode } from '@kartoteka/kit/requisites';
import { Directive, Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export const CounterpartyKind = Object.fromEntries(counterpartyKindCodes.map((kind) => [kind, kind])) as { [K in CounterpartyKindCode]: K };
export type CounterpartyKind = CounterpartyKindCode;
registerEnumType(CounterpartyKind, {
  name: 'CounterpartyKind',
  description: 'Legal entity (ЮЛ), sole proprietor (ИП) or individual (физлицо)',
});

export const COUNTERPARTY_STATUSES = ['PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER', 'ARCHIVED'] as const;
export type CounterpartyStatus = (typeof COUNTERPARTY_STATUSES)[number];
export const CounterpartyStatus = Object.fromEntries(COUNTERPARTY_STATUSES.map((status) => [status, status])) as { [K in CounterpartyStatus]: K };
registerEnumType(CounterpartyStatus, {
  name: 'CounterpartyStatus',
  description: 'Relationship with the counterparty; ARCHIVED is set and cleared only by archiveCounterparty / restoreCounterparty',
});

/** Name of the partial unique index that allows one active counterparty per INN + KPP (see the service). */
export const ACTIVE_INN_KPP_UNIQUE = 'counterparties_active_inn_kpp_unique';

/**
 * A counterparty: the aggregate root. Its contacts and bank accounts are rows of their own tables
 * (OneToMany with orphanRemoval) rather than JSONB, because other subgraphs and future features refer to
 * them individually (a payment names the bank account it went to, a mailing names the contact it reached),
 * which needs stable ids and indexable columns; the lists are small and always loaded per batch of
 * counterparties (one query per list, see the resolver's loaders), so the card costs a fixed number of queries.
 *
 * Indexes the ORM cannot express as columns are raw expressions here, so the migration snapshot knows them:
 * the partial unique index on INN + KPP of active counterparties, trigram GIN indexes for typo-tolerant
 * name search (pg_trgm), and pattern indexes for INN / OGRN prefix search.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A counterparty: a legal entity, sole proprietor or individual with requisites, bank accounts and contacts' })
@Entity({ tableName: 'counterparties' })
@Unique({
  name: ACTIVE_INN_KPP_UNIQUE,
  expression: `create unique index "${ACTIVE_INN_KPP_UNIQUE}" on "counterparties" ("inn", coalesce("kpp", '')) where "status" <> 'ARCHIVED'`,
})
@Index({ name: 'counterparties_name_trgm_index', expression: 'create index "counterparties_name_trgm_index" on "counterparties" using gin (lower("name") gin_trgm_ops)' })
@Index({ name: 'counterparties_short_name_trgm_index', expression: 'create index "counterparties_short_name_trgm_index" on "counterparties" using gin (lower("short_name") gin_trgm_ops)' })
@Index({ name: 'counterparties_inn_prefix_index', expression: 'create index "counterparties_inn_prefix_index" on "counterparties" ("inn" varchar_pattern_ops)' })
@Index({ name: 'counterparties_ogrn_prefix_index', expression: 'create index "counterparties_ogrn_prefix_index" on "counterparties" ("ogrn" varchar_pattern_ops)' })
@Index({ name: 'counterparties_name_id_index', properties: ['name', 'id'] })
export class Counterparty extends BaseEntity {
  @Field({ description: 'Full name, e.g. Общество с ограниченной ответственностью «Ромашка»' })
  @Property({ type: 'string', length: 500 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Short name, e.g. ООО «Ромашка»' })
  @Property({ type: 'string', length: 200, nullable: true })
  shortName: string | null = null;

  @Field(() => CounterpartyKind)
  @Enum({ items: [...counterpartyKindCodes] })
  kind!: CounterpartyKind;

  @Field(() => CounterpartyStatus)
  @Enum({ items: [...COUNTERPARTY_STATUSES] })
  status: CounterpartyStatus = 'PROSPECT';

  /** The status to return to on restore. */
  @Enum({ items: [...COUNTERPARTY_STATUSES], nullable: true })
  statusBeforeArchive: CounterpartyStatus | null = null;

  @Field({ description: 'ИНН: 10 digits for a legal entity, 12 for a sole proprietor or an individual' })
  @Property({ type: 'string', length: 12 })
  inn!: string;

  @Field(() => String, { nullable: true, description: 'КПП (legal entities only); branches share the INN with their own KPP' })
  @Property({ type: 'string', length: 9, nullable: true })
  kpp: string | null = null;

  @Field(() => String, { nullable: true, description: 'ОГРН (13 digits) or ОГРНИП (15 digits)' })
  @Property({ type: 'string', length: 15, nullable: true })
  ogrn: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 1000, nullable: true })
  legalAddress: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 1000, nullable: true })
  postalAddress: string | null = null;

  @Field(() => [String], { description: 'Lower-case labels, unique, at most 20' })
  @Property({ type: 'text[]' })
  tags: string[] = [];

  /** A user of the identity subgraph (no cross-database foreign key). */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  responsibleManagerId: string | null = null;

  @Field(() => Int, { description: 'Incremented on every change; send it back with updateCounterparty (optimistic locking)' })
  @Property({ type: 'integer', default: 1 })
  version: Opt<number> = 1;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null = null;

  @OneToMany(() => CounterpartyContact, (contact) => contact.counterparty, { orphanRemoval: true, orderBy: { sortOrder: 'asc' } })
  contacts = new Collection<CounterpartyContact>(this);

  @OneToMany(() => CounterpartyBankAccount, (account) => account.counterparty, { orphanRemoval: true, orderBy: { sortOrder: 'asc' } })
  bankAccounts = new Collection<CounterpartyBankAccount>(this);
}

@ObjectType('Contact', { description: 'A contact person of a counterparty' })
@Entity({ tableName: 'counterparty_contacts' })
export class CounterpartyContact {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => Counterparty, { deleteRule: 'cascade', index: true })
  counterparty!: Counterparty;

  /** Position in the counterparty's list, as entered. */
  @Property({ type: 'smallint' })
  sortOrder!: number;

  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 200, nullable: true })
  position: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 254, nullable: true })
  email: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  phone: string | null = null;
}

@ObjectType('BankAccount', { description: 'A settlement account of a counterparty in a Russian bank' })
@Entity({ tableName: 'counterparty_bank_accounts' })
export class CounterpartyBankAccount {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => Counterparty, { deleteRule: 'cascade', index: true })
  counterparty!: Counterparty;

  @Property({ type: 'smallint' })
  sortOrder!: number;

  @Field()
  @Property({ type: 'string', length: 300 })
  bankName!: string;

  @Field({ description: 'БИК: 9 digits starting with 04' })
  @Property({ type: 'string', length: 9 })
  bik!: string;

  @Field({ description: 'Settlement account (расчётный счёт): 20 digits, control key checked against the BIK' })
  @Index()
  @Property({ type: 'string', length: 20 })
  account!: string;

  @Field(() => String, { nullable: true, description: 'Correspondent account of the bank (корр. счёт)' })
  @Property({ type: 'string', length: 20, nullable: true })
  correspondentAccount: string | null = null;
}
