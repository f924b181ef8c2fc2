import type { SubgraphContext } from '@kartoteka/kit';
import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Document } from '../document/document.stub';
import { Payment } from '../payment/payment.entity';
import { ContractExecution } from './contract-execution.type';
import { ExecutionService } from './execution.service';

/** Adds a contract's execution to the documents subgraph's Document. */
@Resolver(() => Document)
export class DocumentExecutionResolver {
  @Authorized('finance:read')
  @FieldResolver(() => ContractExecution, { nullable: true, description: 'The execution of a signed contract (null for any other document); batched across documents' })
  execution(@Root() document: Document, @Ctx() context: SubgraphContext): Promise<ContractExecution | null> {
    return new ExecutionService(context).ofContract(document.id);
  }
}

@Resolver(() => ContractExecution)
export class ContractExecutionResolver {
  @FieldResolver(() => [Payment], { description: 'The payments counted against the contract, oldest first' })
  payments(@Root() execution: ContractExecution, @Ctx() context: SubgraphContext): Promise<Payment[]> {
    return new ExecutionService(context).payments(execution.paymentIds);
  }
}
