import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { deploy, type DeployOptions } from './deploy'
import { recordingTcb, tempRepo, type Outcome, type Repo } from './fixtures'
import { folderHash } from './hash'
import type { Selection } from './plan'

// The deploy end to end on a small repository of real, really built functions, with a tcb that
// records: what is deployed and why, the refusals, the masking, the manifest, the failures.

const NOW = new Date('2026-03-01T08:00:00.000Z')
const KEY = 'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lm'
const STAFF = 'oStaffOpenid0123456789abcdef'
const CLOUDPAY = { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', ADMIN_OPENIDS: STAFF }
const MERCHANT = {
  PAY_MODE: 'merchant',
  WXPAY_APPID: 'wx1234567890abcdef',
  WXPAY_MCH_ID: '1230000109',
  WXPAY_KEY: KEY,
  WXPAY_NOTIFY_URL: 'https://pay.example.com/notify',
  WXPAY_CERT_P12_BASE64: 'TUlJQ2VydGlmaWNhdGVCeXRlcw==',
  ADMIN_OPENIDS: STAFF,
}

const repos: Repo[] = []
after(() => repos.forEach((repo) => repo.remove()))
function repo(): Repo {
  const created = tempRepo()
  repos.push(created)
  return created
}

type Run = { ok: boolean; deployed: string[]; output: string; calls: ReturnType<typeof recordingTcb>['calls'] }

async function run(
  r: Repo,
  selection: Selection,
  env: Record<string, string>,
  extra: Partial<DeployOptions> & { outcomes?: Record<string, Outcome> } = {},
): Promise<Run> {
  const { tcb, calls } = recordingTcb(extra.outcomes)
  const lines: string[] = []
  const result = await deploy({
    root: r.root,
    envId: 'prod-1a2b',
    selection,
    dryRun: false,
    processEnv: env,
    build: r.build,
    tcb,
    now: () => NOW,
    print: (line) => lines.push(line),
    ...extra,
  })
  return { ...result, output: lines.join('\n'), calls }
}

const manifestOf = (r: Repo): Record<string, { hash: string; deployedAt: string }> => JSON.parse(r.read('deploy/prod-1a2b.json'))

describe('what is deployed, and why', () => {
  test('named: only those, each with `tcb fn deploy <name> -e <envId> --force`, the manifest recording each', async () => {
    const r = repo()
    const { ok, deployed, output, calls } = await run(r, { kind: 'named', names: ['staff'] }, CLOUDPAY)
    assert.equal(ok, true, output)
    assert.deepEqual(deployed, ['staff'])
    assert.deepEqual(
      calls.map((c) => c.args),
      [['fn', 'deploy', 'staff', '-e', 'prod-1a2b', '--force']],
    )
    assert.equal(calls[0]!.cwd, r.root)
    assert.match(output, /staff \(named\)/)
    assert.match(output, /timeout 60 s, timer everyTenMinutes "0 \*\/10 \* \* \* \* \*"/)
    const rc = JSON.parse(calls[0]!.cloudbaserc!)
    assert.deepEqual(
      rc.functions.map((f: { name: string }) => f.name),
      ['staff'],
    )
    assert.deepEqual(manifestOf(r), { staff: { hash: await folderHash(`${r.root}/dist/cloudfunctions/staff`), deployedAt: NOW.toISOString() } })
  })

  test('all: every function, in name order', async () => {
    const r = repo()
    const { ok, calls, output } = await run(r, { kind: 'all' }, CLOUDPAY)
    assert.equal(ok, true, output)
    assert.deepEqual(
      calls.map((c) => c.args[2]),
      ['pay', 'plain', 'staff'],
    )
    assert.equal((output.match(/\(all\)/g) ?? []).length, 3)
    assert.deepEqual(Object.keys(manifestOf(r)), ['pay', 'plain', 'staff'])
  })

  test('changed: a change in cloud/payment marks the functions bundling it, a change to one handler marks that one', async () => {
    const r = repo()
    const first = await run(r, { kind: 'changed' }, CLOUDPAY)
    assert.match(first.output, /pay \(changed: not in deploy\/prod-1a2b\.json\)/)
    assert.equal(first.calls.length, 3)

    const again = await run(r, { kind: 'changed' }, CLOUDPAY)
    assert.equal(again.ok, true)
    assert.equal(again.calls.length, 0, 'nothing changed since the manifest: nothing deployed')
    assert.match(again.output, /nothing to deploy: every build matches deploy\/prod-1a2b\.json/)

    const before = manifestOf(r)
    r.write('cloud/payment/shared.ts', 'export const shared = (name: string): string => `shared, changed: ${name}`\n')
    const payment = await run(r, { kind: 'changed' }, CLOUDPAY)
    assert.deepEqual(
      payment.calls.map((c) => c.args[2]),
      ['pay', 'staff'],
    )
    assert.match(payment.output, new RegExp(`pay \\(changed: build [0-9a-f]{12}…, deploy/prod-1a2b\\.json has ${before['pay']!.hash.slice(0, 12)}…\\)`))
    assert.match(payment.output, /unchanged, not deployed: plain/)

    r.write('cloud/functions/plain/index.ts', "export const main = async () => 'plain, changed'\n")
    const handler = await run(r, { kind: 'changed' }, CLOUDPAY)
    assert.deepEqual(
      handler.calls.map((c) => c.args[2]),
      ['plain'],
    )
    assert.notEqual(manifestOf(r)['plain']!.hash, before['plain']!.hash)
  })

  test('a change to config.json (timeout) changes the build too', async () => {
    const r = repo()
    await run(r, { kind: 'all' }, CLOUDPAY)
    r.write('cloud/functions/plain/config.json', JSON.stringify({ timeout: 6, variables: {} }))
    const { calls } = await run(r, { kind: 'changed' }, CLOUDPAY)
    assert.deepEqual(
      calls.map((c) => c.args[2]),
      ['plain'],
    )
  })

  test('an unknown name is refused before anything is built or deployed', async () => {
    const r = repo()
    const { ok, output, calls } = await run(r, { kind: 'named', names: ['pay', 'nope'] }, CLOUDPAY)
    assert.equal(ok, false)
    assert.match(output, /no such function: nope \(known: pay, plain, staff\)/)
    assert.equal(calls.length, 0)
    assert.equal(r.exists('dist/cloudfunctions/pay/index.js'), false)
  })
})

describe('refusals: all-or-nothing planning', () => {
  test('missing variables: every one named, for every function, and tcb never runs', async () => {
    const r = repo()
    const { ok, output, calls } = await run(r, { kind: 'all' }, { PAY_MODE: 'merchant', WXPAY_APPID: 'wx1234567890abcdef' })
    assert.equal(ok, false)
    assert.equal(calls.length, 0)
    assert.match(output, /refused, nothing deployed/)
    for (const fn of ['pay', 'staff'])
      for (const name of ['WXPAY_MCH_ID', 'WXPAY_KEY', 'WXPAY_NOTIFY_URL']) assert.match(output, new RegExp(`${fn}: ${name}（缺少`), `${fn} ${name}`)
    assert.match(output, /staff: ADMIN_OPENIDS \(missing\)/)
    assert.doesNotMatch(output, /plain:/, 'plain needs nothing')
    assert.doesNotMatch(output, /pay: ADMIN_OPENIDS/, 'optional for pay')
    assert.equal(r.exists('cloudbaserc.json'), false)
    assert.equal(r.exists('deploy/prod-1a2b.json'), false)
  })

  test('malformed values, as loadPayConfig judges them, and values that cannot work in the cloud', async () => {
    const r = repo()
    const env = {
      ...MERCHANT,
      WXPAY_KEY: 'short',
      WXPAY_SIGN_TYPE: 'SHA1',
      WXPAY_NOTIFY_URL: '{{LOCAL_CLOUD_URL}}/api/http/payNotify',
      WXPAY_API_BASE: 'http://127.0.0.1:8787',
      RECONCILE_UNPAID_AFTER_SECONDS: 'ten minutes',
      ADMIN_OPENIDS: ' , ',
    }
    const { ok, output, calls } = await run(r, { kind: 'named', names: ['staff'] }, env)
    assert.equal(ok, false)
    assert.equal(calls.length, 0)
    assert.match(output, /staff: WXPAY_KEY（格式不对/)
    assert.match(output, /staff: WXPAY_SIGN_TYPE（应为 HMAC-SHA256 或 MD5/)
    assert.match(output, /staff: WXPAY_NOTIFY_URL \(holds a \{\{…\}\} placeholder/)
    assert.match(output, /staff: WXPAY_API_BASE \(a loopback address/)
    assert.match(output, /staff: RECONCILE_UNPAID_AFTER_SECONDS \(not a number of seconds\)/)
    assert.match(output, /staff: ADMIN_OPENIDS \(no OPENID in it/)
  })

  test('a value tcb could not carry through {{env.X}} is refused', async () => {
    const r = repo()
    const { ok, output } = await run(r, { kind: 'named', names: ['pay'] }, { ...CLOUDPAY, ADMIN_OPENIDS: 'oAbc"def,oGhijkl' })
    assert.equal(ok, false)
    assert.match(output, /pay: ADMIN_OPENIDS \((an item is not an OPENID|holds a quote)/)
  })

  test('a malformed manifest or .env file is a problem, not an empty one', async () => {
    const r = repo()
    r.write('deploy/prod-1a2b.json', '{ "pay": { "hash": "abc" } }')
    r.write('.env.prod-1a2b', `WXPAY_KEY=${KEY}\nthis line is not a variable\n`)
    const { ok, output, calls } = await run(r, { kind: 'changed' }, CLOUDPAY)
    assert.equal(ok, false)
    assert.equal(calls.length, 0)
    assert.match(output, /deploy\/prod-1a2b\.json: pay must be \{ "hash"/)
    assert.match(output, /\.env\.prod-1a2b:2: not a KEY=VALUE line/)
    assert.doesNotMatch(output, /this line is not a variable/)
  })

  test('a built folder edited after its build is not deployed', async () => {
    const r = repo()
    const tampering = async (names: readonly string[]): Promise<void> => {
      await r.build(names)
      r.write('dist/cloudfunctions/pay/index.js', `${r.read('dist/cloudfunctions/pay/index.js')}\n// edited`)
    }
    const { ok, output, calls } = await run(r, { kind: 'all' }, CLOUDPAY, { build: tampering })
    assert.equal(ok, false)
    assert.equal(calls.length, 0)
    assert.match(output, /pay: config\.json: dist\/cloudfunctions\/pay\/build\.json does not match the folder/)
  })

  test('an invalid config.json (timeout out of tcb range, 6-field cron) names each problem', async () => {
    const r = repo()
    r.write(
      'cloud/functions/plain/config.json',
      JSON.stringify({ timeout: 90, triggers: [{ name: 't', type: 'timer', config: '0 */10 * * * *' }], variables: {} }),
    )
    const { ok, output, calls } = await run(r, { kind: 'all' }, CLOUDPAY)
    assert.equal(ok, false)
    assert.equal(calls.length, 0)
    assert.match(output, /plain: config\.json: timeout must be a whole number of seconds from 1 to 60 \(is 90\)/)
    assert.match(output, /plain: config\.json: triggers\[0\]\.config: a timer needs 7 fields/)
  })
})

describe('values: where they come from and who sees them', () => {
  test('.env.<envId> wins over the environment; tcb gets the values, cloudbaserc.json only their names', async () => {
    const r = repo()
    r.write('.env.prod-1a2b', `# production\nexport WXPAY_SUB_MCH_ID="1900000999"\nADMIN_OPENIDS=${STAFF} # staff\n`)
    const { ok, calls, output } = await run(r, { kind: 'named', names: ['pay'] }, { ...CLOUDPAY, WXPAY_SUB_MCH_ID: '1900000109', ADMIN_OPENIDS: '' })
    assert.equal(ok, true, output)
    assert.equal(calls[0]!.env['WXPAY_SUB_MCH_ID'], '1900000999')
    assert.equal(calls[0]!.env['ADMIN_OPENIDS'], STAFF)
    const rc = JSON.parse(calls[0]!.cloudbaserc!)
    assert.deepEqual(rc.functions[0].envVariables, {
      ADMIN_OPENIDS: '{{env.ADMIN_OPENIDS}}',
      PAY_MODE: '{{env.PAY_MODE}}',
      WXPAY_SUB_MCH_ID: '{{env.WXPAY_SUB_MCH_ID}}',
    })
    assert.match(output, /values from \.env\.prod-1a2b over the environment/)
  })

  test('no secret value in any output, the plan, tcb’s own lines or the written files', async () => {
    const r = repo()
    const dry = await run(r, { kind: 'all' }, MERCHANT, { dryRun: true })
    const real = await run(r, { kind: 'all' }, MERCHANT)
    assert.equal(real.ok, true, real.output)
    assert.match(dry.output, /WXPAY_KEY=••••••\(32\)/)
    assert.match(dry.output, /WXPAY_MCH_ID=••••••\(10\)/)
    assert.match(dry.output, /ADMIN_OPENIDS=••••••\(28\)/)
    assert.match(dry.output, /PAY_MODE=merchant/, 'settings are shown')
    assert.match(real.output, /env: .*WXPAY_KEY=••••••\(32\)/, 'tcb’s output passes through the same mask')
    const written = r.read('cloudbaserc.json') + r.read('deploy/prod-1a2b.json')
    for (const secret of [KEY, MERCHANT.WXPAY_MCH_ID, STAFF, MERCHANT.WXPAY_CERT_P12_BASE64]) {
      for (const [where, text] of [
        ['dry run', dry.output],
        ['deploy', real.output],
        ['files', written],
      ] as const)
        assert.equal(text.includes(secret), false, `${where} shows ${secret.slice(0, 4)}…`)
    }
    assert.equal(real.calls[0]!.env['WXPAY_KEY'], KEY, 'tcb itself gets the value')
  })

  test('a merchant deploy without the API certificate is allowed, with a warning about refunds', async () => {
    const r = repo()
    const { WXPAY_CERT_P12_BASE64: _cert, ...noCert } = MERCHANT
    const { ok, output } = await run(r, { kind: 'named', names: ['pay'] }, noCert, { dryRun: true })
    assert.equal(ok, true)
    assert.match(output, /warning: merchant mode without WXPAY_CERT_P12_BASE64/)
  })
})

describe('dry run', () => {
  test('prints the plan and the cloudbaserc.json it would write, writes nothing, runs nothing', async () => {
    const r = repo()
    const { ok, output, calls } = await run(r, { kind: 'all' }, CLOUDPAY, { dryRun: true })
    assert.equal(ok, true)
    assert.equal(calls.length, 0)
    assert.equal(r.exists('cloudbaserc.json'), false)
    assert.equal(r.exists('deploy/prod-1a2b.json'), false)
    assert.match(output, /dry run: nothing is written or deployed/)
    assert.match(output, /"version": "2\.0"/)
    assert.match(output, /tcb fn deploy staff -e prod-1a2b --force/)
  })
})

describe('a failed tcb', () => {
  test('stops at the failure, reports what was and was not deployed, and records only the deployed', async () => {
    const r = repo()
    const { ok, deployed, output, calls } = await run(r, { kind: 'all' }, CLOUDPAY, { outcomes: { plain: 'exit1' } })
    assert.equal(ok, false)
    assert.deepEqual(deployed, ['pay'])
    assert.deepEqual(
      calls.map((c) => c.args[2]),
      ['pay', 'plain'],
      'staff is never attempted',
    )
    assert.match(output, /FAILED at plain \(tcb exited with 1\)/)
    assert.match(output, /deployed: pay\n/)
    assert.match(output, /failed: plain/)
    assert.match(output, /not attempted: staff/)
    assert.deepEqual(Object.keys(manifestOf(r)), ['pay'])
  })

  test('tcb exiting 0 without its success line is a failure (tcb 2.12.10 does that after a failed deploy)', async () => {
    const r = repo()
    const { ok, output } = await run(r, { kind: 'named', names: ['pay', 'plain'] }, CLOUDPAY, { outcomes: { pay: 'silent0' } })
    assert.equal(ok, false)
    assert.match(output, /FAILED at pay \(tcb exited 0 without reporting the function deployed\)/)
    assert.match(output, /deployed: none/)
    assert.equal(r.exists('deploy/prod-1a2b.json'), false)
  })

  test('an update of an existing function, reported in English, counts; a tcb that cannot start does not', async () => {
    const r = repo()
    const updated = await run(r, { kind: 'named', names: ['plain'] }, CLOUDPAY, { outcomes: { plain: 'updated' } })
    assert.equal(updated.ok, true, updated.output)
    const missing = await run(r, { kind: 'named', names: ['pay'] }, CLOUDPAY, { outcomes: { pay: 'throws' } })
    assert.equal(missing.ok, false)
    assert.match(missing.output, /tcb could not run: spawn tcb ENOENT/)
    assert.deepEqual(Object.keys(manifestOf(r)), ['plain'])
  })
})
