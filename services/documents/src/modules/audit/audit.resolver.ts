import { ConnectionArgs, ConnectionType, type SubgraphContext } from '@kartoteka/kit';
import { Args, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Document } from '../document/document.entity';
import { User, userStub } from '../user/user.stub';
import { AuditRecord } from './audit-record.entity';
import { AuditService, type AuditChainBreak, type AuditChainVerification } from './audit.service';

export const AuditRecordConnection = ConnectionType(AuditRecord, 'AuditRecord');

@ObjectType('AuditChainVerification', { description: 'Result of walking the whole audit chain' })
export class AuditChainVerificationType implements AuditChainVerification {
  @Field({ description: 'True when every record verifies' })
  valid!: boolean;

  @Field(() => Int, { description: 'Records examined: all of them when valid, up to and including the first broken one otherwise' })
  checkedCount!: number;

  @Field(() => Int, { nullable: true, description: 'The first record at which the chain fails to verify (for a deleted record: the one after the gap)' })
  firstBrokenSeq!: number | null;

  @Field(() => ID, { nullable: true })
  firstBrokenRecordId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'hash-mismatch (the record was edited), sequence-gap (a record was deleted), link-mismatch (prevHash is not the previous record\'s hash: reordered, inserted or re-hashed records)',
  })
  reason!: AuditChainBreak | null;

  @Field(() => Int, { nullable: true, description: 'seq of the last record of a valid chain; keep it elsewhere to notice a cut-off tail later' })
  headSeq!: number | null;

  @Field(() => String, { nullable: true, description: 'hash of the last record of a valid chain' })
  headHash!: string | null;
}

@Resolver(() => Document)
export class DocumentAuditResolver {
  @Authorized('documents:read')
  @FieldResolver(() => AuditRecordConnection, { nullable: true, description: 'The audit trail of this document, newest first' })
  auditTrail(@Root() document: Document, @Args() { first, after }: ConnectionArgs, @Ctx() context: SubgraphContext) {
    return new AuditService(context.em, context.loaders).trailOfDocument(document.id, { first, after });
  }
}

@Resolver(() => AuditRecord)
export class AuditRecordResolver {
  @Authorized('audit:verify')
  @Query(() => AuditChainVerificationType, { description: 'Verifies the whole audit chain (administrators)' })
  verifyAuditChain(@Ctx() context: SubgraphContext): Promise<AuditChainVerification> {
    return new AuditService(context.em).verifyChain();
  }

  @FieldResolver(() => User, { nullable: true, description: 'The staff member who acted; null for partner systems and the system' })
  actor(@Root() record: AuditRecord): User | null {
    return record.actorKind === 'user' ? userStub(record.actorId) : null;
  }
}
