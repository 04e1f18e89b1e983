import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { checkBuild, newestFile, staleness } from './freshness'

describe('staleness', () => {
  const built = [
    { path: 'dist/cloudfunctions/a/index.js', mtimeMs: 2000 },
    { path: 'dist/cloudfunctions/b/index.js', mtimeMs: 1500 },
  ]

  test('sources older than every output: fresh', () => {
    assert.deepEqual(staleness({ path: 'cloud/payment/x.ts', mtimeMs: 1400 }, built), { stale: false })
    assert.deepEqual(staleness({ path: 'cloud/payment/x.ts', mtimeMs: 1500 }, built), { stale: false })
  })

  test('a source newer than the oldest output: stale, naming both', () => {
    assert.deepEqual(staleness({ path: 'cloud/payment/x.ts', mtimeMs: 1501 }, built), {
      stale: true,
      reason: 'cloud/payment/x.ts is newer than dist/cloudfunctions/b/index.js',
    })
  })

  test('a missing output, or no output at all: stale', () => {
    assert.deepEqual(staleness({ path: 's.ts', mtimeMs: 1 }, [...built, { path: 'dist/cloudfunctions/c/index.js', mtimeMs: null }]), {
      stale: true,
      reason: 'dist/cloudfunctions/c/index.js is missing',
    })
    assert.equal(staleness(null, []).stale, true)
  })
})

describe('checkBuild on a folder with fake mtimes', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'freshness-'))
  after(() => rmSync(root, { recursive: true, force: true }))
  const write = (rel: string, seconds: number): void => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    writeFileSync(path.join(root, rel), 'x')
    utimesSync(path.join(root, rel), seconds, seconds)
  }
  write('cloud/functions/pay/index.ts', 100)
  write('cloud/payment/core/money.ts', 100)
  write('dist/cloudfunctions/pay/index.js', 200)
  write('src/app.ts', 100)
  write('dist/h5/index.html', 200)

  test('fresh builds are left alone', () => {
    assert.equal(checkBuild(root, 'functions').stale, false)
    assert.equal(checkBuild(root, 'h5').stale, false)
  })

  test('tests and browser tests are not sources: editing them rebuilds nothing', () => {
    write('cloud/functions/reconcile.test.ts', 300)
    write('cloud/payment/core/core.test.ts', 300)
    write('src/e2e/browser.ts', 300)
    assert.equal(checkBuild(root, 'functions').stale, false)
    assert.equal(checkBuild(root, 'h5').stale, false)
  })

  test('a newer payment module source makes the functions stale; a newer page makes the H5 app stale', () => {
    write('cloud/payment/usecases/createOrder.ts', 300)
    assert.deepEqual(checkBuild(root, 'functions'), {
      stale: true,
      reason: `${path.join('cloud', 'payment', 'usecases', 'createOrder.ts')} is newer than dist/cloudfunctions/pay/index.js`,
      script: 'build:functions',
    })
    write('src/pages/index.tsx', 300)
    assert.equal(checkBuild(root, 'h5').stale, true)
    assert.equal(checkBuild(root, 'weapp').stale, true, 'dist/weapp was never built')
  })

  test('a newer build script makes the functions stale', () => {
    write('dist/cloudfunctions/pay/index.js', 400)
    assert.equal(checkBuild(root, 'functions').stale, false)
    write('scripts/build-functions.ts', 500)
    assert.equal(checkBuild(root, 'functions').stale, true)
  })

  test('newestFile skips node_modules and dist', () => {
    write('cloud/payment/node_modules/dep/index.js', 900)
    write('cloud/payment/dist/x.js', 900)
    assert.equal(newestFile(root, ['cloud/payment'])?.mtimeMs, 300_000)
  })
})
