import { ConnectionArgs, ConnectionType, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Counterparty, counterpartyStub } from '../counterparty/counterparty.stub';
import { User, userStub } from '../user/user.stub';
import { MailingRecipient } from './mailing-recipient.entity';
import { Mailing, MailingAudienceFilter } from './mailing.entity';
import { CreateMailingInput, MailingAudienceFilterInput, MailingIdInput, MailingRecipientsArgs, MailingsArgs, RenderMailingInput, UpdateMailingInput } from './mailing.input';
import { MailingService } from './mailing.service';
import { MailingAudiencePreview, MailingProgress, MailingRendered } from './mailing.type';

export const MailingConnection = ConnectionType(Mailing, 'Mailing');
export const MailingRecipientConnection = ConnectionType(MailingRecipient, 'MailingRecipient');

@Resolver(() => Mailing)
export class MailingResolver {
  @Authorized('mailings:read')
  @Query(() => MailingConnection, { description: 'Mailings, newest first' })
  mailings(@Args() { status, q, first, after }: MailingsArgs, @Ctx() context: SubgraphContext) {
    return new MailingService(context).list({ status, q }, { first, after });
  }

  @Authorized('mailings:read')
  @Query(() => Mailing, { nullable: true, description: 'A mailing by id; null if there is none' })
  mailing(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Mailing | null> {
    return new MailingService(context).findById(id);
  }

  @Authorized('mailings:read')
  @Query(() => MailingRendered, { description: 'Renders unsaved content as it would be sent: sanitized, personalised for a counterparty or with sample values' })
  renderMailing(@Arg('input') input: RenderMailingInput, @Ctx() context: SubgraphContext): Promise<MailingRendered> {
    return new MailingService(context).render(input);
  }

  @Authorized('mailings:read')
  @Query(() => MailingAudiencePreview, { description: 'Who an audience filter reaches now: counts and a sample' })
  mailingAudiencePreview(@Arg('audience') audience: MailingAudienceFilterInput, @Ctx() context: SubgraphContext): Promise<MailingAudiencePreview> {
    return new MailingService(context).previewAudience(audience);
  }

  @Authorized('mailings:manage')
  @Mutation(() => Mailing, { description: 'Creates a DRAFT mailing' })
  createMailing(@Arg('input') input: CreateMailingInput, @Ctx() context: SubgraphContext): Promise<Mailing> {
    return new MailingService(context).create(input);
  }

  @Authorized('mailings:manage')
  @Mutation(() => Mailing, { description: 'Changes a DRAFT or REJECTED mailing (REJECTED goes back to DRAFT); a stale version fails with CONFLICT' })
  updateMailing(@Arg('input') input: UpdateMailingInput, @Ctx() context: SubgraphContext): Promise<Mailing> {
    return new MailingService(context).update(input);
  }

  @Authorized('mailings:manage')
  @Mutation(() => Mailing, { description: 'DRAFT → ON_APPROVAL: files an EDMS document (COMMERCIAL_OFFER) with the rendered message and starts its approval route' })
  submitMailingForApproval(@Arg('input') input: MailingIdInput, @Ctx() context: SubgraphContext): Promise<Mailing> {
    return new MailingService(context).submit(input.id);
  }

  @Authorized('mailings:manage')
  @Mutation(() => Mailing, { description: 'APPROVED → SENDING: the recipients are fixed now (the audience at this moment)' })
  startMailing(@Arg('input') input: MailingIdInput, @Ctx() context: SubgraphContext): Promise<Mailing> {
    return new MailingService(context).start(input.id);
  }

  @Authorized('mailings:manage')
  @Mutation(() => Mailing, { description: 'SENDING → PAUSED' })
  pauseMailing(@Arg('input') input: MailingIdInput, @Ctx() context: SubgraphContext): Promise<Mailing> {
    return new MailingService(context).pause(input.id);
  }

  @Authorized('mailings:manage')
  @Mutation(() => Mailing, { description: 'PAUSED → SENDING' })
  resumeMailing(@Arg('input') input: MailingIdInput, @Ctx() context: SubgraphContext): Promise<Mailing> {
    return new MailingService(context).resume(input.id);
  }

  @Authorized('mailings:manage')
  @Mutation(() => Mailing, { description: 'DRAFT/ON_APPROVAL/APPROVED/SENDING/PAUSED → CANCELLED (queued recipients stay unsent)' })
  cancelMailing(@Arg('input') input: MailingIdInput, @Ctx() context: SubgraphContext): Promise<Mailing> {
    return new MailingService(context).cancel(input.id);
  }

  @FieldResolver(() => MailingAudienceFilter)
  audience(@Root() mailing: Mailing, @Ctx() context: SubgraphContext): MailingAudienceFilter {
    return Object.assign(new MailingAudienceFilter(), new MailingService(context).audienceOf(mailing));
  }

  @FieldResolver(() => MailingProgress)
  progress(@Root() mailing: Mailing, @Ctx() context: SubgraphContext): Promise<MailingProgress> {
    return new MailingService(context).progressOf(mailing.id);
  }

  @FieldResolver(() => MailingRecipientConnection, { description: 'Its recipients by address (fixed when it started)' })
  recipients(@Root() mailing: Mailing, @Args() { status, first, after }: MailingRecipientsArgs, @Ctx() context: SubgraphContext) {
    return new MailingService(context).recipientsOf(mailing.id, status, { first, after });
  }

  @FieldResolver(() => User, { nullable: true, description: 'The staff member who created it' })
  createdBy(@Root() mailing: Mailing): User | null {
    return userStub(mailing.createdById);
  }
}

@Resolver(() => MailingRecipient)
export class MailingRecipientResolver {
  @FieldResolver(() => Mailing)
  async mailing(@Root() recipient: MailingRecipient, @Ctx() context: SubgraphContext): Promise<Mailing> {
    const found = await new MailingService(context).findById(recipient.mailingId);
    if (!found) throw new Error(`Mailing ${recipient.mailingId} of recipient ${recipient.id} is missing`);
    return found;
  }

  @FieldResolver(() => Counterparty)
  counterparty(@Root() recipient: MailingRecipient): Counterparty {
    return counterpartyStub(recipient.counterpartyId);
  }
}

@Resolver(() => Counterparty)
export class CounterpartyMailingsResolver {
  @Authorized('mailings:read')
  @FieldResolver(() => MailingRecipientConnection, { description: 'This counterparty\'s recipients in every mailing, newest first' })
  mailingRecipients(@Root() counterparty: Counterparty, @Args() { first, after }: ConnectionArgs, @Ctx() context: SubgraphContext) {
    return new MailingService(context).recipientsOfCounterparty(counterparty.id, { first, after });
  }
}
