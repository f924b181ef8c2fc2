import type { SubgraphContext } from '@kartoteka/kit';
import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ExecutionService } from '../execution/execution.service';
import { Payment } from '../payment/payment.entity';
import { CounterpartyFinance } from './counterparty-finance.type';
import { CounterpartyFinanceService } from './counterparty-finance.service';
import { Counterparty } from './counterparty.stub';

/** Adds the counterparty's finance to the counterparties subgraph's entity. */
@Resolver(() => Counterparty)
export class CounterpartyFinanceResolver {
  @Authorized('finance:read')
  @FieldResolver(() => CounterpartyFinance, { description: 'Balances, overdue, contracts and the last 12 months, from signed documents and matched payments; batched across counterparties' })
  finance(@Root() counterparty: Counterparty, @Ctx() context: SubgraphContext): Promise<CounterpartyFinance> {
    return new CounterpartyFinanceService(context).of(counterparty.id);
  }
}

@Resolver(() => CounterpartyFinance)
export class CounterpartyFinanceFieldsResolver {
  @FieldResolver(() => Payment, { nullable: true, description: 'The newest matched payment' })
  async lastPayment(@Root() finance: CounterpartyFinance, @Ctx() context: SubgraphContext): Promise<Payment | null> {
    if (!finance.lastPaymentId) return null;
    const [payment] = await new ExecutionService(context).payments([finance.lastPaymentId]);
    return payment ?? null;
  }
}
