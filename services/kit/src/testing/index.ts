export * from './test-database';
export * from './test-subgraph';
export * from './collect-pages';
export * from './demo-identity';
export * from './reference-fixtures';
export * from './smtp-sink';
