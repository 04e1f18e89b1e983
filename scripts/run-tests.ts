import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { RELIABILITY_LOG } from '../cloud/local/testing/report'
import { missingChromium } from './chromium'
import { checkBuild } from './freshness'
import { buildsFor, classify, ISOLATED, needsChromium, partition, TIERS, type Build, type Tier } from './test-tiers'

// Runs `*.test.ts` files with Node's test runner: `--tier unit|cloud|browser` (repeatable) picks
// tiers (default: all), other arguments keep the files whose path contains one of them, `--list`
// prints each file's tier. Builds the tests use are rebuilt first when their sources are newer.
// Unit files run in one long-lived process per core (scripts/test-shard.ts), the others one
// process per file; every selected file must report at least one test, or the run fails.
// Every process of the run (and every function worker) preloads the network guard; any blocked
// attempt to leave loopback fails the run even if the code that tried swallowed the error.
const root = path.resolve(__dirname, '..')
const SELF_TEST = 'scripts/net-guard.test.ts'

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

/** What scripts/test-files-reporter.mjs records for one test file. */
type FileReport = { tests: number; failed: number; durationMs: number }

/** What the files reporters recorded, by absolute path; a reporter that wrote nothing (its process crashed) adds nothing. */
function readRecords(files: string[]): Map<string, FileReport> {
  const reports = new Map<string, FileReport>()
  for (const file of files) {
    const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : ''
    if (!text) continue
    for (const [name, report] of Object.entries(JSON.parse(text) as Record<string, FileReport>)) reports.set(path.resolve(name), report)
  }
  return reports
}

function parseArgs(argv: string[]): { tiers: Tier[]; filters: string[]; list: boolean } {
  const tiers: Tier[] = []
  const filters: string[] = []
  let list = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--list') list = true
    else if (arg === '--tier' || arg.startsWith('--tier=')) {
      const value = arg === '--tier' ? argv[++i] : arg.slice('--tier='.length)
      if (!TIERS.includes(value as Tier)) fail(`--tier must be one of ${TIERS.join(', ')} (got ${value ?? 'nothing'})`)
      tiers.push(value as Tier)
    } else if (arg.startsWith('--')) fail(`unknown option ${arg} (known: --tier <${TIERS.join('|')}>, --list)`)
    else filters.push(arg)
  }
  return { tiers: tiers.length > 0 ? tiers : [...TIERS], filters, list }
}

const { tiers, filters, list } = parseArgs(process.argv.slice(2))
const { files: all, problems } = classify(root)
if (problems.length > 0) fail(`FAILED: test files without a proper tier:\n${problems.map((p) => `  ${p}`).join('\n')}`)
if (list) {
  for (const f of all) console.log(`${f.tier.padEnd(7)} ${f.rel}`)
  process.exit(0)
}

const selected = all.filter((f) => tiers.includes(f.tier) && (filters.length === 0 || filters.some((filter) => f.rel.includes(filter))))
if (selected.length === 0) fail(`no test files matched (tiers: ${tiers.join(', ')}${filters.length > 0 ? `; filters: ${filters.join(' ')}` : ''})`)
// A whole-tier run proves the guard is loaded: its self-test runs with every tier.
const whole = filters.length === 0
if (whole && !selected.some((f) => f.rel === SELF_TEST)) {
  const selfTest = all.find((f) => f.rel === SELF_TEST)
  if (!selfTest) fail(`${SELF_TEST} is missing: the network guard cannot be checked`)
  selected.push(selfTest)
}

if (selected.some((f) => needsChromium(f.rel))) {
  const missing = missingChromium()
  if (missing) fail(missing)
}

const builds = new Set<Build>(selected.flatMap((f) => buildsFor(f.rel, f.tier)))
for (const build of ['functions', 'h5', 'weapp'] as const) {
  if (!builds.has(build)) continue
  const verdict = checkBuild(root, build)
  if (!verdict.stale) continue
  console.log(`run-tests: ${verdict.reason}: rebuilding (npm run ${verdict.script})`)
  const rebuilt = spawnSync('npm', ['run', '--silent', verdict.script], { cwd: root, stdio: 'inherit' })
  if (rebuilt.status !== 0) fail(`run-tests: npm run ${verdict.script} failed: not running tests against a stale build`)
}

// What the tests record for docs/reliability.md describes this run only.
if (selected.some((f) => f.imports.some((spec) => /(^|\/)testing\/report$/.test(spec)))) {
  mkdirSync(path.dirname(RELIABILITY_LOG), { recursive: true })
  writeFileSync(RELIABILITY_LOG, '')
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
const counts = TIERS.map((tier) => [tier, selected.filter((f) => f.tier === tier).length] as const).filter(([, n]) => n > 0)
console.log(`run-tests: ${selected.length} file(s): ${counts.map(([tier, n]) => `${tier} ${n}`).join(', ')}`)
const concurrency = Math.max(1, Number(process.env['TEST_CONCURRENCY'] ?? '2') || 2)

// Unit files share a few long-lived processes (one per core); the others, and unit files that need
// a process of their own (ISOLATED), run one process per file under `node --test`.
const shared = selected.filter((f) => f.tier === 'unit' && !(f.rel in ISOLATED)).sort((a, b) => a.rel.localeCompare(b.rel))
const perFile = selected.filter((f) => !shared.includes(f)).sort((a, b) => a.rel.localeCompare(b.rel))
const records: string[] = []
const reporters = (record: string): string[] => {
  records.push(record)
  return [
    `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(root, 'scripts', 'test-files-reporter.mjs')}`,
    `--test-reporter-destination=${record}`,
  ]
}
// How long each file took last time, to split the unit files into processes of equal work.
const DURATIONS = path.join(root, '.test-artifacts', 'test-durations.json')
function readDurations(): Record<string, number> {
  try {
    const parsed = JSON.parse(readFileSync(DURATIONS, 'utf8')) as unknown
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {}
  } catch {
    return {}
  }
}
const durations = readDurations()
const known = Object.values(durations).filter((ms) => typeof ms === 'number' && ms >= 0)
const typical = known.length > 0 ? known.sort((a, b) => a - b)[Math.floor(known.length / 2)]! : 1
const weight = (file: string): number => {
  const ms = durations[path.relative(root, file).split(path.sep).join('/')]
  return typeof ms === 'number' && ms >= 0 ? ms : typical
}
const recordFile = (name: string): string => path.join(tmpdir(), `run-tests-${process.pid}-${name}.json`)

type Outcome = { code: number; seconds: number }

/** Runs one child; a buffered child's output is printed in one block when it ends, so parallel reports do not interleave. */
function run(args: string[], buffered: boolean, label: string): Promise<Outcome> {
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: buffered && process.stdout.isTTY ? { ...env, FORCE_COLOR: '1' } : env,
    stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  })
  const chunks: Buffer[] = []
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk))
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk))
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const outcome = { code: signal ? 1 : (code ?? 1), seconds: (performance.now() - started) / 1000 }
      if (buffered) {
        process.stdout.write(Buffer.concat(chunks))
        console.log(`run-tests: ${label}: exit ${outcome.code} after ${outcome.seconds.toFixed(1)} s`)
      }
      resolve(outcome)
    })
  })
}

async function main(): Promise<number> {
  const outcomes: Outcome[] = []
  if (shared.length > 0) {
    const shards = partition(shared, Math.min(concurrency, shared.length), weight)
    outcomes.push(
      ...(await Promise.all(
        shards.map((files, i) =>
          run(
            ['--import', 'tsx', ...reporters(recordFile(`shard${i}`)), path.join(root, 'scripts', 'test-shard.ts'), ...files.map((f) => f.file)],
            true,
            `unit process ${i + 1}/${shards.length} (${files.length} files)`,
          ),
        ),
      )),
    )
  }
  if (perFile.length > 0) {
    const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...reporters(recordFile('files')), ...perFile.map((f) => f.file)]
    outcomes.push(await run(args, false, 'per-file'))
  }
  return Math.max(...outcomes.map((o) => o.code))
}

void main().then((code) => {
  const reports = readRecords(records)
  for (const record of records) rmSync(record, { force: true })
  const blocked = existsSync(guardLog) ? readFileSync(guardLog, 'utf8').trim() : ''
  const selfTest = blocked.split('\n').filter((line) => line.includes('net-guard-self-test'))
  const real = blocked.split('\n').filter((line) => line && !line.includes('net-guard-self-test'))
  rmSync(guardLog, { force: true })
  if (real.length > 0) fail(`\nFAILED: ${real.length} attempt(s) to reach a non-loopback address:\n${real.join('\n')}`)
  if (whole && selfTest.length === 0) fail('\nFAILED: the network guard self-test recorded nothing: is the guard loaded?')
  const silent = selected.filter((f) => !(reports.get(f.file)?.tests ?? 0))
  if (silent.length > 0)
    fail(
      `\nFAILED: ${silent.length} selected test file(s) reported no test (not run? node:test names the file that calls test(), so a file must define its tests itself):\n${silent.map((f) => `  ${f.rel}`).join('\n')}`,
    )
  for (const f of selected) durations[f.rel] = Math.round(reports.get(f.file)!.durationMs)
  mkdirSync(path.dirname(DURATIONS), { recursive: true })
  writeFileSync(DURATIONS, `${JSON.stringify(durations, null, 1)}\n`)
  const tests = selected.reduce((sum, f) => sum + reports.get(f.file)!.tests, 0)
  const slowest = [...selected].sort((a, b) => reports.get(b.file)!.durationMs - reports.get(a.file)!.durationMs).slice(0, 3)
  console.log(
    `run-tests: ${selected.length} file(s), ${tests} test(s) reported; slowest: ${slowest.map((f) => `${f.rel} ${(reports.get(f.file)!.durationMs / 1000).toFixed(1)} s`).join(', ')}`,
  )
  process.exit(code)
})
