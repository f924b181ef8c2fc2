import { ConnectionArgs, listCountsOf, type SubgraphContext } from '@kartoteka/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Counterparty } from '../counterparty/counterparty.stub';
import { PaymentConnection } from './payment-connection.resolver';
import { Payment } from './payment.entity';
import { MatchPaymentInput, PaymentFilter } from './payment.input';
import { PaymentService } from './payment.service';

/** The payments registry, the review queue and matching by hand. */
@Resolver(() => Payment)
export class PaymentResolver {
  @Authorized('finance:read')
  @Query(() => PaymentConnection, { description: 'Payments from bank statements, newest first' })
  payments(@Arg('filter', () => PaymentFilter, { nullable: true }) filter: PaymentFilter | null, @Args() { first, after }: ConnectionArgs, @Ctx() context: SubgraphContext, @Info() info: GraphQLResolveInfo) {
    return new PaymentService(context).list(filter, { first, after, ...listCountsOf(info) });
  }

  @Authorized('finance:read')
  @Query(() => PaymentConnection, { description: 'The review queue: UNMATCHED and AMBIGUOUS payments, newest first' })
  unmatchedPayments(@Args() { first, after }: ConnectionArgs, @Ctx() context: SubgraphContext, @Info() info: GraphQLResolveInfo) {
    return new PaymentService(context).unmatched({ first, after, ...listCountsOf(info) });
  }

  @Authorized('payments:match')
  @Mutation(() => Payment, { description: 'Matches a payment by hand to a counterparty (and an invoice or contract of theirs)' })
  matchPayment(@Arg('input', () => MatchPaymentInput) input: MatchPaymentInput, @Ctx() context: SubgraphContext) {
    return new PaymentService(context).match(input);
  }

  @Authorized('payments:match')
  @Mutation(() => Payment, { description: 'Takes a payment back to the review queue; automatic matching leaves it alone afterwards' })
  unmatchPayment(@Arg('paymentId', () => ID) paymentId: string, @Ctx() context: SubgraphContext) {
    return new PaymentService(context).unmatch(paymentId);
  }
}

/** Adds the counterparty's payments to the counterparties subgraph's entity. */
@Resolver(() => Counterparty)
export class CounterpartyPaymentsResolver {
  @Authorized('finance:read')
  @FieldResolver(() => PaymentConnection, { description: 'Payments matched to this counterparty, newest first; batched across counterparties' })
  payments(@Root() counterparty: Counterparty, @Args() { first, after }: ConnectionArgs, @Ctx() context: SubgraphContext) {
    return new PaymentService(context).pageOfCounterparty(counterparty.id, { first, after });
  }
}
