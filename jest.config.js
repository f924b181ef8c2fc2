/** One jest run over every package: unit and integration specs per service, gateway, cross-service and browser tests. */
/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/services/*/jest.config.js', '<rootDir>/gateway/jest.config.js', '<rootDir>/test/jest.config.js'],
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js'],
  // testTimeout is global in jest (not per project): stacks and the browser need more than 5 s to start.
  testTimeout: 90000,
};
