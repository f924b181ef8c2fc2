/** @type {import('jest').Config} */
module.exports = { ...require('../kit/jest.preset.js'), displayName: 'deals', rootDir: __dirname };
