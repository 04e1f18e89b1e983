// The health event `{ "$health": true }`: every function answers it to a system caller (no OPENID:
// `tcb fn invoke`, the console, a timer, another function) and to staff, with what is deployed and
// whether its configuration parses — never a secret, never to a shopper, never through payNotify's
// HTTP trigger. Against the local cloud, the built functions and the real wx-server-sdk.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { callFunction, ROOT, startTestCloud, type TestCloud } from '../local/testing/harness'
import { builtHash, captureOutput } from '../local/testing/functionOutput'
import { merchantEnv, waitFor } from '../local/testing/shop'
import { BAD_REQUEST } from '../payment/parse'

const STAFF = 'staff-health-1'
const SHOPPER = 'shopper-health-1'
const FUNCTIONS = readdirSync(path.join(ROOT, 'cloud', 'functions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(ROOT, 'cloud', 'functions', entry.name, 'index.ts')))
  .map((entry) => entry.name)
/** The functions that pay or refund: their config.json declares the pay variables (docs/deploy.md); the others report `none`. */
const PAYING = new Set(
  FUNCTIONS.filter((name) => {
    const config = JSON.parse(readFileSync(path.join(ROOT, 'cloud', 'functions', name, 'config.json'), 'utf8')) as { variables?: { pay?: boolean } }
    return config.variables?.pay === true
  }),
)
const modeOf = (name: string, mode: string): string => (PAYING.has(name) ? mode : 'none')

const HEALTH_KEYS = ['build', 'config', 'function', 'node', 'payMode', 'uptimeMs']

type Health = { function: string; build: string; payMode: string; config: 'ok' | { problems: string[] }; node: string; uptimeMs: number }

function assertHealth(answer: unknown, name: string, payMode: string): Health {
  const result = answer as { ok: boolean; data: Health }
  assert.equal(result.ok, true, `${name}: ${JSON.stringify(answer)}`)
  assert.deepEqual(Object.keys(result).sort(), ['data', 'ok'])
  const data = result.data
  assert.deepEqual(Object.keys(data).sort(), HEALTH_KEYS, name)
  assert.equal(data.function, name)
  assert.equal(data.build, builtHash(name), `${name}: the build.json beside the bundle, or unknown`)
  assert.equal(data.payMode, payMode)
  assert.equal(data.node, process.version, 'the worker runs in this Node')
  assert.ok(Number.isInteger(data.uptimeMs) && data.uptimeMs >= 0 && data.uptimeMs < 10 * 60_000, String(data.uptimeMs))
  return data
}

/** A call without OPENID, as the cloud runs `tcb fn invoke`, a console test or another function. */
async function systemCall(cloud: TestCloud, name: string, event: unknown, source: 'wx_client' | 'timer' | 'wx_paycallback' = 'wx_client'): Promise<unknown> {
  const outcome = await cloud.runner.invoke(name, event, { source })
  assert.ok(outcome.ok, JSON.stringify(outcome))
  return outcome.result
}

describe('health: a configured merchant-mode shop', () => {
  const env: Record<string, string> = { ...merchantEnv(), WXPAY_CERT_P12_BASE64: randomBytes(96).toString('base64'), ADMIN_OPENIDS: STAFF }
  // What must never leave the function: the secrets, and the configuration's values.
  const secrets = [env['WXPAY_KEY']!, env['WXPAY_CERT_P12_BASE64']!]
  const values = [...secrets, env['WXPAY_MCH_ID']!, env['WXPAY_APPID']!, '/api/http/payNotify']
  let cloud: TestCloud
  let output: ReturnType<typeof captureOutput<Record<string, unknown>>>
  before(async () => {
    output = captureOutput()
    cloud = await startTestCloud({ functionEnv: env })
  })
  after(async () => {
    await cloud.stop()
    output.restore()
  })

  test('every function answers a system caller and staff; the configuration is ok; nothing configured is in the answer', async () => {
    for (const name of FUNCTIONS) {
      const answers = [await systemCall(cloud, name, { $health: true }), await systemCall(cloud, name, { $health: true }, 'timer')]
      const staff = await callFunction(cloud.url, name, { $health: true }, STAFF)
      assert.equal(staff.status, 200)
      answers.push(staff.body)
      for (const answer of answers) {
        assert.equal(assertHealth(answer, name, modeOf(name, 'merchant')).config, 'ok')
        const text = JSON.stringify(answer)
        for (const value of values) assert.ok(!text.includes(value), `${name} answered a configured value`)
      }
    }
  })

  test('a shopper gets the ordinary bad request, no detail; payNotify treats it as any stranger', async () => {
    for (const name of FUNCTIONS) {
      const { status, body } = await callFunction(cloud.url, name, { $health: true }, SHOPPER)
      assert.equal(status, 200)
      if (name === 'payNotify') {
        // Not WeChat Pay's callback: refused as junk, like any other event from a shopper.
        assert.deepEqual(Object.keys(body as object).sort(), ['errcode', 'errmsg'])
        assert.notEqual((body as { errcode: number }).errcode, 0)
      } else {
        assert.deepEqual(body, { ok: false, error: { code: 'INVALID_ARGUMENT', message: BAD_REQUEST } }, name)
      }
      assert.doesNotMatch(JSON.stringify(body), /uptimeMs|payMode|build|merchant/)
    }
  })

  test("payNotify: neither its HTTP trigger (the internet) nor WeChat Pay's callback path gets health", async () => {
    for (const body of ['{"$health":true}', '']) {
      const res = await fetch(`${cloud.url}/api/http/payNotify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      const text = await res.text()
      assert.match(text, /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>/)
      assert.doesNotMatch(text, /uptimeMs|payMode|build/)
    }
    const callback = await systemCall(cloud, 'payNotify', { $health: true }, 'wx_paycallback')
    assert.deepEqual(Object.keys(callback as object).sort(), ['errcode', 'errmsg'])
    assert.doesNotMatch(JSON.stringify(callback), /uptimeMs|payMode/)
  })

  test('health is logged like any invocation, by caller; no secret in anything the functions printed', async () => {
    const records = await waitFor('the health log lines', () => {
      const found = output.records().filter((r) => r['outcome'] === 'ok' && (r['caller'] === 'system' || r['caller'] === 'staff'))
      return found.length >= FUNCTIONS.length * 3 && found
    })
    for (const name of FUNCTIONS) {
      const mine = records.filter((r) => r['fn'] === name)
      assert.equal(mine.filter((r) => r['caller'] === 'system').length, 2, name)
      assert.equal(mine.filter((r) => r['caller'] === 'staff').length, 1, name)
    }
    const shopper = output.records().filter((r) => r['caller'] === 'shopper' && r['fn'] !== 'payNotify')
    assert.ok(shopper.every((r) => r['outcome'] === 'INVALID_ARGUMENT'))
    const text = output.text()
    assert.ok(text.length > 0)
    for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret was printed')
  })
})

describe('health: a misconfigured function reports its problems', () => {
  const marker = `MARKER${randomBytes(4).toString('hex')}`
  let cloud: TestCloud
  before(async () => {
    cloud = await startTestCloud({
      functionEnv: {
        PAY_MODE: 'merchant',
        WXPAY_KEY: `${marker}-short`,
        WXPAY_SIGN_TYPE: `${marker}-sign`,
        WXPAY_NOTIFY_URL: 'https://example.com/n',
        ADMIN_OPENIDS: STAFF,
      },
    })
  })
  after(() => cloud.stop())

  test('by variable name, never by value, to the system and to staff', async () => {
    assert.ok(PAYING.size >= 5 && PAYING.size < FUNCTIONS.length, `paying functions: ${[...PAYING].join(', ')}`)
    for (const name of FUNCTIONS) {
      for (const answer of [await systemCall(cloud, name, { $health: true }), (await callFunction(cloud.url, name, { $health: true }, STAFF)).body]) {
        const data = assertHealth(answer, name, modeOf(name, 'merchant'))
        // A function that never pays is deployed without the pay variables: nothing to report.
        if (!PAYING.has(name)) {
          assert.equal(data.config, 'ok', name)
          continue
        }
        assert.ok(data.config !== 'ok', name)
        const named = data.config.problems.map((problem) => /^[A-Z][A-Z0-9_]*/.exec(problem)?.[0])
        assert.deepEqual(named, ['WXPAY_APPID', 'WXPAY_MCH_ID', 'WXPAY_KEY', 'WXPAY_SIGN_TYPE'], `${name}: ${data.config.problems.join(' | ')}`)
        assert.ok(!JSON.stringify(answer).includes(marker), `${name} echoed a value`)
      }
    }
  })

  test('the functions still refuse shoppers as before: CONFIG_ERROR in shopper words', async () => {
    const { body } = await callFunction(cloud.url, 'createOrder', { items: [{ goodsId: 'goods-coffee', quantity: 1 }] }, SHOPPER)
    assert.equal((body as { error: { code: string } }).error.code, 'CONFIG_ERROR')
    assert.ok(!JSON.stringify(body).includes(marker))
  })
})
