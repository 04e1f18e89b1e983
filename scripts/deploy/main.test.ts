import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseArgs } from './main'

// The README's `npm run deploy -- createOrder --dry-run`, run as written: scripts/deploy/readme-command.test.ts (cloud tier).

describe('parseArgs', () => {
  test('names, --changed or --all; --env or CLOUDBASE_ENV_ID; --dry-run', () => {
    assert.deepEqual(parseArgs(['createOrder', 'payNotify', '--env', 'prod-1'], {}), {
      ok: true,
      args: { selection: { kind: 'named', names: ['createOrder', 'payNotify'] }, envId: 'prod-1', dryRun: false, target: 'tcb', url: 'http://127.0.0.1:8787' },
    })
    assert.deepEqual(parseArgs(['--changed', '--dry-run'], { CLOUDBASE_ENV_ID: 'prod-2' }), {
      ok: true,
      args: { selection: { kind: 'changed' }, envId: 'prod-2', dryRun: true, target: 'tcb', url: 'http://127.0.0.1:8787' },
    })
    assert.deepEqual(parseArgs(['--all', '--env=prod-3'], { CLOUDBASE_ENV_ID: 'prod-2' }), {
      ok: true,
      args: { selection: { kind: 'all' }, envId: 'prod-3', dryRun: false, target: 'tcb', url: 'http://127.0.0.1:8787' },
    })
  })

  test('refuses none or several selections, unknown options, --env without a value', () => {
    for (const argv of [[], ['--all', '--changed'], ['createOrder', '--all'], ['--al'], ['--all', '--env'], ['--all', '--env', '--dry-run']]) {
      assert.equal(parseArgs(argv, {}).ok, false, argv.join(' '))
    }
  })

  test('--target local [--url]: names or --all', () => {
    assert.deepEqual(parseArgs(['createOrder', '--target', 'local', '--url', 'http://127.0.0.1:9000'], {}), {
      ok: true,
      args: { selection: { kind: 'named', names: ['createOrder'] }, envId: undefined, dryRun: false, target: 'local', url: 'http://127.0.0.1:9000' },
    })
    for (const argv of [
      ['--changed', '--target', 'local'],
      ['--all', '--target=local', '--dry-run'],
      ['--all', '--target', 'cloud'],
      ['--all', '--url', 'http://127.0.0.1:1'],
    ]) {
      assert.equal(parseArgs(argv, {}).ok, false, argv.join(' '))
    }
  })
})
