/** `pnpm bench`: benchmarks, never part of `pnpm test`. */
/** @type {import('jest').Config} */
module.exports = { ...require('../services/kit/jest.preset.js'), displayName: 'bench', rootDir: __dirname, testMatch: ['**/*.bench.ts'], testTimeout: 600000 };
