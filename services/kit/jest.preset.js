// Shared jest setup of every service: @swc/jest with decorator metadata, kit resolved from source.
const path = require('node:path');
const { scaled } = require('./jest.timing.js');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  // KARTOTEKA_TEST_SLOWDOWN stretches it (see jest.timing.js)
  testTimeout: scaled(30000),
  moduleNameMapper: {
    '^@kartoteka/kit$': path.join(__dirname, 'src/index.ts'),
    '^@kartoteka/kit/(.*)$': path.join(__dirname, 'src/$1'),
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
};
