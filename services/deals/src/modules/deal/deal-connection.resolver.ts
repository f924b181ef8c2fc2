import { CappedCountResolver, ConnectionType } from '@kartoteka/kit';
import { Deal } from './deal.entity';

export const DealConnection = ConnectionType(Deal, 'Deal');

/** `totalCountAtLeast` / `totalCountCapped` of the deals connection: the cheap count of kit's capped-count.ts. */
export const DealConnectionResolver = CappedCountResolver(DealConnection, 'deals');
