// A function sees its documented configuration and the seam, never the local cloud's own
// environment (a developer's shell with real keys in it).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { localCloudOptions } from '../config'
import { callFunction, FIXTURE_FUNCTIONS, ROOT, startTestCloud, type TestCloud } from '../testing/harness'
import { functionConfig, invocationEnv } from './functionEnv'

// What a developer's shell holds besides the shop's configuration.
const SHELL = {
  AWS_SECRET_ACCESS_KEY: 'aws-secret-from-the-shell',
  GITHUB_TOKEN: 'ghp-from-the-shell',
  HOME: '/home/developer',
  PATH: '/usr/bin',
  NODE_OPTIONS: '--require /somewhere/else.js',
  PORT: '8787',
  CLOUD_DATA_DIR: '/tmp/elsewhere',
}
const CONFIG = { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', WXPAY_KEY: 'k'.repeat(32), ADMIN_OPENIDS: 'staff-1' }

const IN_THIS_PROCESS = ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN'] as const

let cloud: TestCloud

before(async () => {
  // In the local cloud's own process environment too: a worker must not inherit it.
  for (const key of IN_THIS_PROCESS) process.env[key] = SHELL[key]
  // The way `npm start` builds its options: .env, then the whole process environment.
  const { functionEnv } = localCloudOptions(ROOT, { ...SHELL, ...CONFIG })
  cloud = await startTestCloud({ functionsDir: FIXTURE_FUNCTIONS, functionEnv })
})
after(async () => {
  await cloud.stop()
  for (const key of IN_THIS_PROCESS) delete process.env[key]
})

test('a function sees its configuration and the seam, and nothing else from the environment', async () => {
  const { status, body } = await callFunction(cloud.url, 'envkeys', {})
  assert.equal(status, 200)
  const { env } = body as { env: Record<string, string> }
  for (const key of Object.keys(SHELL)) assert.equal(key in env, false, `${key} leaked into the function`)
  assert.equal(Object.values(env).includes('aws-secret-from-the-shell'), false)
  assert.equal(env['WXPAY_KEY'], CONFIG.WXPAY_KEY)
  assert.equal(env['ADMIN_OPENIDS'], 'staff-1')
  assert.equal(env['TCB_CONTEXT_CNFG'], JSON.stringify({ URL: `${cloud.url}/admin` }))
  assert.equal(env['TCB_ENV'], 'test-env')
  assert.equal(env['WX_OPENID'], 'test-user')
})

test('functionConfig keeps only the allowlist and fills in the local cloud URL', () => {
  const config = functionConfig({ ...SHELL, ...CONFIG, WXPAY_NOTIFY_URL: '{{LOCAL_CLOUD_URL}}/api/http/payNotify' }, 'http://127.0.0.1:9999/admin')
  assert.deepEqual(config, { ...CONFIG, WXPAY_NOTIFY_URL: 'http://127.0.0.1:9999/api/http/payNotify' })
})

test('invocationEnv: configuration, seam and caller for a process of your own, nothing from the shell', () => {
  const env = invocationEnv(
    { adminUrl: 'http://127.0.0.1:9999/admin', envId: 'e', appid: 'wx0000000000test', functionEnv: { ...SHELL, ...CONFIG } },
    { source: 'wx_client', openid: 'shopper-1' },
    'token-1',
  )
  for (const key of Object.keys(SHELL)) assert.equal(key in env, false, `${key} leaked`)
  assert.equal(env['WX_OPENID'], 'shopper-1')
  assert.equal(env['WX_APPID'], 'wx0000000000test')
  assert.equal(env['WX_API_TOKEN'], 'token-1')
  assert.equal(env['TCB_SOURCE'], 'wx_client')
  assert.equal(env['TENCENTCLOUD'], 'true')
  assert.equal(env['PAY_MODE'], 'cloudpay')
  assert.equal('WX_UNIONID' in env, false)
})
