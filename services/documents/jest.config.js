/** @type {import('jest').Config} */
module.exports = {
  ...require('../kit/jest.preset.js'),
  displayName: 'documents',
  rootDir: __dirname,
  // Only specs are test files, so helpers can live beside them in __tests__ (and stay out of the build).
  testMatch: ['**/?(*.)+(spec|test).ts'],
};
