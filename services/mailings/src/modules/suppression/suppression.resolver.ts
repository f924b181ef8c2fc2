import { ConnectionArgs, ConnectionType, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Suppression } from './suppression.entity';
import { AddSuppressionInput } from './suppression.input';
import { SuppressionService } from './suppression.service';

export const SuppressionConnection = ConnectionType(Suppression, 'Suppression');

/** The suppression list: addresses no mailing goes to. */
@Resolver(() => Suppression)
export class SuppressionResolver {
  @Authorized('mailings:read')
  @Query(() => SuppressionConnection, { description: 'Addresses no mailing is sent to (unsubscribed, bounced hard twice, added by hand), newest first' })
  suppressions(@Args() { first, after }: ConnectionArgs, @Arg('q', () => String, { nullable: true, description: 'Part of the address' }) q: string | null, @Ctx() context: SubgraphContext) {
    return new SuppressionService(context).list({ first, after, q });
  }

  @Authorized('mailings:manage')
  @Mutation(() => Suppression, { description: 'Puts an address on the suppression list by hand (reason MANUAL); an address already there is returned as it is' })
  addSuppression(@Arg('input', () => AddSuppressionInput) input: AddSuppressionInput, @Ctx() context: SubgraphContext) {
    return new SuppressionService(context).add(input.email);
  }
}
