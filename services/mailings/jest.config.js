/** @type {import('jest').Config} */
module.exports = { ...require('../kit/jest.preset.js'), displayName: 'mailings', rootDir: __dirname };
