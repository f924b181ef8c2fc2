import type { SubgraphContext } from '@kartoteka/kit';
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { ContractExecution } from '../execution/contract-execution.type';
import { ContractTermsInput } from './contract-terms.input';
import { ContractTermsService } from './contract-terms.service';

@Resolver()
export class ContractTermsResolver {
  @Authorized('finance:write')
  @Mutation(() => ContractExecution, { description: 'Sets a signed contract\'s direction and schedule (replacing the previous schedule); returns its execution' })
  setContractTerms(@Arg('input', () => ContractTermsInput) input: ContractTermsInput, @Ctx() context: SubgraphContext): Promise<ContractExecution> {
    return new ContractTermsService(context).setTerms(input);
  }
}
