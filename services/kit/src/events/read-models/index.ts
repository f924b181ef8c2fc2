export * from './counterparty-ref.entity';
export * from './user-ref.entity';
export * from './reference-directories';
export * from './reference-check';
