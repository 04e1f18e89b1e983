import { pathToFileURL } from 'node:url'

// One process of the shared unit run (scripts/run-tests.ts): imports the test files it is given,
// one after another, and node:test collects their tests into this process's root and runs them in
// turn. One process per core instead of one per file: each file paid ~0.5 s of Node + tsx startup
// and loaded the same modules again. A file that cannot be loaded fails the run; a file that
// loads but reports no test is caught by the runner (scripts/test-files-reporter.ts).
const GUARD = Symbol.for('taro-wxpay-shop.net-guard')

async function main(files: string[]): Promise<void> {
  if (!(globalThis as Record<symbol, unknown>)[GUARD]) {
    console.error('test-shard: the network guard (scripts/net-guard.cjs) is not preloaded: run the tests with scripts/run-tests.ts')
    process.exit(1)
  }
  for (const file of files) {
    try {
      await import(pathToFileURL(file).href)
    } catch (error) {
      console.error(`test-shard: ${file} failed to load:`, error)
      process.exitCode = 1
    }
  }
}

void main(process.argv.slice(2))
