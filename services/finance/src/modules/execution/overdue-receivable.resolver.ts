import { ConnectionArgs, type SubgraphContext } from '@kartoteka/kit';
import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { OverdueReceivableService } from './overdue-receivable.service';
import { OverdueReceivable, OverdueReceivableConnection } from './overdue-receivable.type';

/** "Overdue invoices of my counterparties" for My day. */
@Resolver(() => OverdueReceivable)
export class OverdueReceivableResolver {
  @Authorized('finance:read')
  @Query(() => OverdueReceivableConnection, {
    description: 'Receivables past due (invoices and contract schedule lines) of the counterparties whose responsible manager is the caller, the longest overdue first',
  })
  myOverdueReceivables(@Args() { first, after }: ConnectionArgs, @Ctx() context: SubgraphContext): Promise<OverdueReceivableConnection> {
    return new OverdueReceivableService(context).mine(first, after);
  }
}
