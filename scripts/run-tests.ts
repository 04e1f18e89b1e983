import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

// Runs every `*.test.ts` with Node's test runner. Every process of the run (and every function
// worker) preloads the network guard; any blocked attempt to leave loopback fails the run even
// if the code that tried swallowed the error.
const root = path.resolve(__dirname, '..')
const SKIP = new Set(['node_modules', 'dist', '.cloud-data', '.git', '.swc', '.scratch', '.test-artifacts'])

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) findTests(full, out)
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(full)
  }
  return out
}

const filters = process.argv.slice(2)
const files = ['cloud', 'src', 'scripts']
  .map((dir) => path.join(root, dir))
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => findTests(dir))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort()
if (files.length === 0) {
  console.error('no test files matched')
  process.exit(1)
}

const guard = path.join(root, 'scripts', 'net-guard.cjs')
const guardLog = path.join(tmpdir(), `net-guard-${process.pid}.log`)
rmSync(guardLog, { force: true })
const env = {
  ...process.env,
  NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${guard}`.trim(),
  NET_GUARD_LOG: guardLog,
  NET_GUARD_MODULE: guard,
  SILENCE: 'true',
}
const concurrency = process.env['TEST_CONCURRENCY'] ?? '2'
const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { cwd: root, env, stdio: 'inherit' })
child.on('exit', (code, signal) => {
  const blocked = existsSync(guardLog) ? readFileSync(guardLog, 'utf8').trim() : ''
  const selfTest = blocked.split('\n').filter((line) => line.includes('net-guard-self-test'))
  const real = blocked.split('\n').filter((line) => line && !line.includes('net-guard-self-test'))
  rmSync(guardLog, { force: true })
  if (real.length > 0) {
    console.error(`\nFAILED: ${real.length} attempt(s) to reach a non-loopback address:\n${real.join('\n')}`)
    process.exit(1)
  }
  if (filters.length === 0 && selfTest.length === 0) {
    console.error('\nFAILED: the network guard self-test recorded nothing: is the guard loaded?')
    process.exit(1)
  }
  process.exit(signal ? 1 : (code ?? 1))
})
