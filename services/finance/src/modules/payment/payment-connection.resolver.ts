import { CappedCountResolver, ConnectionType } from '@kartoteka/kit';
import { Payment } from './payment.entity';

export const PaymentConnection = ConnectionType(Payment, 'Payment');

/** `totalCountAtLeast` / `totalCountCapped` of the payments connection: the cheap count of kit's capped-count.ts. */
export const PaymentConnectionResolver = CappedCountResolver(PaymentConnection, 'payments');
