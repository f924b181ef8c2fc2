/** `pnpm bench`: benchmarks, never part of `pnpm test`. */
/** @type {import('jest').Config} */
module.exports = { ...require('../services/kit/jest.preset.js'), displayName: 'bench', rootDir: __dirname, testMatch: ['**/*.bench.ts'], testSequencer: '<rootDir>/jest.bench.sequencer.js', testTimeout: 600000 };
