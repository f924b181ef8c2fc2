import 'reflect-metadata';

export * from './auth/permissions';
export * from './auth/identity';
export * from './auth/auth-checker';
export * from './config/env';
export * from './errors/domain-errors';
export * from './errors/format-error';
export * from './orm/base.entity';
export * from './orm/orm-config';
export * from './orm/migration-cli';
export * from './schema/build-subgraph';
export * from './schema/connection';
export * from './schema/define-reference';
export * from './schema/money';
export * from './server/context';
export * from './server/logger';
export * from './server/subgraph-server';
export * from './demo/demo-users';
