// ESLint: the recommended JavaScript and TypeScript rules, plus the import boundaries between the
// app, the payment module, the cloud functions and the local cloud (scripts/lint-boundaries.test.ts
// proves they bite). Formatting is Prettier's job (`npm run lint` runs both).
import { readdirSync } from 'node:fs'
import path from 'node:path'
import js from '@eslint/js'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import globals from 'globals'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

const root = import.meta.dirname
const functionNames = readdirSync(path.join(root, 'cloud/functions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

const appTests = ['src/**/*.test.ts', 'src/e2e/**']

// The blocks below each set the whole zone list of their files: a later block's options replace an earlier one's.
const paymentZone = {
  target: 'cloud/payment',
  from: ['cloud/local', 'cloud/functions', 'src', 'scripts'],
  message: 'The payment module is deployed inside each function: it cannot reach the local cloud, a function, the app or the scripts.',
}
const functionZones = [
  {
    target: 'cloud/functions',
    from: ['cloud/local', 'src', 'scripts'],
    message: 'A cloud function imports only the payment module (and wx-server-sdk, Node builtins).',
  },
  // Each function is deployed alone: it cannot import another one.
  ...functionNames.map((name) => ({
    target: `cloud/functions/${name}`,
    from: 'cloud/functions',
    except: [`./${name}`],
    message: 'Each cloud function is deployed alone: it cannot import another one.',
  })),
]
const appZone = {
  target: 'src',
  from: ['cloud', 'scripts', 'config'],
  message: 'The app imports from the cloud only cloud/payment/contracts and staffContracts (types and a few constants).',
}

const boundaries = (...zones) => ['error', { basePath: root, zones }]

export default defineConfig(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '.cloud-data/',
      '.test-artifacts/',
      '.stryker-tmp*/',
      'reports/',
      '.bench/',
      '.swc/',
      '.scratch/',
      // The tutorial's pay function, vendored as the benchmark's baseline: kept as it was published.
      'bench/baseline/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.d.ts', '.mjs', '.cjs', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `import('…').T` stays allowed: the harness names types of modules it loads lazily.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'import-x/no-restricted-paths': boundaries(paymentZone, ...functionZones),
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'import-x/no-restricted-paths': boundaries({ ...appZone, except: ['./payment/contracts.ts', './payment/staffContracts.ts'] }),
    },
  },
  {
    // The app's tests run in Node and start a local cloud through its test harness.
    files: appTests,
    languageOptions: { globals: globals.node },
    rules: {
      'import-x/no-restricted-paths': boundaries({
        ...appZone,
        from: 'cloud',
        except: ['./payment/contracts.ts', './payment/staffContracts.ts', './local/testing'],
      }),
    },
  },
  {
    // The functions' end-to-end tests sit beside them and drive them through the local cloud's harness.
    files: ['cloud/functions/*.test.ts'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
  {
    // Imports nothing: the app takes its types and constants without any runtime code of the functions.
    files: ['cloud/payment/contracts.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['*'], message: 'cloud/payment/contracts.ts imports nothing: the app bundles it.' }] }],
    },
  },
  {
    // The staff contracts take only types (from the shopper contracts): the staff subpackage bundles them.
    files: ['cloud/payment/staffContracts.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['*'], allowTypeImports: true, message: 'cloud/payment/staffContracts.ts imports only types: the app bundles it.' }] },
      ],
    },
  },
  {
    files: ['cloud/**', 'scripts/**', 'config/**', 'bench/**', '*.{js,cjs,mjs,ts}'],
    languageOptions: { globals: globals.node },
  },
  {
    // Plain CommonJS on purpose: the worker, the network guard and the function fixtures load in bare
    // Node without a TypeScript loader; Babel's config is CommonJS.
    files: ['**/*.cjs', 'cloud/local/runner/fixtures/**/*.js', 'babel.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests load untyped internals of vendored libraries (wx-js-utils' WXPay, xml2js) to compare
    // against them, and wx-server-sdk only after setting the environment it reads at load.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-require-imports': ['error', { allow: ['^wx-js-utils/', '^xml2js$', '^wx-server-sdk$'] }] },
  },
  {
    // Matching the control characters XML 1.0 forbids is the point of this pattern.
    files: ['cloud/payment/protocol/xml.ts'],
    rules: { 'no-control-regex': 'off' },
  },
)
