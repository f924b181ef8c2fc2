/**
 * Every event contract between the services, one file per producer: the topic names, the payload types the
 * producers build, and the validating parsers their consumers use (DESIGN §4: "every event type has one
 * contract in kit, validated when consumed").
 */
export * from './contract';
export * from './identity.contracts';
export * from './counterparties.contracts';
export * from './deals.contracts';
export * from './documents.contracts';
export * from './finance.contracts';
export * from './timeline.contracts';
export * from './mailings.contracts';
