import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { RELIABILITY_LOG, type ReliabilityRow } from '../cloud/local/testing/report'

// `npm run reliability`: the fault campaign (CAMPAIGN_RUNS runs of every scenario in both pay
// modes), the hostile-input tests and the crash test, through the ordinary test runner — with
// their assertions — then docs/reliability.md from what they recorded.

const root = path.resolve(__dirname, '..')
const runs = process.env['CAMPAIGN_RUNS'] ?? '10'
// This run's rows only (the test runner truncates it too, whenever a test that records rows runs).
mkdirSync(path.dirname(RELIABILITY_LOG), { recursive: true })
writeFileSync(RELIABILITY_LOG, '')
const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'run-tests.ts'), 'faults.campaign', 'hostile.test', 'crash.test'], {
  cwd: root,
  env: { ...process.env, CAMPAIGN_RUNS: runs, TEST_CONCURRENCY: '1' },
  stdio: 'inherit',
})
const rows = readFileSync(RELIABILITY_LOG, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as ReliabilityRow)
if (result.status !== 0 || rows.length === 0) {
  console.error(`the reliability tests failed${rows.length === 0 ? ' (they recorded nothing)' : ''}: docs/reliability.md is not written`)
  process.exit(1)
}
const zero = (n: number): string => (n === 0 ? '0' : `**${n}**`)
const extra = (row: ReliabilityRow): string =>
  Object.entries(row.other)
    .map(([k, v]) => `${k} ${k === 'faultsFired' || k === 'typedRefusals' || k === 'validByContract' || k === 'refused' ? v : zero(v)}`)
    .join(', ')
const table = (area: ReliabilityRow['area'], title: string, what: string): string[] => {
  const selected = rows.filter((r) => r.area === area)
  if (selected.length === 0) return []
  return [
    `## ${title}`,
    '',
    what,
    '',
    '| fault or attack | mode | times | orders lost | double transitions | wrong states | details |',
    '|---|---|---:|---:|---:|---:|---|',
    ...selected.map(
      (r) => `| ${r.what} | ${r.mode} | ${r.times} | ${zero(r.ordersLost)} | ${zero(r.doubleTransitions)} | ${zero(r.wrongStates)} | ${extra(r)} |`,
    ),
    '',
  ]
}
const totals = rows.reduce((t, r) => ({ times: t.times + r.times, bad: t.bad + r.ordersLost + r.doubleTransitions + r.wrongStates }), { times: 0, bad: 0 })
const lines = [
  '# Reliability',
  '',
  `Written by \`npm run reliability\` on ${new Date().toISOString().slice(0, 10)}: the fault campaign with ${runs} runs of every scenario in each pay mode, the hostile-input tests and the crash test, run with their assertions (the same tests \`npm test\` runs with fewer repetitions). Faults are injected through the local cloud's \`/sim/faults\` (gateway, callback and database faults) and by SIGKILL of the whole local cloud; every run ends the way production would: the shopper's app retries, WeChat Pay retries its callbacks, staff retry refunds, the \`reconcile\` timer runs.`,
  '',
  `In all: ${totals.times} faulted flows, attacks and audited orders; orders lost, double transitions and wrong states: **${totals.bad}**.`,
  '',
  'Columns: *orders lost* — an order the shopper was told about (or that a request id created) is missing; *double transitions* — an order changed state twice for one event (two SUCCESS or two REFUND transitions); *wrong states* — the final state differs from the truth (the order paid at the gateway but not here, or the reverse). *refundsPaidTwice* counts an out_refund_no refunded twice at the gateway or refunds beyond what was paid; *unrecordedNotifications* counts deliveries that reached payNotify without a `payment_events` record.',
  '',
  ...table('fault', 'Faults', 'One order lifecycle per run, on one local cloud per pay mode.'),
  ...table(
    'crash',
    'Crashes',
    'The local cloud (database, functions and simulator together) is killed with SIGKILL right after a write is durable, then restarted on its data.',
  ),
  ...table('audit', 'Reconciliation audit', 'After the campaign: `reconcile` once, then every order in the database is compared with the gateway.'),
  ...table(
    'hostile',
    'Hostile input',
    'Generated events (types, sizes, unicode, prototype and operator keys, replays) through `POST /api/functions/<name>` (a shopper, or staff), callbacks through the runner as WeChat Pay, XML through the HTTP trigger. Every answer must be a typed refusal (or, for an input that happens to be valid by the contract, a success); no crash, no partial write.',
  ),
]
writeFileSync(path.join(root, 'docs', 'reliability.md'), lines.join('\n'))
console.log(lines.join('\n'))
