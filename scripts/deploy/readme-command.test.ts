import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { folderHash } from './hash'

// Cloud tier (RUNS_CLIS in scripts/test-tiers.ts): runs the deploy CLI, which builds the function
// into dist/cloudfunctions. Its argument parsing is unit-tested in main.test.ts.
const root = path.resolve(__dirname, '..', '..')

test('the README command: npm run deploy -- createOrder --dry-run', async () => {
  const envId = 'readme-dry-run'
  const rcFile = path.join(root, 'cloudbaserc.json')
  const rcBefore = existsSync(rcFile) ? statSync(rcFile).mtimeMs : null
  const result = spawnSync('npm', ['run', '--silent', 'deploy', '--', 'createOrder', '--dry-run', '--env', envId], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', ADMIN_OPENIDS: 'oStaffOpenid0123456789abcdef' },
    timeout: 120_000,
  })
  assert.equal(result.status, 0, result.stderr + result.stdout)
  const out = result.stdout
  assert.match(out, /deploy to readme-dry-run \(dry run: nothing is written or deployed\): 1 function\(s\)/)
  assert.match(out, /createOrder \(named\)/)
  assert.match(out, /WXPAY_SUB_MCH_ID=••••••\(10\)/)
  assert.equal(out.includes('1900000109') || out.includes('oStaffOpenid0123456789abcdef'), false, 'no value that may be secret')
  assert.match(out, /tcb fn deploy createOrder -e readme-dry-run --force/)
  assert.equal(existsSync(path.join(root, 'deploy', `${envId}.json`)), false)
  assert.equal(existsSync(rcFile) ? statSync(rcFile).mtimeMs : null, rcBefore, 'cloudbaserc.json untouched')
  // The function was really built, and its build.json is the hash of what would be uploaded.
  const dir = path.join(root, 'dist', 'cloudfunctions', 'createOrder')
  const hash = await folderHash(dir)
  assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'build.json'), 'utf8')), { hash })
  assert.match(out, new RegExp(`build ${hash.slice(0, 12)}…`))
})
