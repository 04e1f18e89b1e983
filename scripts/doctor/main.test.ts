import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { gatherValues, staffOpenid } from './gather'
import { parseArgs } from './main'

// The doctor's arguments and where it reads the functions' values from (no local cloud here).

const dir = mkdtempSync(path.join(tmpdir(), 'doctor-'))
after(() => rmSync(dir, { recursive: true, force: true }))

test('arguments: the cloud target needs an environment; --url and --staff only with --target local, on this machine', () => {
  assert.deepEqual(parseArgs(['--env', 'prod-1a2b'], {}), {
    ok: true,
    args: { envId: 'prod-1a2b', target: 'tcb', url: 'http://127.0.0.1:8787', staff: undefined },
  })
  assert.equal(parseArgs([], { CLOUDBASE_ENV_ID: 'prod-1a2b' }).ok, true)
  assert.equal(parseArgs([], {}).ok, false)
  assert.equal(parseArgs(['--env'], {}).ok, false)
  assert.equal(parseArgs(['--env', 'not an id'], {}).ok, false)
  assert.equal(parseArgs(['--env', 'p', '--url', 'http://127.0.0.1:1'], {}).ok, false)
  assert.equal(parseArgs(['--target', 'cloud'], {}).ok, false)
  assert.equal(parseArgs(['--target', 'local', '--url', 'http://example.com:8787'], {}).ok, false)
  assert.equal(parseArgs(['--what'], {}).ok, false)
  assert.deepEqual(parseArgs(['--target=local', '--url=http://127.0.0.1:9000/', '--staff', 'ops-1'], {}), {
    ok: true,
    args: { envId: undefined, target: 'local', url: 'http://127.0.0.1:9000', staff: 'ops-1' },
  })
})

test('values: .env.<envId> over the environment for the cloud; locally .env under the environment, the placeholder filled in', async () => {
  writeFileSync(path.join(dir, '.env.prod-1a2b'), 'PAY_MODE=merchant\nWXPAY_KEY="from-file"\n')
  writeFileSync(path.join(dir, '.env'), 'WXPAY_NOTIFY_URL={{LOCAL_CLOUD_URL}}/api/http/payNotify\nADMIN_OPENIDS=file-ops\n')
  const cloud = await gatherValues(dir, { PAY_MODE: 'cloudpay', WXPAY_KEY: 'shell', OTHER: 'x' }, 'tcb', 'prod-1a2b', '')
  assert.equal(cloud.values['PAY_MODE'], 'merchant')
  assert.equal(cloud.values['WXPAY_KEY'], 'from-file')
  assert.equal(cloud.values['OTHER'], 'x')
  const missing = await gatherValues(dir, { PAY_MODE: 'cloudpay' }, 'tcb', 'other-env', '')
  assert.match(missing.source, /no \.env\.other-env/)
  const local = await gatherValues(dir, { ADMIN_OPENIDS: 'shell-ops' }, 'local', undefined, 'http://127.0.0.1:8787')
  assert.equal(local.values['WXPAY_NOTIFY_URL'], 'http://127.0.0.1:8787/api/http/payNotify')
  assert.equal(local.values['PAY_MODE'], 'cloudpay')
  assert.equal(staffOpenid(local.values), 'shell-ops')
  writeFileSync(path.join(dir, '.env.bad'), 'this is not a line\n')
  assert.deepEqual((await gatherValues(dir, {}, 'tcb', 'bad', '')).problems, ['.env.bad:1: not a KEY=VALUE line'])
})
