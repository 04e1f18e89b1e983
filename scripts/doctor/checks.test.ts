import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseFunctionConfig, type ConfigResult } from '../deploy/functionConfig'
import {
  checkAppId,
  checkBuilds,
  checkCloudEnv,
  checkCollections,
  checkHealth,
  checkLocalCloud,
  checkManifest,
  checkMerchant,
  checkPictures,
  checkReconcileTimer,
  checkVariables,
  exitCodeOf,
  parseHealth,
  renderTable,
  REQUIRED_COLLECTIONS,
  runChecks,
  type Facts,
  type Row,
  type Status,
} from './checks'

// Each rule of `npm run doctor`, fed facts directly (no files, no local cloud). The run against
// a real local cloud is scripts/doctor/doctor.cloud.test.ts.

const HASH_A = 'a'.repeat(64)
const HASH_B = 'b'.repeat(64)
const KEY = 'k'.repeat(32)

const config = (raw: Record<string, unknown>): ConfigResult => parseFunctionConfig({ timeout: 10, variables: {}, ...raw })
const PAY = config({ variables: { pay: true, optional: ['ADMIN_OPENIDS'] } })
const STAFF = config({ variables: { pay: true, required: ['ADMIN_OPENIDS'] } })
const RECONCILE = config({
  triggers: [{ name: 'reconcileEveryTenMinutes', type: 'timer', config: '0 */10 * * * * *' }],
  variables: { pay: true, required: ['ADMIN_OPENIDS'] },
})
const FUNCTIONS: Facts['functions'] = [
  { name: 'createOrder', config: PAY },
  { name: 'refundOrder', config: STAFF },
  { name: 'reconcile', config: RECONCILE },
  { name: 'listGoods', config: config({}) },
]
const CLIENT: Facts['client'] = {
  env: { TARO_APP_ID: 'wx0123456789abcdef', CLOUD_ENV: 'prod-1a2b', ASSET_BASE: 'https://cdn.example.com' },
  projectAppId: 'touristappid',
}
const CLOUDPAY = { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', ADMIN_OPENIDS: 'ops-openid-1' }
const MERCHANT = {
  PAY_MODE: 'merchant',
  WXPAY_APPID: 'wx0123456789abcdef',
  WXPAY_MCH_ID: '1900000110',
  WXPAY_KEY: KEY,
  WXPAY_NOTIFY_URL: 'https://prod-1a2b.service.tcloudbase.com/payNotify',
  WXPAY_CERT_P12_BASE64: Buffer.from('certificate').toString('base64'),
  ADMIN_OPENIDS: 'ops-openid-1',
}
const values = (v: Record<string, string>): Facts['values'] => ({ values: v, source: '.env.prod-1a2b', problems: [] })

/** Everything fine: the cloud target with a manifest matching the builds. */
function healthy(): Facts {
  const built = FUNCTIONS.map((fn) => ({ name: fn.name, recorded: HASH_A, actual: HASH_A }))
  return {
    target: 'tcb',
    envId: 'prod-1a2b',
    client: CLIENT,
    values: values(CLOUDPAY),
    functions: FUNCTIONS,
    built,
    manifest: { ok: true, manifest: Object.fromEntries(built.map((b) => [b.name, { hash: HASH_A, deployedAt: '2026-11-28T00:00:00Z' }])) },
    goods: { checked: false, why: 'needs a running local cloud' },
    collections: { checked: false, why: 'needs a running local cloud' },
    localCloud: null,
    health: null,
  }
}

const statusOf = (rows: Row | Row[], check?: string): Status => {
  const list = Array.isArray(rows) ? rows : [rows]
  const found = check ? list.find((r) => r.check === check) : list[0]
  assert.ok(found, `no row ${check}`)
  return found.status
}

test('a healthy cloud deployment passes, with warnings only for what only a local cloud can show', () => {
  const rows = runChecks(healthy())
  assert.deepEqual(
    rows.filter((r) => r.status === 'fail'),
    [],
  )
  assert.deepEqual(
    rows.filter((r) => r.status === 'warn').map((r) => r.check),
    ['collections'],
  )
  assert.equal(exitCodeOf(rows), 0)
})

test('AppID: set, not the tourist one, shaped like an AppID; TARO_APP_ID wins over project.config.json', () => {
  assert.equal(statusOf(checkAppId({ env: {}, projectAppId: 'touristappid' })), 'fail')
  assert.equal(statusOf(checkAppId({ env: {}, projectAppId: undefined })), 'fail')
  assert.equal(statusOf(checkAppId({ env: { TARO_APP_ID: 'touristappid' }, projectAppId: 'wx0123456789abcdef' })), 'fail')
  assert.equal(statusOf(checkAppId({ env: { TARO_APP_ID: 'my-app' }, projectAppId: undefined })), 'fail')
  assert.equal(statusOf(checkAppId({ env: {}, projectAppId: 'wx0123456789abcdef' })), 'pass')
  assert.equal(statusOf(checkAppId({ env: { TARO_APP_ID: 'wx0123456789abcdef' }, projectAppId: 'touristappid' })), 'pass')
})

test('client cloud environment: CLOUD_ENV set and an id; a different --env is worth a look', () => {
  assert.equal(statusOf(checkCloudEnv({ env: {}, projectAppId: undefined }, 'prod-1a2b')), 'fail')
  assert.equal(statusOf(checkCloudEnv({ env: { CLOUD_ENV: 'not an id!' }, projectAppId: undefined }, undefined)), 'fail')
  assert.equal(statusOf(checkCloudEnv({ env: { CLOUD_ENV: 'test-9z' }, projectAppId: undefined }, 'prod-1a2b')), 'warn')
  assert.equal(statusOf(checkCloudEnv({ env: { CLOUD_ENV: 'prod-1a2b' }, projectAppId: undefined }, 'prod-1a2b')), 'pass')
})

test('pictures: an https ASSET_BASE, or every goods picture a cloud:// id or https URL', () => {
  const client = (ASSET_BASE?: string): Facts['client'] => ({ env: ASSET_BASE ? { ASSET_BASE } : {}, projectAppId: undefined })
  const unchecked = { checked: false as const, why: 'x' }
  assert.equal(statusOf(checkPictures(client('https://cdn.example.com'), unchecked)), 'pass')
  assert.equal(statusOf(checkPictures(client('http://cdn.example.com'), unchecked)), 'fail')
  assert.equal(statusOf(checkPictures(client('http://127.0.0.1:8787'), unchecked)), 'fail')
  assert.equal(statusOf(checkPictures(client(), unchecked)), 'warn')
  assert.equal(statusOf(checkPictures(client(), { checked: true, pictures: ['cloud://env.bucket/a.png', 'https://cdn.example.com/b.png'] })), 'pass')
  const paths = checkPictures(client(), { checked: true, pictures: ['cloud://env.bucket/a.png', '/static/goods/coffee.png'] })
  assert.equal(paths.status, 'fail')
  assert.match(paths.detail, /1 of 2 pictures.*\/static\/goods\/coffee\.png/)
  assert.equal(statusOf(checkPictures(client(), { checked: true, pictures: ['http://cdn.example.com/b.png'] })), 'fail')
})

test("variables: every function through the deploy's checks, for the pay mode the values name", () => {
  const ok = checkVariables({ functions: FUNCTIONS, values: values(CLOUDPAY), target: 'tcb' })
  assert.deepEqual(
    ok.map((r) => r.status),
    ['pass', 'pass', 'pass', 'pass'],
  )
  const noMch = checkVariables({ functions: FUNCTIONS, values: values({ ADMIN_OPENIDS: 'ops-openid-1' }), target: 'tcb' })
  assert.equal(statusOf(noMch, 'variables: createOrder'), 'fail')
  assert.match(noMch.find((r) => r.check === 'variables: createOrder')!.detail, /WXPAY_SUB_MCH_ID/)
  assert.equal(statusOf(noMch, 'variables: listGoods'), 'pass')
  const noStaff = checkVariables({ functions: FUNCTIONS, values: values({ ...CLOUDPAY, ADMIN_OPENIDS: '' }), target: 'tcb' })
  assert.equal(statusOf(noStaff, 'variables: refundOrder'), 'fail')
  assert.equal(statusOf(noStaff, 'variables: createOrder'), 'pass')
  // What only the cloud refuses: a loopback API base.
  const loopback = { ...MERCHANT, WXPAY_API_BASE: 'http://127.0.0.1:8787' }
  assert.equal(statusOf(checkVariables({ functions: FUNCTIONS, values: values(loopback), target: 'tcb' }), 'variables: createOrder'), 'fail')
  assert.equal(statusOf(checkVariables({ functions: FUNCTIONS, values: values(loopback), target: 'local' }), 'variables: createOrder'), 'pass')
  const badFile = checkVariables({
    functions: FUNCTIONS,
    values: { values: CLOUDPAY, source: '.env.prod-1a2b', problems: ['.env.prod-1a2b:3: not a KEY=VALUE line'] },
    target: 'tcb',
  })
  assert.equal(statusOf(badFile, 'values'), 'fail')
  const badConfig = checkVariables({
    functions: [{ name: 'x', config: { ok: false, problems: ['timeout must be …'] } }],
    values: values(CLOUDPAY),
    target: 'tcb',
  })
  assert.equal(statusOf(badConfig), 'fail')
})

test('merchant key: 32 letters and digits', () => {
  const key = (WXPAY_KEY: string) =>
    statusOf(checkMerchant({ values: values({ ...MERCHANT, WXPAY_KEY }), target: 'tcb', functions: FUNCTIONS }), 'merchant key')
  assert.equal(key(KEY), 'pass')
  assert.equal(key('k'.repeat(31)), 'fail')
  assert.equal(key(`${'k'.repeat(31)}!`), 'fail')
  assert.equal(key(''), 'fail')
})

test('merchant notify URL: https, at payNotify’s HTTP path (locally /api/http/payNotify over http)', () => {
  const notify = (WXPAY_NOTIFY_URL: string, target: 'tcb' | 'local' = 'tcb') =>
    statusOf(checkMerchant({ values: values({ ...MERCHANT, WXPAY_NOTIFY_URL }), target, functions: FUNCTIONS }), 'notify URL')
  assert.equal(notify('https://prod-1a2b.service.tcloudbase.com/payNotify'), 'pass')
  assert.equal(notify('http://prod-1a2b.service.tcloudbase.com/payNotify'), 'fail')
  assert.equal(notify('https://prod-1a2b.service.tcloudbase.com/createOrder'), 'fail')
  assert.equal(notify('not a url'), 'fail')
  assert.equal(notify(''), 'fail')
  assert.equal(notify('http://127.0.0.1:8787/api/http/payNotify', 'local'), 'pass')
  assert.equal(notify('http://127.0.0.1:8787/api/http/refundOrder', 'local'), 'fail')
})

test('merchant certificate: needed when a function refunds, unless the local simulator plays the API', () => {
  const cert = (v: Record<string, string>, functions: Facts['functions'] = FUNCTIONS, target: 'tcb' | 'local' = 'tcb') =>
    statusOf(checkMerchant({ values: values(v), target, functions }), 'API certificate')
  const { WXPAY_CERT_P12_BASE64: _cert, ...noCert } = MERCHANT
  assert.equal(cert(MERCHANT), 'pass')
  assert.equal(cert(noCert), 'fail')
  assert.equal(cert(noCert, [{ name: 'createOrder', config: PAY }]), 'pass')
  assert.equal(cert({ ...noCert, WXPAY_API_SIMULATOR: 'true' }, FUNCTIONS, 'local'), 'pass')
  assert.equal(cert({ ...noCert, WXPAY_API_SIMULATOR: 'true' }, FUNCTIONS, 'tcb'), 'fail')
})

test('merchant checks do not apply in cloudpay mode', () => {
  const rows = checkMerchant({ values: values(CLOUDPAY), target: 'tcb', functions: FUNCTIONS })
  assert.deepEqual(
    rows.map((r) => [r.check, r.status]),
    [['merchant settings', 'pass']],
  )
})

test('reconcile has its timer', () => {
  assert.equal(statusOf(checkReconcileTimer(FUNCTIONS)), 'pass')
  assert.equal(statusOf(checkReconcileTimer([{ name: 'reconcile', config: STAFF }])), 'fail')
  assert.equal(statusOf(checkReconcileTimer([{ name: 'createOrder', config: PAY }])), 'fail')
  assert.equal(statusOf(checkReconcileTimer([{ name: 'reconcile', config: { ok: false, problems: ['bad'] } }])), 'fail')
})

test('collections: every one the README lists; not checked is a warning', () => {
  assert.equal(statusOf(checkCollections({ checked: true, names: [...REQUIRED_COLLECTIONS, '_sim_trades'] })), 'pass')
  const missing = checkCollections({ checked: true, names: REQUIRED_COLLECTIONS.filter((c) => c !== 'payment_rejects') })
  assert.equal(missing.status, 'fail')
  assert.match(missing.detail, /missing payment_rejects/)
  assert.equal(statusOf(checkCollections({ checked: false, why: 'no cloud' })), 'warn')
})

test('builds: every function built, build.json matching its folder', () => {
  assert.equal(statusOf(checkBuilds([{ name: 'a', recorded: HASH_A, actual: HASH_A }])), 'pass')
  assert.equal(statusOf(checkBuilds([{ name: 'a', recorded: HASH_A, actual: HASH_B }])), 'fail')
  assert.equal(statusOf(checkBuilds([{ name: 'a', recorded: null, actual: HASH_B }])), 'fail')
  assert.equal(statusOf(checkBuilds([{ name: 'a', recorded: null, actual: null }])), 'fail')
  assert.equal(statusOf(checkBuilds([])), 'fail')
})

test('deploy manifest: names functions deployed with another build, and those never deployed', () => {
  const built = [
    { name: 'a', recorded: HASH_A, actual: HASH_A },
    { name: 'b', recorded: HASH_A, actual: HASH_A },
    { name: 'c', recorded: HASH_A, actual: HASH_A },
  ]
  const at = '2026-11-28T00:00:00Z'
  const same = checkManifest(
    built,
    { ok: true, manifest: { a: { hash: HASH_A, deployedAt: at }, b: { hash: HASH_A, deployedAt: at }, c: { hash: HASH_A, deployedAt: at } } },
    'prod',
  )
  assert.equal(same.status, 'pass')
  const differs = checkManifest(built, { ok: true, manifest: { a: { hash: HASH_A, deployedAt: at }, b: { hash: HASH_B, deployedAt: at } } }, 'prod')
  assert.equal(differs.status, 'fail')
  assert.match(differs.detail, /never deployed: c/)
  assert.match(differs.detail, /differ: b \(deployed bbbbbbbbbbbb…, built aaaaaaaaaaaa…\)/)
  assert.doesNotMatch(differs.detail, /\ba \(/)
  assert.equal(statusOf(checkManifest(built, { ok: false, problem: 'deploy/prod.json is not JSON' }, 'prod')), 'fail')
  assert.equal(statusOf(checkManifest(built, null, undefined)), 'warn')
})

test('local cloud: a failing row when it does not answer; no row for the cloud target', () => {
  assert.deepEqual(checkLocalCloud(null), [])
  assert.equal(statusOf(checkLocalCloud({ reachable: false, why: 'no local cloud' })), 'fail')
  assert.equal(statusOf(checkLocalCloud({ reachable: true })), 'pass')
})

test('health: per function its build and config; problems, an unknown pay mode or another build fail', () => {
  const built = [{ name: 'createOrder', recorded: HASH_A, actual: HASH_A }]
  const one = (answer: { build: string; payMode: string; problems: string[] }) =>
    checkHealth({ checked: true, functions: [{ name: 'createOrder', answer }] }, built)[0]!
  const ok = one({ build: HASH_A, payMode: 'cloudpay', problems: [] })
  assert.equal(ok.status, 'pass')
  assert.match(ok.detail, /build aaaaaaaaaaaa…, payMode cloudpay, config ok/)
  assert.equal(one({ build: HASH_A, payMode: 'merchant', problems: ['WXPAY_KEY（格式不对）'] }).status, 'fail')
  assert.equal(one({ build: HASH_A, payMode: 'unknown', problems: [] }).status, 'fail')
  assert.equal(one({ build: HASH_B, payMode: 'cloudpay', problems: [] }).status, 'fail')
  assert.equal(statusOf(checkHealth({ checked: true, functions: [{ name: 'x', error: 'no answer' }] }, built)), 'fail')
  assert.equal(statusOf(checkHealth({ checked: false, why: 'no staff' }, built)), 'warn')
  assert.deepEqual(checkHealth(null, built), [])
})

test('parseHealth reads the health answer and refuses anything else', () => {
  assert.deepEqual(parseHealth({ ok: true, data: { build: HASH_A, payMode: 'none', config: 'ok' } }), { build: HASH_A, payMode: 'none', problems: [] })
  assert.deepEqual(parseHealth({ ok: true, data: { build: HASH_A, payMode: 'merchant', config: { problems: ['A'] } } }), {
    build: HASH_A,
    payMode: 'merchant',
    problems: ['A'],
  })
  assert.equal(typeof parseHealth({ ok: false, error: { code: 'INVALID_ARGUMENT' } }), 'string')
  assert.equal(typeof parseHealth({ ok: true, data: { build: HASH_A } }), 'string')
  assert.equal(typeof parseHealth({ ok: true, data: { build: HASH_A, payMode: 'none', config: 3 } }), 'string')
  assert.equal(typeof parseHealth(null), 'string')
})

test('the table: one row per check with ✓ ✗ !; only a failure fails the run', () => {
  const rows: Row[] = [
    { check: 'one', status: 'pass', detail: 'fine' },
    { check: 'second', status: 'warn', detail: 'look' },
  ]
  assert.equal(exitCodeOf(rows), 0)
  assert.equal(exitCodeOf([...rows, { check: 'third', status: 'fail', detail: 'broken' }]), 1)
  const table = renderTable([...rows, { check: 'third', status: 'fail', detail: 'broken' }])
  assert.match(table, /^one {5}✓ +fine$/m)
  assert.match(table, /^second {2}! +look$/m)
  assert.match(table, /^third {3}✗ +broken$/m)
  assert.match(table, /1 ✓, 1 ✗, 1 !/)
})
