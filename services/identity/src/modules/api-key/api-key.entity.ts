import { Entity, Index, Property } from '@mikro-orm/core';
import { BaseEntity, type ApiKeyScope } from '@kartoteka/kit';
import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A partner API key. Its secret is shown once, at creation; only a hash is stored.' })
@Entity({ tableName: 'api_keys' })
export class ApiKey extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field({ description: 'The first characters of the key, to recognise it' })
  @Property({ type: 'string', length: 16 })
  prefix!: string;

  /** sha-256 of the secret part (high-entropy secrets need no slow KDF). */
  @Property({ type: 'string', length: 64, hidden: true })
  secretHash!: string;

  @Field(() => [String])
  @Property({ type: 'text[]' })
  scopes: ApiKeyScope[] = [];

  @Index()
  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;

  @Field(() => Int, { nullable: true, description: 'Requests per minute the gateway accepts with this key; null: the gateway default' })
  @Property({ type: 'integer', nullable: true })
  rateLimitPerMinute: number | null = null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;
}
