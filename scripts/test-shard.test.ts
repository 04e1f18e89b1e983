import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'

// The shared unit process (scripts/test-shard.ts) with the files reporter, as scripts/run-tests.ts
// starts it, on three small test files.
const root = path.resolve(__dirname, '..')
const dir = mkdtempSync(path.join(tmpdir(), 'test-shard-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const files = {
  hooks: path.join(dir, 'hooks.test.ts'),
  plain: path.join(dir, 'plain.test.ts'),
  empty: path.join(dir, 'empty.test.ts'),
}
// hooks.test.ts counts its tests with a top-level beforeEach; plain.test.ts checks that the count
// did not move during its own test (the hook belongs to hooks.test.ts only).
writeFileSync(
  files.hooks,
  [
    "import assert from 'node:assert/strict'",
    "import { beforeEach, describe, test } from 'node:test'",
    'const g = globalThis as { hooked?: number }',
    'beforeEach(() => { g.hooked = (g.hooked ?? 0) + 1 })',
    "test('one', () => assert.equal(g.hooked, 1))",
    "describe('inner', () => { test('two', () => assert.equal(g.hooked, 2)) })",
    '',
  ].join('\n'),
)
writeFileSync(
  files.plain,
  [
    "import assert from 'node:assert/strict'",
    "import { test } from 'node:test'",
    "test('the other file’s hook does not run here', () => assert.equal((globalThis as { hooked?: number }).hooked, 2))",
    '',
  ].join('\n'),
)
writeFileSync(files.empty, 'export const nothing = 1\n')

// The process starts as run-tests.ts starts it: preloads given here, and not as a child of
// `node --test` (NODE_TEST_CONTEXT would send its report to this process instead).
const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' }
delete env['NODE_TEST_CONTEXT']

function runShard(preload: string[]): { status: number | null; out: string; record: Record<string, { tests: number; failed: number }> } {
  const record = path.join(dir, `record-${preload.length}.json`)
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      ...preload,
      '--test-reporter=tap',
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(root, 'scripts', 'test-files-reporter.mjs')}`,
      `--test-reporter-destination=${record}`,
      path.join(root, 'scripts', 'test-shard.ts'),
      files.hooks,
      files.plain,
      files.empty,
    ],
    { cwd: root, encoding: 'utf8', env, timeout: 60_000 },
  )
  let parsed = {}
  try {
    parsed = JSON.parse(readFileSync(record, 'utf8')) as Record<string, { tests: number; failed: number }>
  } catch {
    // no record: the process stopped before its tests ran
  }
  return { status: result.status, out: result.stdout + result.stderr, record: parsed }
}

test('each file is a suite of its own: its hooks stay its own, and a file with no test is absent from the record', () => {
  const { status, out, record } = runShard(['--require', path.join(root, 'scripts', 'net-guard.cjs')])
  assert.equal(status, 0, out)
  assert.deepEqual(
    Object.entries(record)
      .filter(([file]) => file.startsWith(dir))
      .map(([file, r]) => [path.basename(file), r.tests, r.failed])
      .sort(),
    [
      ['hooks.test.ts', 3, 0],
      ['plain.test.ts', 1, 0],
    ],
  )
  assert.match(out, /^# Subtest: .*hooks\.test\.ts$/m, 'the report names each file')
})

test('without the network guard preloaded the process refuses to run', () => {
  const { status, out } = runShard([])
  assert.equal(status, 1)
  assert.match(out, /network guard .* is not preloaded/)
})
