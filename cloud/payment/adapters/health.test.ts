import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { loadPayConfig } from '../config'
import { configProblems, isHealthEvent, payModeOf, readBuildHash } from './health'

test('only exactly { $health: true } is the health event', () => {
  assert.equal(isHealthEvent({ $health: true }), true)
  assert.equal(isHealthEvent(JSON.parse('{"$health":true}')), true)
  for (const event of [
    undefined,
    null,
    {},
    [],
    '$health',
    { $health: 'true' },
    { $health: 1 },
    { $health: false },
    { $health: true, outTradeNo: 'ORDER_123' },
    Object.assign(Object.create({ $health: true }) as object, {}),
    Object.assign(Object.create(null) as object, { $health: true }),
  ])
    assert.equal(isHealthEvent(event), false, JSON.stringify(event))
})

test('the build hash comes from build.json beside the bundle; unknown when missing or malformed', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'health-build-'))
  try {
    assert.equal(readBuildHash(dir), 'unknown')
    writeFileSync(path.join(dir, 'build.json'), JSON.stringify({ hash: '0123456789abcdef' }))
    assert.equal(readBuildHash(dir), '0123456789abcdef')
    for (const text of ['{', '[]', '{"hash":7}', '{"hash":"not hex!"}', '{"hash":"ab"}', JSON.stringify({ hash: 'a'.repeat(200) })]) {
      writeFileSync(path.join(dir, 'build.json'), text)
      assert.equal(readBuildHash(dir), 'unknown', text)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the pay mode as the parser reads it; anything else is unknown and never echoed', () => {
  assert.equal(payModeOf({}), 'cloudpay')
  assert.equal(payModeOf({ PAY_MODE: ' merchant ' }), 'merchant')
  assert.equal(payModeOf({ PAY_MODE: 'sk-live-abcdef' }), 'unknown')
})

test("config problems: loadPayConfig's, one per variable, named, with no value the operator set", () => {
  // Every variable holds a marker in the wrong format: none may come back.
  const env: Record<string, string> = {
    PAY_MODE: 'merchant',
    WXPAY_APPID: 'MARKER-appid',
    WXPAY_MCH_ID: 'MARKER-mch',
    WXPAY_KEY: 'MARKER-key-too-short',
    WXPAY_NOTIFY_URL: 'MARKER-url',
    WXPAY_SIGN_TYPE: 'MARKER-sign',
    WXPAY_API_BASE: 'MARKER-base',
    WXPAY_API_SIMULATOR: 'MARKER-sim',
    WXPAY_CERT_P12_BASE64: 'MARKER-cert!',
  }
  const result = loadPayConfig(env)
  assert.ok(!result.ok)
  const problems = configProblems(result.problems)
  assert.deepEqual(
    problems.map((p) => /^[A-Z0-9_]+/.exec(p)?.[0]),
    ['WXPAY_APPID', 'WXPAY_MCH_ID', 'WXPAY_KEY', 'WXPAY_NOTIFY_URL', 'WXPAY_SIGN_TYPE', 'WXPAY_API_BASE', 'WXPAY_API_SIMULATOR', 'WXPAY_CERT_P12_BASE64'],
  )
  assert.match(result.error.detail ?? '', /MARKER-sign/, 'the parser itself quotes some values (the test would prove nothing otherwise)')
  for (const problem of problems) assert.doesNotMatch(problem, /MARKER/, problem)
  assert.ok(problems.includes('WXPAY_KEY（格式不对：32 位 APIv2 密钥）'), problems.join(' | '))

  const mode = loadPayConfig({ PAY_MODE: 'MARKER-mode' })
  assert.ok(!mode.ok)
  assert.deepEqual(configProblems(mode.problems), ['PAY_MODE（应为 cloudpay 或 merchant）'])

  const missing = loadPayConfig({})
  assert.ok(!missing.ok)
  assert.deepEqual(configProblems(missing.problems), ['WXPAY_SUB_MCH_ID（缺少：与云开发环境绑定的微信支付商户号）'])
})
