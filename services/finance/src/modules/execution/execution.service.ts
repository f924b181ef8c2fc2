import { byKeys, isUuid, type SubgraphContext, todayUtc } from '@kartoteka/kit';
import { Payment } from '../payment/payment.entity';
import { computeExecution } from './execution.calculator';
import { type ContractExecution, contractExecutionView } from './contract-execution.type';
import { loadContractAccounts } from './finance-facts.loader';

type Context = Pick<SubgraphContext, 'em' | 'loaders'>;

/** Reads of contract execution, batched per request (a list of documents costs the same statements as one). */
export class ExecutionService {
  constructor(private readonly context: Context, private readonly today: () => string = todayUtc) {}

  /** The execution of a verified CONTRACT finance knows; null for any other document. */
  async ofContract(documentId: string): Promise<ContractExecution | null> {
    const loader = this.context.loaders.get<ContractExecution>('finance:execution-of-contract', async (keys) => {
      const ids = keys.map((key) => key.toLowerCase());
      const accounts = await loadContractAccounts(this.context.em, ids.filter(isUuid));
      const today = this.today();
      return ids.map((id) => {
        const facts = accounts.get(id);
        return facts ? contractExecutionView(facts, computeExecution(facts, today)) : null;
      });
    });
    return loader.load(documentId);
  }

  /** Payments by id, one statement per request. */
  async payments(ids: readonly string[]): Promise<Payment[]> {
    const loader = this.context.loaders.get<Payment>('finance:payment-by-id', async (keys) => {
      const rows = await this.context.em.find(Payment, { id: { $in: keys.filter(isUuid) } });
      return byKeys(keys, rows, (row) => row.id);
    });
    const found = await loader.loadMany(ids);
    return found.filter((row): row is Payment => row !== null && !(row instanceof Error));
  }
}
