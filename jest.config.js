/** One jest run over every package: unit and integration specs per service, gateway, cross-service and browser tests. */
const { scaled } = require('./services/kit/jest.timing.js');

/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/services/*/jest.config.js', '<rootDir>/gateway/jest.config.js', '<rootDir>/test/jest.config.js'],
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js'],
  // testTimeout is global in jest (not per project): stacks and the browser need more than 5 s to start.
  // KARTOTEKA_TEST_SLOWDOWN (a factor, see services/kit/jest.timing.js) stretches every timeout of the tests.
  testTimeout: scaled(90000),
};
