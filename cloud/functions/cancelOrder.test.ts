// A shopper cancels their own unpaid order through the local cloud: WeChat's 5-minute close rule
// (scaled by the simulator), the close at the gateway, and a paid order that is never closed.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import {
  call,
  cloudPayEnv,
  data,
  functionsFolder,
  merchantEnv,
  paymentEvents,
  placeOrder,
  simPay,
  storedOrder,
  type OrderView,
  type Result,
} from '../local/testing/shop'

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)
// 5 minutes of the simulator's time in 3 s: "just ordered" stays true for the few calls it takes, even on a busy machine.
const SIM_TIME_SCALE = 0.01
const CLOSE_WINDOW_MS = 5 * 60_000 * SIM_TIME_SCALE

for (const { mode, env } of [
  { mode: 'cloudpay', env: cloudPayEnv },
  { mode: 'merchant', env: () => merchantEnv({ WXPAY_NOTIFY_URL: 'http://127.0.0.1:9/payNotify' }) },
] as const) {
  describe(`${mode}: cancelOrder`, () => {
    let cloud: TestCloud
    // payNotify is deployed only under another name, so payments are learnt by asking the gateway.
    before(async () => {
      cloud = await startTestCloud({
        simTimeScale: SIM_TIME_SCALE,
        functionEnv: env(),
        functionsDir: functionsFolder(['payNotify'], { payNotifyReplay: 'payNotify' }),
      })
    })
    after(() => cloud.stop())
    const cancel = (outTradeNo: string, openid: string) => call<OrderView>(cloud, 'cancelOrder', { outTradeNo }, openid)

    test('within 5 minutes of ordering the gateway will not close it: refused with when, and the order stays payable', async () => {
      const placedAt = Date.now()
      const order = await placeOrder(cloud, 'amy-1')
      const result = await cancel(order.outTradeNo, 'amy-1')
      assert.ok(Date.now() - placedAt < CLOSE_WINDOW_MS, 'the cancel ran inside the close window')
      assert.equal(code(result), 'ORDER_STATE_CONFLICT')
      assert.match(!result.ok ? result.error.message : '', /5 分钟后再取消/)
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'NOTPAY')
      const view = data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo: order.outTradeNo }, 'amy-1'))
      assert.equal(view.status, 'NOTPAY')
      assert.notEqual(view.payment, null, 'still payable')
      assert.equal((await simPay(cloud, order.outTradeNo)).status, 200, 'and it can still be paid')
    })

    test('after the window it is closed at the gateway and here; paying it afterwards is refused', async () => {
      const order = await placeOrder(cloud, 'bea-1')
      await new Promise((resolve) => setTimeout(resolve, CLOSE_WINDOW_MS + 200))
      const view = data(await cancel(order.outTradeNo, 'bea-1'))
      assert.equal(view.status, 'CLOSED')
      assert.equal(view.payment, null)
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'CLOSED')
      const [event] = paymentEvents(cloud, order.outTradeNo)
      assert.deepEqual([event?.['kind'], event?.['source'], event?.['decision']], ['close', 'cancelOrder', 'applied'])
      // Closed at the gateway too: the simulator's cashier refuses to take the money.
      assert.equal((await simPay(cloud, order.outTradeNo)).status, 409)
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['latePayment'], undefined)
      // Cancelling again answers the closed order and changes nothing.
      assert.equal(data(await cancel(order.outTradeNo, 'bea-1')).status, 'CLOSED')
      assert.equal(paymentEvents(cloud, order.outTradeNo).length, 1)
    })

    test('another shopper’s order is ORDER_NOT_FOUND and stays as it was', async () => {
      const order = await placeOrder(cloud, 'cat-1')
      await new Promise((resolve) => setTimeout(resolve, CLOSE_WINDOW_MS + 200))
      assert.equal(code(await cancel(order.outTradeNo, 'cat-2')), 'ORDER_NOT_FOUND')
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'NOTPAY')
      assert.equal(paymentEvents(cloud, order.outTradeNo).length, 0)
    })

    test('an order paid at the gateway (its callback lost) is never closed: the payment is applied and the cancel refused', async () => {
      const order = await placeOrder(cloud, 'dan-1')
      assert.equal((await simPay(cloud, order.outTradeNo)).status, 200)
      await new Promise((resolve) => setTimeout(resolve, CLOSE_WINDOW_MS + 200))
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'NOTPAY', 'the callback was lost')
      const first = await cancel(order.outTradeNo, 'dan-1')
      assert.equal(code(first), 'ORDER_STATE_CONFLICT')
      assert.match(!first.ok ? first.error.message : '', /已支付/)
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'SUCCESS')
      // Known paid now and not shipped: cancelling again is the refund before shipping (cancelPaid.test.ts), never a close.
      const view = data(await cancel(order.outTradeNo, 'dan-1'))
      assert.equal(view.status, 'SUCCESS')
      assert.equal((view as OrderView & { fulfilment: { state: string } }).fulfilment.state, 'CANCELLED')
      assert.equal(paymentEvents(cloud, order.outTradeNo).filter((e) => e['kind'] === 'close').length, 0)
    })
  })
}
