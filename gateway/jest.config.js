/** @type {import('jest').Config} */
module.exports = { ...require('../services/kit/jest.preset.js'), displayName: 'gateway', rootDir: __dirname };
