// The four payment functions end to end on the local cloud, in both pay modes: the real
// wx-server-sdk inside the built function bundles, the simulator as WeChat Pay.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import {
  call,
  cloudPayEnv,
  data,
  functionsFolder,
  merchantEnv,
  notifications,
  paymentEvents,
  placeOrder,
  simPay,
  storedOrder,
  type OrderView,
} from '../local/testing/shop'

const MODES = [
  { mode: 'cloudpay', env: cloudPayEnv },
  { mode: 'merchant', env: merchantEnv },
] as const

for (const { mode, env } of MODES) {
  describe(`${mode}: order → pay → callback → query`, () => {
    let cloud: TestCloud
    before(async () => {
      cloud = await startTestCloud({ functionEnv: env() })
    })
    after(() => cloud.stop())

    test('a paid order shows SUCCESS with the transaction id, priced from the database', async () => {
      const order = await placeOrder(cloud, 'alice-1', [
        { goodsId: 'goods-coffee', quantity: 2 },
        { goodsId: 'goods-one-fen', quantity: 3 },
      ])
      assert.equal(order.totalFee, 2 * 6800 + 3 * 1)
      // 28 digits a shopper can read out: the Beijing second it was made, then 14 random digits.
      assert.match(order.outTradeNo, /^\d{28}$/)
      assert.match(order.payment['package'] ?? '', /^prepay_id=.+/)
      assert.equal(order.payment['signType'], mode === 'cloudpay' ? 'MD5' : 'HMAC-SHA256')
      for (const key of ['timeStamp', 'nonceStr', 'paySign']) assert.ok(order.payment[key], key)
      assert.equal(Object.keys(order.payment).includes('appId'), false)

      const before = data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo: order.outTradeNo }, 'alice-1'))
      assert.equal(before.status, 'NOTPAY')
      assert.deepEqual(before.payment, order.payment)

      const paid = await simPay(cloud, order.outTradeNo)
      assert.equal(paid.status, 200)
      assert.equal(paid.body.firstAttempt?.acknowledged, true)

      const view = data(await call<OrderView & { paidAt: string; tradeStateDesc: string }>(cloud, 'queryOrder', { outTradeNo: order.outTradeNo }, 'alice-1'))
      assert.equal(view.status, 'SUCCESS')
      assert.equal(view.tradeStateDesc, '支付成功')
      assert.equal(view.transactionId, paid.body.transactionId)
      assert.ok(Date.parse(view.paidAt) > 0)
      assert.equal(view.payment, null)

      const events = paymentEvents(cloud, order.outTradeNo)
      assert.deepEqual(
        events.map((e) => [e['kind'], e['decision']]),
        [['payment_notify', 'applied']],
      )
      const stored = storedOrder(cloud, order.outTradeNo)
      assert.equal(stored?.['_openid'], 'alice-1')
      assert.equal(stored?.['mode'], mode)
    })

    test("the orders list is the caller's own, newest first, paged", async () => {
      const placed = []
      for (let i = 0; i < 3; i++) placed.push((await placeOrder(cloud, 'lister-1')).outTradeNo)
      await placeOrder(cloud, 'someone-else')
      const first = data(await call<{ items: OrderView[]; nextCursor: string | null }>(cloud, 'queryOrder', { limit: 2 }, 'lister-1'))
      const second = data(
        await call<{ items: OrderView[]; nextCursor: string | null }>(cloud, 'queryOrder', { limit: 2, cursor: first.nextCursor }, 'lister-1'),
      )
      assert.deepEqual(
        [...first.items, ...second.items].map((o) => o.outTradeNo),
        [...placed].sort().reverse(),
      )
      assert.equal(second.nextCursor, null)
    })

    test('a failed payment (PAYERROR) leaves the order payable; paying again succeeds', async () => {
      const order = await placeOrder(cloud, 'bob-1')
      assert.equal((await simPay(cloud, order.outTradeNo, 'FAIL')).status, 200)
      const view = data(await call<OrderView>(cloud, 'confirmPayment', { outTradeNo: order.outTradeNo }, 'bob-1'))
      assert.equal(view.status, 'PAYERROR')
      assert.deepEqual(view.payment, order.payment, 'still payable with the same prepay')
      // The shopper tries again and pays.
      assert.equal((await simPay(cloud, order.outTradeNo)).body.firstAttempt?.acknowledged, true)
      const paid = data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo: order.outTradeNo }, 'bob-1'))
      assert.equal(paid.status, 'SUCCESS')
      assert.equal(paid.payment, null)
    })
  })

  describe(`${mode}: the callback is lost`, () => {
    let cloud: TestCloud
    before(async () => {
      // cloudpay: payNotify is not deployed; merchant: the notify URL answers nothing.
      const functionEnv = mode === 'cloudpay' ? env() : merchantEnv({ WXPAY_NOTIFY_URL: 'http://127.0.0.1:9/payNotify' })
      cloud = await startTestCloud({ functionEnv, functionsDir: functionsFolder(mode === 'cloudpay' ? ['payNotify'] : []) })
    })
    after(() => cloud.stop())

    test('confirmPayment asks the gateway and brings the order to SUCCESS', async () => {
      const order = await placeOrder(cloud, 'carol-1')
      const paid = await simPay(cloud, order.outTradeNo)
      assert.equal(paid.body.firstAttempt?.acknowledged, false)
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'NOTPAY')
      const view = data(await call<OrderView>(cloud, 'confirmPayment', { outTradeNo: order.outTradeNo }, 'carol-1'))
      assert.equal(view.status, 'SUCCESS')
      assert.equal(view.transactionId, paid.body.transactionId)
      assert.deepEqual(
        paymentEvents(cloud, order.outTradeNo).map((e) => [e['kind'], e['decision']]),
        [['payment_query', 'applied']],
      )
      // Asking again changes nothing and records nothing new.
      assert.equal(data(await call<OrderView>(cloud, 'confirmPayment', { outTradeNo: order.outTradeNo }, 'carol-1')).status, 'SUCCESS')
      assert.equal(paymentEvents(cloud, order.outTradeNo).length, 1)
    })

    test('an unpaid order stays NOTPAY after confirmPayment', async () => {
      const order = await placeOrder(cloud, 'carol-2')
      assert.equal(data(await call<OrderView>(cloud, 'confirmPayment', { outTradeNo: order.outTradeNo }, 'carol-2')).status, 'NOTPAY')
    })
  })
}

describe('duplicates and races', () => {
  for (const { mode, env } of MODES) {
    test(`${mode}: the same callback 100 times racing 50 confirmPayment calls → one state change, one SUCCESS event`, async () => {
      const functionEnv = mode === 'cloudpay' ? env() : merchantEnv({ WXPAY_NOTIFY_URL: 'http://127.0.0.1:9/payNotify' })
      // The simulator's own delivery goes nowhere; the test replays the genuine callback.
      const cloud = await startTestCloud({
        functionEnv,
        functionsDir: functionsFolder(mode === 'cloudpay' ? ['payNotify'] : [], mode === 'cloudpay' ? { payNotifyReplay: 'payNotify' } : {}),
      })
      try {
        const order = await placeOrder(cloud, 'dave-1')
        await simPay(cloud, order.outTradeNo)
        const [notification] = await notifications(cloud, order.outTradeNo)
        assert.ok(notification)
        const delivery = notification.delivery
        const callback = (): Promise<unknown> =>
          mode === 'cloudpay'
            ? cloud.runner
                .invoke('payNotifyReplay', delivery.event, { source: 'wx_paycallback' })
                .then((o) => (o.ok ? o.result : Promise.reject(new Error(o.message))))
            : fetch(`${cloud.url}/api/http/payNotify`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: delivery.xml }).then((r) => r.text())
        const confirm = () => call<OrderView>(cloud, 'confirmPayment', { outTradeNo: order.outTradeNo }, 'dave-1')
        const results = await Promise.all([...Array.from({ length: 100 }, callback), ...Array.from({ length: 50 }, confirm)])
        for (const reply of results.slice(0, 100)) {
          if (mode === 'cloudpay') assert.deepEqual(reply, { errcode: 0, errmsg: 'OK' })
          else assert.match(String(reply), /<return_code><!\[CDATA\[SUCCESS\]\]><\/return_code>/)
        }
        for (const reply of results.slice(100)) assert.equal(data(reply as Awaited<ReturnType<typeof confirm>>).status, 'SUCCESS')
        const events = paymentEvents(cloud, order.outTradeNo)
        const applied = events.filter((e) => e['decision'] === 'applied')
        assert.equal(applied.length, 1, 'exactly one state change')
        assert.deepEqual(applied[0]?.['transition'], { from: 'NOTPAY', to: 'SUCCESS' })
        assert.equal(events.filter((e) => e['kind'] === 'payment_notify').length, 100, 'every notification recorded')
        assert.equal(events.filter((e) => e['decision'] === 'rejected').length, 0)
        assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'SUCCESS')
      } finally {
        await cloud.stop()
      }
    })
  }
})
