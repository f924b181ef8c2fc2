/** @type {import('jest').Config} */
module.exports = { ...require('../kit/jest.preset.js'), displayName: 'counterparties', rootDir: __dirname };
