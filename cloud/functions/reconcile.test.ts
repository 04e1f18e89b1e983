// Expiry and reconciliation: the gateway's truth wins, expired orders close through the gateway,
// a paid order is never closed, and a payment that arrives after closing is kept for a refund.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import {
  backdate,
  call,
  cloudPayEnv,
  data,
  DELIVERY_ADDRESS,
  functionsFolder,
  merchantEnv,
  notifications,
  paymentEvents,
  placeOrder,
  simPay,
  storedOrder,
  type Result,
} from '../local/testing/shop'

const STAFF = 'staff-1'
type Reconciled = {
  checked: number
  paid: string[]
  closed: string[]
  refundsSettled: string[]
  latePayments: string[]
  errors: Array<{ outTradeNo: string; message: string }>
}
const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)
const HOUR = 3_600_000

for (const { mode, env } of [
  { mode: 'cloudpay', env: cloudPayEnv },
  { mode: 'merchant', env: () => merchantEnv({ WXPAY_NOTIFY_URL: 'http://127.0.0.1:9/payNotify' }) },
] as const) {
  describe(`${mode}: reconcile`, () => {
    let cloud: TestCloud
    // payNotify is deployed only under another name, so the simulator's callbacks are lost.
    before(async () => {
      cloud = await startTestCloud({
        functionEnv: { ...env(), ADMIN_OPENIDS: STAFF },
        functionsDir: functionsFolder(['payNotify'], { payNotifyReplay: 'payNotify' }),
      })
    })
    after(() => cloud.stop())
    const run = async (event: Record<string, unknown> = {}) => data(await call<Reconciled>(cloud, 'reconcile', { olderThanSeconds: 60, ...event }, STAFF))

    test('only staff or the timer may run it', async () => {
      assert.equal(code(await call(cloud, 'reconcile', {}, 'shopper-1')), 'FORBIDDEN')
      const outcome = await cloud.runner.invoke(
        'reconcile',
        { Type: 'Timer', TriggerName: 'reconcileEveryTenMinutes', Time: new Date().toISOString() },
        { source: 'timer' },
      )
      assert.ok(outcome.ok)
      assert.equal((outcome.result as { ok: boolean }).ok, true)
    })

    test('a paid order whose callback was lost becomes SUCCESS; a fresh unpaid one is left alone', async () => {
      const paid = await placeOrder(cloud, 'fay-1')
      const unpaid = await placeOrder(cloud, 'fay-1')
      assert.equal((await simPay(cloud, paid.outTradeNo)).body.firstAttempt?.acknowledged, false)
      await backdate(cloud, paid.outTradeNo, 20 * 60_000)
      await backdate(cloud, unpaid.outTradeNo, 20 * 60_000)
      const result = await run()
      assert.deepEqual(result.paid, [paid.outTradeNo])
      assert.deepEqual(result.errors, [])
      assert.equal(storedOrder(cloud, paid.outTradeNo)?.['status'], 'SUCCESS')
      assert.equal(storedOrder(cloud, unpaid.outTradeNo)?.['status'], 'NOTPAY')
      assert.equal((await run()).paid.length, 0, 'a second run changes nothing')
    })

    test('an expired unpaid order is closed at the gateway, then here; it can no longer be paid', async () => {
      const order = await placeOrder(cloud, 'gus-1')
      await backdate(cloud, order.outTradeNo, 3 * HOUR, HOUR)
      await new Promise((resolve) => setTimeout(resolve, 400)) // the simulator's (scaled) 5-minute close rule
      const result = await run()
      assert.ok(result.closed.includes(order.outTradeNo), JSON.stringify(result))
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'CLOSED')
      assert.equal((await simPay(cloud, order.outTradeNo)).status, 409)
    })

    test('an expired order the gateway reports paid is never closed: it becomes SUCCESS', async () => {
      const order = await placeOrder(cloud, 'hal-1')
      await simPay(cloud, order.outTradeNo) // callback lost
      await backdate(cloud, order.outTradeNo, 3 * HOUR, HOUR)
      await new Promise((resolve) => setTimeout(resolve, 400))
      const result = await run()
      assert.ok(result.paid.includes(order.outTradeNo))
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'SUCCESS')
    })

    test('a payment arriving after the order was closed is recorded for a refund, and can be refunded', async () => {
      const order = await placeOrder(cloud, 'ida-1')
      const paid = await simPay(cloud, order.outTradeNo)
      // The order was closed here while the shopper was paying.
      await cloud.engine.update('orders', { _id: order.outTradeNo }, { $set: { status: 'CLOSED' } }, false).written
      const [notification] = await notifications(cloud, order.outTradeNo)
      const delivery = notification!.delivery
      if (mode === 'cloudpay') {
        const outcome = await cloud.runner.invoke('payNotifyReplay', delivery.event, { source: 'wx_paycallback' })
        assert.deepEqual(outcome.ok && outcome.result, { errcode: 0, errmsg: 'OK' })
      } else {
        const res = await fetch(`${cloud.url}/api/http/payNotifyReplay`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: delivery.xml })
        assert.match(await res.text(), /SUCCESS/)
      }
      const stored = storedOrder(cloud, order.outTradeNo)
      assert.equal(stored?.['status'], 'CLOSED')
      assert.deepEqual((stored?.['latePayment'] as { transactionId: string }).transactionId, paid.body.transactionId)
      assert.equal(paymentEvents(cloud, order.outTradeNo).at(-1)?.['decision'], 'needs_refund')
      const refund = data(
        await call<{ refund: { status: string } }>(
          cloud,
          'refundOrder',
          { outTradeNo: order.outTradeNo, refundFee: order.totalFee, outRefundNo: 'RF-late-0001' },
          STAFF,
        ),
      )
      assert.equal(refund.refund.status, 'PROCESSING')
      assert.equal(
        code(await call(cloud, 'refundOrder', { outTradeNo: order.outTradeNo, refundFee: 1, outRefundNo: 'RF-late-0002' }, STAFF)),
        'REFUND_NOT_ALLOWED',
      )
    })

    test('a refund whose callback was lost is settled by asking the gateway', async () => {
      const order = await placeOrder(cloud, 'jon-1')
      await simPay(cloud, order.outTradeNo)
      await backdate(cloud, order.outTradeNo, 20 * 60_000)
      await run() // SUCCESS through the query
      data(await call(cloud, 'refundOrder', { outTradeNo: order.outTradeNo, refundFee: order.totalFee, outRefundNo: 'RF-lost-0001' }, STAFF))
      await new Promise((resolve) => setTimeout(resolve, 100)) // the simulator settles refunds after 5 s × scale
      const result = await run({ olderThanSeconds: 0 })
      // Refunds are asked about once they are older than RECONCILE_REFUNDS_AFTER_SECONDS (default 300): backdate it.
      if (!result.refundsSettled.includes('RF-lost-0001')) {
        await cloud.engine.update('orders', { _id: order.outTradeNo }, { $set: { 'refunds.RF-lost-0001.createdAt': new Date(Date.now() - HOUR) } }, false)
          .written
        assert.deepEqual((await run()).refundsSettled, ['RF-lost-0001'])
      }
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'REFUND')
    })
  })
}

describe('createOrder with a client requestId', () => {
  let cloud: TestCloud
  before(async () => {
    cloud = await startTestCloud({ functionEnv: cloudPayEnv() })
  })
  after(() => cloud.stop())

  test('a retried or double-tapped order makes one trade', async () => {
    const event = { items: [{ goodsId: 'goods-oats', quantity: 2 }], requestId: 'req-0000000001', address: DELIVERY_ADDRESS }
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call<{ outTradeNo: string; payment: Record<string, string> }>(cloud, 'createOrder', event, 'kay-1')),
    )
    const ids = new Set(results.map((r) => data(r).outTradeNo))
    assert.equal(ids.size, 1)
    assert.equal(new Set(results.map((r) => data(r).payment['package'])).size, 1)
    assert.equal(cloud.engine.count('orders', { _openid: 'kay-1' }), 1)
    assert.equal(cloud.engine.count('_sim_trades', {}), 1)
    // Later, the same id again: the same order.
    assert.equal(data(await call<{ outTradeNo: string }>(cloud, 'createOrder', event, 'kay-1')).outTradeNo, [...ids][0])
  })

  test('the same requestId for another cart is refused; another shopper has their own ids', async () => {
    await call(cloud, 'createOrder', { items: [{ goodsId: 'goods-mug', quantity: 1 }], requestId: 'req-0000000002', address: DELIVERY_ADDRESS }, 'lou-1')
    assert.equal(
      code(
        await call(cloud, 'createOrder', { items: [{ goodsId: 'goods-mug', quantity: 2 }], requestId: 'req-0000000002', address: DELIVERY_ADDRESS }, 'lou-1'),
      ),
      'INVALID_ARGUMENT',
    )
    assert.equal(
      code(
        await call(cloud, 'createOrder', { items: [{ goodsId: 'goods-mug', quantity: 2 }], requestId: 'req-0000000002', address: DELIVERY_ADDRESS }, 'max-1'),
      ),
      'ok',
    )
  })

  test('after a crash between claiming the id and writing the order, a retry finishes it', async () => {
    const event = { items: [{ goodsId: 'goods-tote', quantity: 1 }], requestId: 'req-0000000003', address: DELIVERY_ADDRESS }
    // The first attempt dies right after its claim: its order is never written, so the gateway never
    // hears of it. (Deleting a finished order instead would leave a trade the retry's new
    // time_expire conflicts with whenever the clock's second ticks over in between.)
    cloud.faults.add({ db: [{ fault: 'error', action: 'database.insertDocument', collection: 'orders' }] })
    assert.notEqual(code(await call(cloud, 'createOrder', event, 'ned-1')), 'ok')
    const [claim] = cloud.engine.find('order_requests', {}).filter((doc) => doc['outTradeNo'] && !storedOrder(cloud, String(doc['outTradeNo'])))
    assert.ok(claim, 'the first attempt left its claim and no order')
    assert.equal(cloud.engine.count('_sim_trades', { outTradeNo: claim['outTradeNo'] }), 0)
    const retried = data(await call<{ outTradeNo: string; payment: Record<string, string> }>(cloud, 'createOrder', event, 'ned-1'))
    assert.equal(retried.outTradeNo, claim['outTradeNo'])
    assert.equal(storedOrder(cloud, retried.outTradeNo)?.['status'], 'NOTPAY')
    assert.equal(cloud.engine.count('_sim_trades', { outTradeNo: retried.outTradeNo }), 1)
    assert.equal(data(await call<{ outTradeNo: string }>(cloud, 'createOrder', event, 'ned-1')).outTradeNo, retried.outTradeNo)
  })
})
