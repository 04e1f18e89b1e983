// Mutation testing of the payment module's pure parts (`npm run mutate`, which also writes
// docs/quality.md). Only the fast unit tests under cloud/payment run: the cloud tests exercise the
// bundled dist/ code and would never see a mutant.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  plugins: ['@stryker-mutator/tap-runner'],
  testRunner: 'tap',
  tap: {
    testFiles: ['cloud/payment/**/*.test.ts'],
    // One process per test file: plain `node file.test.ts` prints TAP when stdout is a pipe.
    nodeArgs: ['-r', '{{hookFile}}', '--import', 'tsx', '{{testFile}}'],
    forceBail: true,
  },
  // Per test file: a mutant runs only the test files that reach it.
  coverageAnalysis: 'perTest',
  mutate: ['cloud/payment/core/**/*.ts', 'cloud/payment/protocol/**/*.ts', 'cloud/payment/usecases/**/*.ts', '!**/*.test.ts'],
  // The sandbox needs only the payment module, its shared types and the TypeScript settings.
  ignorePatterns: ['/*', '!/cloud', '/cloud/*', '!/cloud/payment', '!/package.json', '!/tsconfig.json'],
  concurrency: 2,
  timeoutMS: 3000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
}
