const path = require('node:path');
const { scaled } = require('../services/kit/jest.timing.js');
const preset = require('../services/kit/jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'cross-service',
  rootDir: __dirname,
  testTimeout: scaled(90000),
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    // the portal's query modules (portal-operations.spec) load the utility module from source, as their build does
    '^@kartoteka/portal-api$': path.join(__dirname, '../frontends/api/src/index.ts'),
  },
};
