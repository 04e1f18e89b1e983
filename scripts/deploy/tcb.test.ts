import assert from 'node:assert/strict'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { spawnTcb, tcbDeployed } from './tcb'

// The real spawn path, against a stand-in `node_modules/.bin/tcb` (a shell script): arguments,
// environment, both output streams line by line, the exit code. Nothing reaches the network.

const root = mkdtempSync(path.join(tmpdir(), 'tcb-'))
after(() => rmSync(root, { recursive: true, force: true }))
mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true })
const bin = path.join(root, 'node_modules', '.bin', 'tcb')
writeFileSync(
  bin,
  [
    '#!/bin/sh',
    'echo "args: $*"',
    'echo "pay mode: $PAY_MODE"',
    'printf "partial"; sleep 0.05; printf " line\\n"',
    'echo "warning on stderr" >&2',
    'read answer || echo "stdin closed"',
    'printf "[$3] 云函数部署成功！"',
    'exit "${TCB_EXIT:-0}"',
  ].join('\n'),
)
chmodSync(bin, 0o755)

test('runs tcb with the arguments and extra environment, collecting every line', { skip: process.platform === 'win32' }, async () => {
  const lines: string[] = []
  const run = await spawnTcb(root)(['fn', 'deploy', 'createOrder', '-e', 'prod', '--force'], {
    cwd: root,
    env: { PAY_MODE: 'cloudpay' },
    onLine: (l) => lines.push(l),
  })
  assert.equal(run.code, 0)
  assert.deepEqual(
    lines.sort(),
    [
      '[createOrder] 云函数部署成功！',
      'args: fn deploy createOrder -e prod --force',
      'partial line',
      'pay mode: cloudpay',
      'stdin closed',
      'warning on stderr',
    ].sort(),
  )
  assert.equal(tcbDeployed('createOrder', run), true)
  assert.equal(tcbDeployed('payNotify', run), false, 'another function’s success line does not count')
  const failed = await spawnTcb(root)(['fn', 'deploy', 'createOrder'], { cwd: root, env: { TCB_EXIT: '3' }, onLine: () => {} })
  assert.equal(failed.code, 3)
  assert.equal(tcbDeployed('createOrder', failed), false, 'a success line with a failing exit code does not count')
})
