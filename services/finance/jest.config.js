/** @type {import('jest').Config} */
module.exports = { ...require('../kit/jest.preset.js'), displayName: 'finance', rootDir: __dirname };
