// Callback faults on the simulator's deliveries to the built payNotify: cloudPay callbacks to
// the function, merchant notifications to its HTTP trigger.
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../testing/harness'
import { cloudPayEnv, merchantEnv, notifications, paymentEvents, placeOrder, simPay } from '../testing/shop'
import { FaultController, type AnswerEnv } from '.'
import { faultyInvoker, faultyPoster, kindOfEvent, kindOfXml } from './callbacks'
import { clearFaults, listFaults, postFaults, waitFor } from './testkit'

const notifyEvents = (cloud: TestCloud, outTradeNo: string) => paymentEvents(cloud, outTradeNo).filter((e) => e['kind'] === 'payment_notify')

for (const [mode, env] of [
  ['cloudpay', cloudPayEnv],
  ['merchant', () => merchantEnv()],
] as const) {
  describe(`${mode}: callback faults`, () => {
    let cloud: TestCloud
    before(async () => {
      cloud = await startTestCloud({ functionEnv: env() })
    })
    afterEach(() => clearFaults(cloud.url))
    after(() => cloud.stop())

    test('drop: the first attempt is lost, a retry (scaled schedule) delivers it', async () => {
      await postFaults(cloud.url, { callbacks: [{ fault: 'drop', kind: 'payment' }] })
      const order = await placeOrder(cloud, `cb-drop-${mode}`)
      const paid = await simPay(cloud, order.outTradeNo)
      assert.equal(paid.body.firstAttempt?.acknowledged, false)
      assert.equal(notifyEvents(cloud, order.outTradeNo).length, 0, 'the dropped attempt never reached payNotify')
      const delivered = await waitFor('the retry', async () => {
        const [n] = await notifications(cloud, order.outTradeNo)
        return n?.status === 'ACKNOWLEDGED' && n
      })
      assert.equal(delivered.attempts.length, 2)
      assert.match((delivered.attempts[0] as { error?: string }).error ?? '', /injected fault/)
      assert.deepEqual(
        notifyEvents(cloud, order.outTradeNo).map((e) => e['decision']),
        ['applied'],
      )
      assert.deepEqual(
        (await listFaults(cloud.url)).map((f) => [f.fired, f.remaining]),
        [[1, 0]],
      )
    })

    test('duplicate: delivered twice at once, both reach payNotify, one state change', async () => {
      await postFaults(cloud.url, { callbacks: [{ fault: 'duplicate' }] })
      const order = await placeOrder(cloud, `cb-dup-${mode}`)
      const paid = await simPay(cloud, order.outTradeNo)
      assert.equal(paid.body.firstAttempt?.acknowledged, true)
      const events = await waitFor('two payNotify invocations', () => {
        const found = notifyEvents(cloud, order.outTradeNo)
        return found.length === 2 && found
      })
      assert.equal(events.filter((e) => e['decision'] === 'applied').length, 1)
      const [n] = await notifications(cloud, order.outTradeNo)
      assert.equal(n?.attempts.length, 1, 'the simulator saw one attempt')
    })

    test('delay: the delivery waits delayMs, then arrives', async () => {
      await postFaults(cloud.url, { callbacks: [{ fault: 'delay', delayMs: 300 }] })
      const order = await placeOrder(cloud, `cb-delay-${mode}`)
      const started = Date.now()
      const paid = await simPay(cloud, order.outTradeNo)
      assert.ok(Date.now() - started >= 290, `simPay answered after ${Date.now() - started} ms`)
      assert.equal(paid.body.firstAttempt?.acknowledged, true)
      assert.equal(notifyEvents(cloud, order.outTradeNo).length, 1)
    })

    test('a refund-only fault leaves payment callbacks alone', async () => {
      await postFaults(cloud.url, { callbacks: [{ fault: 'drop', kind: 'refund', times: 3 }] })
      const order = await placeOrder(cloud, `cb-kind-${mode}`)
      assert.equal((await simPay(cloud, order.outTradeNo)).body.firstAttempt?.acknowledged, true)
      assert.deepEqual(
        (await listFaults(cloud.url)).map((f) => [f.fired, f.remaining]),
        [[0, 3]],
      )
    })
  })
}

describe('callback fault wrappers', () => {
  const answers: AnswerEnv = { appid: 'wx', provider: { appid: 'wxp', mchId: '1' }, merchantKey: () => undefined }

  test('tell refund deliveries from payment ones', () => {
    assert.equal(kindOfEvent({ outTradeNo: 'T1', resultCode: 'SUCCESS' }), 'payment')
    assert.equal(kindOfEvent({ outTradeNo: 'T1', outRefundNo: 'R1', refundStatus: 'SUCCESS' }), 'refund')
    assert.equal(kindOfXml('<xml><return_code>SUCCESS</return_code><out_trade_no>T1</out_trade_no></xml>'), 'payment')
    assert.equal(kindOfXml('<xml><return_code>SUCCESS</return_code><req_info><![CDATA[abc]]></req_info></xml>'), 'refund')
  })

  test('hit refund deliveries by kind, counting down', async () => {
    const faults = new FaultController(answers)
    const calls: unknown[] = []
    const invoker = faultyInvoker({ invokePayCallback: async (_fn, event) => (calls.push(event), { errcode: 0 }) }, faults)
    const posted: string[] = []
    const poster = faultyPoster({ post: async (_url, body) => (posted.push(body), { status: 200, body: 'ok' }) }, faults)
    faults.add({ callbacks: [{ fault: 'drop', kind: 'refund', times: 2 }] })
    await invoker.invokePayCallback('payNotify', { outTradeNo: 'T1' })
    await assert.rejects(invoker.invokePayCallback('payNotify', { outRefundNo: 'R1', refundStatus: 'SUCCESS' }), /injected fault/)
    await assert.rejects(poster.post('http://127.0.0.1:1/n', '<xml><req_info>x</req_info></xml>', 'text/xml'), /injected fault/)
    await poster.post('http://127.0.0.1:1/n', '<xml><req_info>x</req_info></xml>', 'text/xml')
    assert.equal(calls.length, 1)
    assert.equal(posted.length, 1)
    assert.deepEqual(
      faults.list().map((f) => [f.fired, f.remaining, f.active]),
      [[2, 0, false]],
    )
  })
})
