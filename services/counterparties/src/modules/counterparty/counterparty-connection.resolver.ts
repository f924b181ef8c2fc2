import { CappedCountResolver, ConnectionType } from '@kartoteka/kit';
import { Counterparty } from './counterparty.entity';

export const CounterpartyConnection = ConnectionType(Counterparty, 'Counterparty');

/** `totalCountAtLeast` / `totalCountCapped` of the counterparties connection: the cheap count of kit's capped-count.ts. */
export const CounterpartyConnectionResolver = CappedCountResolver(CounterpartyConnection, 'counterparties');
