/** @type {import('jest').Config} */
module.exports = { ...require('../kit/jest.preset.js'), displayName: 'documents', rootDir: __dirname };
