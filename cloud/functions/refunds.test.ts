// Refunds by merchant staff, in both pay modes: full and partial, idempotent on outRefundNo,
// never more than was paid, settled by the refund callback.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { assertShopperWords } from '../payment/testing/shopperWords'
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
  simRefunds,
  storedOrder,
  waitFor,
  type Result,
} from '../local/testing/shop'

const STAFF = 'staff-1'
type Refund = { outTradeNo: string; refund: { outRefundNo: string; refundFee: number; status: string } }
type View = { status: string; refundedFee: number; refunds: Array<{ outRefundNo: string; refundFee: number; status: string }> }

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)

for (const { mode, env } of [
  { mode: 'cloudpay', env: cloudPayEnv },
  { mode: 'merchant', env: merchantEnv },
] as const) {
  describe(`${mode}: refunds`, () => {
    let cloud: TestCloud
    before(async () => {
      cloud = await startTestCloud({ functionEnv: { ...env(), ADMIN_OPENIDS: `${STAFF},staff-2` } })
    })
    after(() => cloud.stop())

    const paidOrder = async (shopper: string, items = [{ goodsId: 'goods-coffee', quantity: 1 }]) => {
      const order = await placeOrder(cloud, shopper, items)
      assert.equal((await simPay(cloud, order.outTradeNo)).body.firstAttempt?.acknowledged, true)
      return order
    }
    const refund = (event: Record<string, unknown>, who = STAFF) => call<Refund>(cloud, 'refundOrder', event, who)
    const view = async (outTradeNo: string, shopper: string) => data(await call<View>(cloud, 'queryOrder', { outTradeNo }, shopper))

    test('only staff may refund; unpaid orders cannot be refunded', async () => {
      const order = await paidOrder('ann-1')
      assert.equal(code(await refund({ outTradeNo: order.outTradeNo, refundFee: 1 }, 'ann-1')), 'FORBIDDEN')
      const unpaid = await placeOrder(cloud, 'ann-1')
      assert.equal(code(await refund({ outTradeNo: unpaid.outTradeNo, refundFee: 1 })), 'REFUND_NOT_ALLOWED')
      assert.equal(code(await refund({ outTradeNo: '20261127000000nonexistentxx', refundFee: 1 })), 'ORDER_NOT_FOUND')
      for (const bad of [
        { outTradeNo: order.outTradeNo },
        { outTradeNo: order.outTradeNo, refundFee: 0 },
        { outTradeNo: order.outTradeNo, refundFee: 1.5 },
        { outTradeNo: order.outTradeNo, refundFee: '1' },
        { outTradeNo: order.outTradeNo, refundFee: 1, outRefundNo: 'x' },
      ]) {
        assert.equal(code(await refund(bad)), 'INVALID_ARGUMENT', JSON.stringify(bad))
      }
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['refundReservedFee'], 0)
    })

    test('a full refund: PROCESSING, then the callback makes the order REFUND; the shopper sees it', async () => {
      const order = await paidOrder('bea-1')
      const accepted = data(await refund({ outTradeNo: order.outTradeNo, refundFee: order.totalFee, outRefundNo: 'RF-full-0001', reason: '顾客不想要了' }))
      // Accepted, not yet refunded — unless the simulator's (time-scaled) callback already came back
      // before refundOrder read the order again: a loaded machine sees both.
      assert.ok(['PROCESSING', 'SUCCESS'].includes(accepted.refund.status), accepted.refund.status)
      assert.equal(accepted.refund.refundFee, 6800)
      const final = await waitFor('the refund callback', async () => {
        const v = await view(order.outTradeNo, 'bea-1')
        return v.status === 'REFUND' ? v : undefined
      })
      assert.equal(final.refundedFee, 6800)
      assert.deepEqual(
        final.refunds.map((r) => [r.outRefundNo, r.refundFee, r.status]),
        [['RF-full-0001', 6800, 'SUCCESS']],
      )
      const kinds = paymentEvents(cloud, order.outTradeNo).map((e) => `${String(e['kind'])}:${String(e['decision'])}`)
      assert.deepEqual(kinds, ['payment_notify:applied', 'refund_request:applied', 'refund_notify:applied'])
      assert.deepEqual(paymentEvents(cloud, order.outTradeNo)[2]?.['transition'], { from: 'SUCCESS', to: 'REFUND' })
      assert.equal(code(await refund({ outTradeNo: order.outTradeNo, refundFee: 1 })), 'REFUND_NOT_ALLOWED')
    })

    test('partial refunds add up, never beyond what was paid; the order becomes REFUND only when all is back', async () => {
      const order = await paidOrder('cai-1')
      data(await refund({ outTradeNo: order.outTradeNo, refundFee: 1000, outRefundNo: 'RF-part-0001' }))
      data(await refund({ outTradeNo: order.outTradeNo, refundFee: 500, outRefundNo: 'RF-part-0002' }))
      assert.equal(code(await refund({ outTradeNo: order.outTradeNo, refundFee: 5301, outRefundNo: 'RF-part-0003' })), 'REFUND_NOT_ALLOWED')
      await waitFor('two partial refunds', async () => ((await view(order.outTradeNo, 'cai-1')).refundedFee === 1500 ? true : undefined))
      assert.equal((await view(order.outTradeNo, 'cai-1')).status, 'SUCCESS')
      data(await refund({ outTradeNo: order.outTradeNo, refundFee: 5300, outRefundNo: 'RF-part-0004' }))
      await waitFor('the order fully refunded', async () => ((await view(order.outTradeNo, 'cai-1')).status === 'REFUND' ? true : undefined))
      assert.deepEqual(
        simRefunds(cloud, order.outTradeNo)
          .map((r) => r['refundFee'])
          .sort(),
        [1000, 500, 5300].sort(),
      )
    })

    test('the same outRefundNo again is the same refund; with another amount it is refused', async () => {
      const order = await paidOrder('dai-1')
      const first = data(await refund({ outTradeNo: order.outTradeNo, refundFee: 700, outRefundNo: 'RF-same-0001' }))
      const again = data(await refund({ outTradeNo: order.outTradeNo, refundFee: 700, outRefundNo: 'RF-same-0001' }))
      assert.equal(again.refund.outRefundNo, first.refund.outRefundNo)
      assert.equal(code(await refund({ outTradeNo: order.outTradeNo, refundFee: 701, outRefundNo: 'RF-same-0001' })), 'INVALID_ARGUMENT')
      await waitFor('the refund', async () => ((await view(order.outTradeNo, 'dai-1')).refundedFee === 700 ? true : undefined))
      assert.equal(simRefunds(cloud, order.outTradeNo).length, 1)
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['refundReservedFee'], 700)
    })

    test('20 concurrent refunds of one order: the sum accepted never exceeds what was paid', async () => {
      const order = await paidOrder('eve-1') // 6800
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          refund({ outTradeNo: order.outTradeNo, refundFee: 1000, outRefundNo: `RF-race-${String(i).padStart(4, '0')}` }, i % 2 ? STAFF : 'staff-2'),
        ),
      )
      const accepted = results.filter((r) => r.ok).length
      assert.equal(accepted, 6)
      assert.equal(results.filter((r) => code(r) === 'REFUND_NOT_ALLOWED').length, 14)
      await waitFor('six refunds settled', async () => ((await view(order.outTradeNo, 'eve-1')).refundedFee === 6000 ? true : undefined))
      const atGateway = simRefunds(cloud, order.outTradeNo).reduce((sum, r) => sum + Number(r['refundFee']), 0)
      assert.equal(atGateway, 6000)
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['refundReservedFee'], 6000)
    })
  })
}

test('without ADMIN_OPENIDS, refundOrder answers CONFIG_ERROR in shopper words', async () => {
  const cloud = await startTestCloud({ functionEnv: cloudPayEnv() })
  try {
    const result = await call(cloud, 'refundOrder', { outTradeNo: '20261127000000abcdefabcdefab', refundFee: 1 }, 'someone')
    assert.equal(code(result), 'CONFIG_ERROR')
    assertShopperWords(result.ok ? '' : result.error.message)
  } finally {
    await cloud.stop()
  }
})

/**
 * A paid order refunded in full, on a cloud where payNotify is deployed only as payNotifyReplay:
 * the refund callback is held back and handed to the test to deliver when it chooses.
 */
async function fullRefundWithHeldCallback(cloud: TestCloud, shopper: string, outRefundNo: string) {
  const order = await placeOrder(cloud, shopper)
  await simPay(cloud, order.outTradeNo)
  const [payment] = await notifications(cloud, order.outTradeNo)
  await cloud.runner.invoke('payNotifyReplay', payment!.delivery.event, { source: 'wx_paycallback' })
  data(await call(cloud, 'refundOrder', { outTradeNo: order.outTradeNo, refundFee: order.totalFee, outRefundNo }, STAFF))
  const held = await waitFor('the refund callback', async () =>
    (await notifications(cloud, order.outTradeNo)).find((n) => n.delivery.event?.['outRefundNo'] === outRefundNo),
  )
  return { order, refundCallback: held.delivery.event }
}

describe('refunds that went wrong halfway', () => {
  for (const { mode, env } of [
    { mode: 'cloudpay', env: cloudPayEnv },
    { mode: 'merchant', env: merchantEnv },
  ] as const) {
    test(`${mode}: a first send lost on the way stays PROCESSING, names its outRefundNo, and reconcile sends it again`, async () => {
      const cloud = await startTestCloud({ functionEnv: { ...env(), ADMIN_OPENIDS: STAFF, RECONCILE_REFUNDS_AFTER_SECONDS: '0' } })
      try {
        const order = await placeOrder(cloud, 'fin-1')
        await simPay(cloud, order.outTradeNo)
        cloud.faults.add({ gateway: [{ api: 'refund', fault: 'reset' }] })
        const failed = await call(cloud, 'refundOrder', { outTradeNo: order.outTradeNo, refundFee: order.totalFee }, STAFF)
        assert.equal(code(failed), 'PAY_GATEWAY_ERROR')
        const outRefundNo = /退款 (R\w+) 已登记/.exec(failed.ok ? '' : failed.error.message)?.[1]
        assert.ok(outRefundNo, 'the error names the refund, so staff can retry it')
        assert.equal((storedOrder(cloud, order.outTradeNo)?.['refunds'] as Record<string, { status: string }>)[outRefundNo]?.status, 'PROCESSING')
        assert.equal(simRefunds(cloud, order.outTradeNo).length, 0, 'it never reached the gateway')
        const result = data(await call<{ errors: unknown[] }>(cloud, 'reconcile', { olderThanSeconds: 0 }, STAFF))
        assert.deepEqual(result.errors, [])
        assert.equal(simRefunds(cloud, order.outTradeNo).length, 1, 'sent again, once')
        await waitFor('the refund to settle', () => (storedOrder(cloud, order.outTradeNo)?.['status'] === 'REFUND' ? true : undefined))
      } finally {
        await cloud.stop()
      }
    })
  }

  test('a refund marked FAILED whose money went back after all is counted when WeChat says so', async () => {
    const cloud = await startTestCloud({
      functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF },
      functionsDir: functionsFolder(['payNotify'], { payNotifyReplay: 'payNotify' }),
    })
    try {
      const { order, refundCallback } = await fullRefundWithHeldCallback(cloud, 'gil-1', 'RF-back-0001')
      // As if a retry had been refused and the refund marked failed, its reservation released.
      await cloud.engine.update(
        'orders',
        { _id: order.outTradeNo },
        { $set: { 'refunds.RF-back-0001.status': 'FAILED', refundReservedFee: 0, refundsPending: 0 } },
        false,
      ).written
      const outcome = await cloud.runner.invoke('payNotifyReplay', refundCallback, { source: 'wx_paycallback' })
      assert.deepEqual(outcome.ok && outcome.result, { errcode: 0, errmsg: 'OK' })
      const stored = storedOrder(cloud, order.outTradeNo)
      assert.equal(stored?.['status'], 'REFUND')
      assert.equal(stored?.['refundedFee'], order.totalFee)
      assert.equal(stored?.['refundReservedFee'], order.totalFee)
    } finally {
      await cloud.stop()
    }
  })

  test('a crash after a refund was counted but before the order became REFUND: the callback repeated finishes it', async () => {
    const cloud = await startTestCloud({
      functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF },
      functionsDir: functionsFolder(['payNotify'], { payNotifyReplay: 'payNotify' }),
    })
    try {
      const { order, refundCallback } = await fullRefundWithHeldCallback(cloud, 'hed-1', 'RF-half-0001')
      // The refund counted, then the crash: the order still says SUCCESS.
      await cloud.engine.update(
        'orders',
        { _id: order.outTradeNo },
        { $set: { 'refunds.RF-half-0001.status': 'SUCCESS', refundedFee: order.totalFee, refundsPending: 0 } },
        false,
      ).written
      await cloud.runner.invoke('payNotifyReplay', refundCallback, { source: 'wx_paycallback' })
      assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'REFUND')
    } finally {
      await cloud.stop()
    }
  })
})
