const { scaled } = require('../services/kit/jest.timing.js');

/** @type {import('jest').Config} */
module.exports = { ...require('../services/kit/jest.preset.js'), displayName: 'cross-service', rootDir: __dirname, testTimeout: scaled(90000) };
