// The trimmed bundles against the local cloud (docs/deploy.md, "What the bundle leaves out"):
// every function's main paths, in both pay modes, from its deployable folder, never touch a
// left-out SDK part (the guard fails such an invocation, and prints a marker this test looks
// for); storage, loaded on first use, still works; and a left-out part touched by code that
// swallows the error still fails the invocation.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { bundle } from '../build-functions'
import { captureOutput } from '../../cloud/local/testing/functionOutput'
import { callFunction, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { timerEvent } from '../../cloud/local/runner/timers'
import { backdate, call, cloudPayEnv, data, merchantEnv, placeOrder, simPay, waitFor } from '../../cloud/local/testing/shop'
import { STRIPPED_MARKER } from './guard'

const root = path.resolve(__dirname, '..', '..')
const STAFF = 'bundle-staff'

type View = { outTradeNo: string; status: string; totalFee: number; fulfilment?: { state: string } | null }

/** Pays, ships, receives, refunds, cancels, reconciles: one pass over every function's main path. */
async function mainPaths(cloud: TestCloud, shopper: string): Promise<void> {
  const goods = data(await call<{ items: unknown[] }>(cloud, 'listGoods', {}, shopper))
  assert.ok(goods.items.length > 0)
  const paid = await placeOrder(cloud, shopper)
  assert.equal((await simPay(cloud, paid.outTradeNo)).status, 200)
  await waitFor(
    'the payment notification',
    async () => data(await call<View>(cloud, 'queryOrder', { outTradeNo: paid.outTradeNo }, shopper)).status === 'SUCCESS',
  )
  assert.equal(data(await call<View>(cloud, 'confirmPayment', { outTradeNo: paid.outTradeNo }, shopper)).status, 'SUCCESS')
  assert.ok(data(await call<{ items: unknown[] }>(cloud, 'staff', { action: 'orders' }, STAFF)).items.length > 0)
  const ship = { action: 'ship', outTradeNo: paid.outTradeNo, requestId: `ship-${shopper}`, carrier: 'SF', trackingNo: `SF${paid.outTradeNo.slice(-10)}` }
  assert.equal(data(await call<View>(cloud, 'staff', ship, STAFF)).fulfilment?.state, 'SHIPPED')
  assert.equal(data(await call<View>(cloud, 'orderAction', { action: 'confirmReceipt', outTradeNo: paid.outTradeNo }, shopper)).fulfilment?.state, 'RECEIVED')
  data(await call(cloud, 'refundOrder', { outTradeNo: paid.outTradeNo, refundFee: 1, outRefundNo: `R-bundle-${shopper}` }, STAFF))
  const unpaid = await placeOrder(cloud, shopper)
  await backdate(cloud, unpaid.outTradeNo, 30 * 60_000)
  // The gateway closes an order only 5 minutes after its prepay: 300 ms at the harness's time scale (0.001).
  await new Promise((resolve) => setTimeout(resolve, 5 * 60_000 * 0.001 + 200))
  assert.equal(data(await call<View>(cloud, 'cancelOrder', { outTradeNo: unpaid.outTradeNo }, shopper)).status, 'CLOSED')
  data(await call(cloud, 'reconcile', { olderThanSeconds: 60 }, STAFF))
  const timer = await cloud.runner.invoke('reconcile', timerEvent('reconcileEveryTenMinutes', new Date()), { source: 'timer' })
  assert.equal(timer.ok && (timer.result as { ok?: boolean }).ok, true, JSON.stringify(timer))
}

for (const mode of [
  { name: 'cloudPay', env: cloudPayEnv },
  { name: 'merchant APIv2', env: () => merchantEnv() },
]) {
  describe(`every function's main paths, ${mode.name}`, () => {
    let cloud: TestCloud
    before(async () => {
      cloud = await startTestCloud({ functionEnv: { ...mode.env(), ADMIN_OPENIDS: STAFF } })
    })
    after(() => cloud.stop())

    test('served from the deployable folders without touching a left-out part', async () => {
      const output = captureOutput()
      try {
        await mainPaths(cloud, mode.name === 'cloudPay' ? 'bundle-amy' : 'bundle-bea')
      } finally {
        output.restore()
      }
      assert.doesNotMatch(output.text(), new RegExp(STRIPPED_MARKER))
    })
  })
}

describe('a function built with the same trimming (scripts/function-bundle/fixtures/probe)', () => {
  let cloud: TestCloud
  let functionsDir: string
  before(async () => {
    functionsDir = mkdtempSync(path.join(tmpdir(), 'probe-functions-'))
    await bundle(root, path.join(__dirname, 'fixtures', 'probe'), path.join(functionsDir, 'probe', 'index.js'))
    cloud = await startTestCloud({ functionsDir })
  })
  after(async () => {
    await cloud.stop()
    rmSync(functionsDir, { recursive: true, force: true })
  })

  test('storage, loaded on first use, works: upload, temp URL, download', async () => {
    const text = `保存 ${Date.now()}`
    const { status, body } = await callFunction(cloud.url, 'probe', { action: 'storage', text }, 'probe-user')
    assert.equal(status, 200, JSON.stringify(body))
    const answer = body as { url: string; downloaded: string }
    assert.equal(answer.downloaded, text)
    assert.equal(await (await fetch(answer.url)).text(), text)
  })

  for (const action of ['ai', 'models']) {
    test(`a left-out part (${action}) touched and the error swallowed: the invocation fails, naming the module, and the marker is printed`, async () => {
      const output = captureOutput()
      let result: { status: number; body: unknown }
      try {
        result = await callFunction(cloud.url, 'probe', { action }, 'probe-user')
      } finally {
        output.restore()
      }
      assert.notEqual(result.status, 200, JSON.stringify(result.body))
      const module = action === 'ai' ? '@cloudbase/node-sdk ai' : '@cloudbase/wx-cloud-client-sdk'
      assert.ok(JSON.stringify(result.body).includes(module), JSON.stringify(result.body))
      assert.ok(output.text().includes(`${STRIPPED_MARKER} {"module":"${module}`), 'the marker')
    })
  }

  test('an invocation that touches nothing left out is served', async () => {
    const { status, body } = await callFunction(cloud.url, 'probe', {}, 'probe-user')
    assert.equal(status, 200)
    assert.deepEqual(body, { plain: true })
  })
})
