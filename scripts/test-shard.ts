import path from 'node:path'
import { describe } from 'node:test'
import { pathToFileURL } from 'node:url'

// One process of the shared unit run (scripts/run-tests.ts): each test file it is given becomes a
// suite named by its path, and its tests, hooks included, are collected into that suite. So a
// file's top-level beforeEach/afterEach apply to its own tests only, as under `node --test`, and
// the report reads file by file. One process per core instead of one per file: each file paid
// ~0.5 s of Node + tsx startup and loaded the same modules again. A file that fails to load fails
// its suite; one that loads but reports no test is caught by the runner
// (scripts/test-files-reporter.mjs).
const GUARD = Symbol.for('taro-wxpay-shop.net-guard')
const root = path.resolve(__dirname, '..')

if (!(globalThis as Record<symbol, unknown>)[GUARD]) {
  console.error('test-shard: the network guard (scripts/net-guard.cjs) is not preloaded: run the tests with scripts/run-tests.ts')
  process.exit(1)
}

for (const file of process.argv.slice(2)) {
  describe(path.relative(root, file).split(path.sep).join('/'), async () => {
    await import(pathToFileURL(file).href)
  })
}
