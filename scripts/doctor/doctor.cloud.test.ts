import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { readBuildInfo } from '../deploy/hash'
import { runDoctor } from './main'

// `npm run doctor -- --target local` against real local clouds (cloud tier: it uses the harness):
// one configured well, whose table passes, and one in merchant mode with a malformed key and no
// picture base, where the CLI prints the failing rows and exits 1.

const STAFF = 'doctor-ops-1'
const FUNCTIONS = ['cancelOrder', 'confirmPayment', 'createOrder', 'listGoods', 'orderAction', 'payNotify', 'queryOrder', 'reconcile', 'refundOrder']
const CLOUDPAY = { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', ADMIN_OPENIDS: STAFF }
const BAD_KEY = 'k'.repeat(31)
const MERCHANT = {
  PAY_MODE: 'merchant',
  WXPAY_APPID: 'wx0000000000test',
  WXPAY_MCH_ID: '1900000110',
  WXPAY_KEY: BAD_KEY,
  WXPAY_NOTIFY_URL: '{{LOCAL_CLOUD_URL}}/api/http/payNotify',
  WXPAY_API_BASE: '{{LOCAL_CLOUD_URL}}',
  WXPAY_API_SIMULATOR: 'true',
  ADMIN_OPENIDS: STAFF,
}
const CLIENT = { TARO_APP_ID: 'wx0123456789abcdef', CLOUD_ENV: 'prod-1a2b' }

let good: TestCloud
let bad: TestCloud
before(async () => {
  good = await startTestCloud({ functionEnv: CLOUDPAY })
  bad = await startTestCloud({ functionEnv: MERCHANT })
})
after(async () => {
  await good?.stop()
  await bad?.stop()
})

/** The environment the doctor runs with: none of the developer's own build settings or pay values. */
function cleanEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env }
  for (const key of Object.keys(env)) if (/^(TARO_APP_ID|CLOUD_ENV|ASSET_BASE|CLOUDBASE_ENV_ID|PAY_MODE|WXPAY_|ADMIN_OPENIDS)/.test(key)) delete env[key]
  return { ...env, ...extra }
}

test('a well-configured local cloud: every check passes, health per function names the build in dist', async () => {
  const { rows, table, code } = await runDoctor({
    root: ROOT,
    args: { target: 'local', url: good.url, envId: undefined, staff: undefined },
    env: cleanEnv({ ...CLIENT, ...CLOUDPAY, ASSET_BASE: 'https://cdn.example.com' }),
  })
  assert.equal(code, 0, table)
  assert.deepEqual(
    rows.filter((r) => r.status === 'fail'),
    [],
  )
  for (const name of FUNCTIONS) {
    const health = rows.find((r) => r.check === `health: ${name}`)
    assert.ok(health, `${name} has a health row:\n${table}`)
    const hash = await readBuildInfo(path.join(ROOT, 'dist', 'cloudfunctions', name))
    assert.equal(health.status, 'pass', table)
    assert.match(
      health.detail,
      new RegExp(
        `build ${hash!.slice(0, 12)}…, payMode ${name === 'listGoods' || name === 'queryOrder' || name === 'orderAction' ? 'none' : 'cloudpay'}, config ok`,
      ),
    )
  }
  assert.equal(rows.find((r) => r.check === 'collections')?.status, 'pass', table)
  assert.equal(rows.find((r) => r.check === 'local cloud')?.status, 'pass', table)
})

function doctorCli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'doctor', 'main.ts'), ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

test('npm run doctor -- --target local --url: a malformed key and pictures without a base fail, exit code 1, no secret printed', async () => {
  const { code, output } = await doctorCli(['--target', 'local', '--url', bad.url], cleanEnv({ ...CLIENT, ...MERCHANT }))
  assert.equal(code, 1, output)
  const line = (check: string): string => output.split('\n').find((l) => l.startsWith(`${check} `)) ?? assert.fail(`no row ${check}:\n${output}`)
  assert.match(line('merchant key'), /✗ +WXPAY_KEY is 31 characters/)
  assert.match(line('goods pictures'), /✗ +ASSET_BASE is not set and \d+ of \d+ pictures are not cloud:\/\/ or https/)
  assert.match(line('variables: createOrder'), /✗ +WXPAY_KEY（格式不对：32 位 APIv2 密钥）/)
  assert.match(line('health: createOrder'), /✗ +build [0-9a-f]{12}…, payMode merchant, config WXPAY_KEY（格式不对：32 位 APIv2 密钥）/)
  assert.match(line('health: listGoods'), /✓ +build [0-9a-f]{12}…, payMode none, config ok/)
  assert.match(line('notify URL'), /✓/)
  assert.match(line('AppID'), /✓ +wx0123456789abcdef/)
  assert.match(output, /\d+ ✓, \d+ ✗, \d+ !/)
  assert.ok(!output.includes(BAD_KEY), 'the key is never printed')
  assert.ok(!output.includes(STAFF), 'the staff OPENID is never printed')
})

test('npm run doctor -- --target local with nothing listening: one failing row, exit code 1', async () => {
  const { code, output } = await doctorCli(['--target', 'local', '--url', 'http://127.0.0.1:9'], cleanEnv({ ...CLIENT, ...CLOUDPAY }))
  assert.equal(code, 1, output)
  assert.match(output, /^local cloud +✗ +no local cloud at http:\/\/127\.0\.0\.1:9/m)
})
