// @ts-check
// A node:test reporter beside the one on the terminal: per test file, how many tests it reported
// and how long its top-level tests took, as one JSON object. scripts/run-tests.ts fails the run
// when a selected file reported nothing (it was silently not run) and prints the slowest files.
// A file's top-level tests are its least nested ones: nesting 0 under `node --test`, 1 inside the
// per-file suite of scripts/test-shard.ts.
// (.mjs: node loads reporters as ES modules, and a .ts file here would load as CommonJS.)

/** @param {AsyncIterable<import('node:test/reporters').TestEvent>} source */
export default async function* filesReporter(source) {
  /** @type {Record<string, { tests: number, failed: number, durationMs: number, nesting: number }>} */
  const files = {}
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const { file, nesting, details } = event.data
    if (!file) continue
    const report = (files[file] ??= { tests: 0, failed: 0, durationMs: 0, nesting })
    report.tests++
    if (event.type === 'test:fail') report.failed++
    if (nesting < report.nesting) Object.assign(report, { nesting, durationMs: 0 })
    if (nesting === report.nesting) report.durationMs += details.duration_ms
  }
  yield `${JSON.stringify(files)}\n`
}
