/** @type {import('jest').Config} */
module.exports = { ...require('../services/kit/jest.preset.js'), displayName: 'cross-service', rootDir: __dirname, testTimeout: 90000 };
