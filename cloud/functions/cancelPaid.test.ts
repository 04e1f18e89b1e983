// A shopper cancels a paid order before it ships, in both pay modes: fulfilment CANCELLED, then
// everything paid goes back — once, never more than was paid, however often the cancel is
// retried, and finished by a retry or by reconcile when a crash or a lost answer interrupts it.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { OrderView, ReconcileData } from '../payment/contracts'
import { fen } from '../payment/core/money'
import type { OrderRepository, RefundEntry } from '../payment/ports'
import { MemoryClock, MemoryEvents, ScriptedGateway, ScriptedShipping } from '../payment/testing/memory'
import { cancelRefundNo, finishCancelRefund } from '../payment/usecases/cancelRefund'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { ordersOf, shipOrder } from '../local/testing/fulfilment'
import { call, cloudPayEnv, data, merchantEnv, paymentEvents, placeOrder, simPay, simRefunds, storedOrder, waitFor, type Result } from '../local/testing/shop'

const STAFF = 'staff-1'
const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code)

for (const { mode, env } of [
  { mode: 'cloudpay', env: cloudPayEnv },
  { mode: 'merchant', env: merchantEnv },
] as const) {
  describe(`${mode}: refund before shipping`, () => {
    let cloud: TestCloud
    before(async () => {
      // Refunds are followed up by reconcile at once here, not after five minutes.
      cloud = await startTestCloud({ functionEnv: { ...env(), ADMIN_OPENIDS: STAFF, RECONCILE_REFUNDS_AFTER_SECONDS: '0' } })
    })
    after(() => cloud.stop())

    const paidOrder = async (shopper: string): Promise<{ outTradeNo: string; totalFee: number }> => {
      const order = await placeOrder(cloud, shopper)
      assert.equal((await simPay(cloud, order.outTradeNo)).body.firstAttempt?.acknowledged, true)
      return order
    }
    const cancel = (outTradeNo: string, shopper: string) => call<OrderView>(cloud, 'cancelOrder', { outTradeNo }, shopper)
    const view = async (outTradeNo: string, shopper: string) => data(await call<OrderView>(cloud, 'queryOrder', { outTradeNo }, shopper))
    const refunded = (outTradeNo: string, shopper: string) =>
      waitFor(
        `${outTradeNo} refunded`,
        async () => {
          const v = await view(outTradeNo, shopper)
          return v.status === 'REFUND' ? v : undefined
        },
        8000,
      )
    /** The money rule, as the gateway and the order saw it: one refund, of exactly what was paid. */
    const refundedOnce = (outTradeNo: string, totalFee: number): void => {
      const atGateway = simRefunds(cloud, outTradeNo)
      assert.deepEqual(
        atGateway.map((r) => [r['outRefundNo'], r['refundFee']]),
        [[cancelRefundNo(outTradeNo), totalFee]],
      )
      const stored = storedOrder(cloud, outTradeNo)
      assert.equal(stored?.['refundReservedFee'], totalFee)
      assert.deepEqual(Object.keys(stored?.['refunds'] as object), [cancelRefundNo(outTradeNo)])
    }

    test('paid → cancel → refunded in full → REFUND; cancelling again answers the order and refunds nothing more', async () => {
      const { outTradeNo, totalFee } = await paidOrder('ann-1')
      const cancelled = data(await cancel(outTradeNo, 'ann-1'))
      assert.equal(cancelled.fulfilment?.state, 'CANCELLED')
      assert.deepEqual(
        cancelled.refunds.map((r) => [r.outRefundNo, r.refundFee]),
        [[cancelRefundNo(outTradeNo), totalFee]],
      )
      assert.equal(cancelled.actions.refund, false)
      const done = await refunded(outTradeNo, 'ann-1')
      assert.equal(done.refundedFee, totalFee)
      assert.equal(done.fulfilment?.state, 'CANCELLED')
      assert.deepEqual(
        done.refunds.map((r) => r.status),
        ['SUCCESS'],
      )
      const again = data(await cancel(outTradeNo, 'ann-1'))
      assert.equal(again.status, 'REFUND')
      refundedOnce(outTradeNo, totalFee)
      assert.deepEqual(
        paymentEvents(cloud, outTradeNo).map((e) => `${String(e['kind'])}:${String(e['decision'])}`),
        ['payment_notify:applied', 'refund_request:applied', 'refund_notify:applied'],
      )
      assert.equal(paymentEvents(cloud, outTradeNo)[1]?.['source'], 'cancelOrder')
    })

    test('eight cancels at once: one cancellation, one refund of exactly what was paid', async () => {
      const { outTradeNo, totalFee } = await paidOrder('bob-1')
      const results = await Promise.all(Array.from({ length: 8 }, () => cancel(outTradeNo, 'bob-1')))
      for (const result of results) assert.equal(data(result).fulfilment?.state, 'CANCELLED')
      await refunded(outTradeNo, 'bob-1')
      refundedOnce(outTradeNo, totalFee)
    })

    test('after a staff refund of part, the cancel sends back only the rest', async () => {
      const { outTradeNo, totalFee } = await paidOrder('cat-1')
      data(await call(cloud, 'refundOrder', { outTradeNo, refundFee: 800, outRefundNo: 'RF-part-cat1' }, STAFF))
      data(await cancel(outTradeNo, 'cat-1'))
      const done = await refunded(outTradeNo, 'cat-1')
      assert.equal(done.refundedFee, totalFee)
      assert.deepEqual(
        simRefunds(cloud, outTradeNo)
          .map((r) => [r['outRefundNo'], r['refundFee']])
          .sort(),
        [
          [cancelRefundNo(outTradeNo), totalFee - 800],
          ['RF-part-cat1', 800],
        ].sort(),
      )
    })

    test('a crash right after the cancel, before the refund: the retried cancel finishes it', async () => {
      const { outTradeNo, totalFee } = await paidOrder('dan-1')
      // What the crash leaves: the conditional update made, nothing reserved or sent.
      assert.ok(await ordersOf(cloud).cancelFulfilment(outTradeNo, new Date()))
      assert.deepEqual(storedOrder(cloud, outTradeNo)?.['refunds'], {})
      data(await cancel(outTradeNo, 'dan-1'))
      await refunded(outTradeNo, 'dan-1')
      refundedOnce(outTradeNo, totalFee)
    })

    test('a crash right after the cancel, and no retry: reconcile finishes it', async () => {
      const { outTradeNo, totalFee } = await paidOrder('eve-1')
      assert.ok(await ordersOf(cloud).cancelFulfilment(outTradeNo, new Date()))
      const result = data(await call<ReconcileData>(cloud, 'reconcile', {}, STAFF))
      assert.deepEqual(result.errors, [])
      await refunded(outTradeNo, 'eve-1')
      refundedOnce(outTradeNo, totalFee)
      assert.equal(paymentEvents(cloud, outTradeNo).find((e) => e['kind'] === 'refund_request')?.['source'], 'reconcile')
    })

    test('the refund lost on its way to WeChat Pay: the cancel still answers (refund processing); a retry sends it again', async () => {
      const { outTradeNo, totalFee } = await paidOrder('fay-1')
      cloud.faults.add({ gateway: [{ api: 'refund', fault: 'reset' }] })
      const cancelled = data(await cancel(outTradeNo, 'fay-1'))
      assert.equal(cancelled.fulfilment?.state, 'CANCELLED')
      assert.deepEqual(
        cancelled.refunds.map((r) => r.status),
        ['PROCESSING'],
      )
      assert.equal(simRefunds(cloud, outTradeNo).length, 0, 'never arrived')
      data(await cancel(outTradeNo, 'fay-1'))
      await refunded(outTradeNo, 'fay-1')
      refundedOnce(outTradeNo, totalFee)
    })

    test('the refund lost on its way, and no retry: reconcile asks, finds nothing, and sends it again', async () => {
      const { outTradeNo, totalFee } = await paidOrder('gil-1')
      cloud.faults.add({ gateway: [{ api: 'refund', fault: 'reset' }] })
      data(await cancel(outTradeNo, 'gil-1'))
      assert.equal(simRefunds(cloud, outTradeNo).length, 0)
      data(await call<ReconcileData>(cloud, 'reconcile', {}, STAFF))
      await refunded(outTradeNo, 'gil-1')
      refundedOnce(outTradeNo, totalFee)
    })

    test('shipped: refused, pointing to after-sale, and nothing is refunded', async () => {
      const { outTradeNo } = await paidOrder('hal-1')
      await shipOrder(cloud, outTradeNo, { carrier: '顺丰速运', trackingNo: 'SF-hal' })
      const refused = await cancel(outTradeNo, 'hal-1')
      assert.equal(code(refused), 'ORDER_STATE_CONFLICT')
      assert.match(refused.ok ? '' : refused.error.message, /申请售后/)
      assert.equal(simRefunds(cloud, outTradeNo).length, 0)
      assert.equal(storedOrder(cloud, outTradeNo)?.['refundReservedFee'], 0)
    })

    test('another shopper cannot cancel it: ORDER_NOT_FOUND, nothing changes', async () => {
      const { outTradeNo } = await paidOrder('ida-1')
      const before = storedOrder(cloud, outTradeNo)
      assert.equal(code(await cancel(outTradeNo, 'ida-2')), 'ORDER_NOT_FOUND')
      assert.deepEqual(storedOrder(cloud, outTradeNo), before)
      assert.equal(simRefunds(cloud, outTradeNo).length, 0)
    })
  })
}

describe('the money rule at the database: never more than paid, never twice', () => {
  let cloud: TestCloud
  let orders: OrderRepository
  before(async () => {
    cloud = await startTestCloud({ functionEnv: cloudPayEnv() })
    orders = ordersOf(cloud)
  })
  after(() => cloud.stop())

  const paidOrder = async (shopper: string): Promise<string> => {
    const { outTradeNo } = await placeOrder(cloud, shopper, [{ goodsId: 'goods-coffee', quantity: 1 }]) // 6800 fen
    assert.equal((await simPay(cloud, outTradeNo)).body.firstAttempt?.acknowledged, true)
    return outTradeNo
  }
  const entry = (outRefundNo: string, refundFee: number): RefundEntry => ({
    outRefundNo,
    refundFee: fen(refundFee),
    status: 'PROCESSING',
    requestedBy: 'test',
    createdAt: new Date(),
  })

  test('the same refund number twice reserves once, even when the amount would fit', async () => {
    const outTradeNo = await paidOrder('money-1')
    const expect = { status: 'SUCCESS' as const, paidFee: fen(6800) }
    assert.equal(await orders.reserveRefund(outTradeNo, entry(cancelRefundNo(outTradeNo), 1000), expect), true)
    assert.equal(await orders.reserveRefund(outTradeNo, entry(cancelRefundNo(outTradeNo), 1000), expect), false)
    assert.equal(storedOrder(cloud, outTradeNo)?.['refundReservedFee'], 1000)
  })

  test('a reservation past what was paid is refused, by a single fen', async () => {
    const outTradeNo = await paidOrder('money-2')
    const expect = { status: 'SUCCESS' as const, paidFee: fen(6800) }
    assert.equal(await orders.reserveRefund(outTradeNo, entry('RF-a', 6000), expect), true)
    assert.equal(await orders.reserveRefund(outTradeNo, entry('RF-b', 801), expect), false)
    assert.equal(await orders.reserveRefund(outTradeNo, entry('RF-c', 800), expect), true)
    assert.equal(storedOrder(cloud, outTradeNo)?.['refundReservedFee'], 6800)
  })

  test('a cancel refund worked out from a stale read never takes the total past what was paid, nor happens twice', async () => {
    const outTradeNo = await paidOrder('money-3')
    assert.ok(await orders.cancelFulfilment(outTradeNo, new Date()))
    const stale = await orders.get(outTradeNo)
    assert.ok(stale)
    // Staff reserve part after the stale read: the cancel's first reservation (6800) must fail.
    assert.ok(await orders.reserveRefund(outTradeNo, entry('RF-staff', 1500), { status: 'SUCCESS', paidFee: fen(6800) }))
    const gateway = new ScriptedGateway()
    const deps = { orders, clock: new MemoryClock(Date.now()), gateway, events: new MemoryEvents(), shipping: new ScriptedShipping() }
    await finishCancelRefund(deps, structuredClone(stale), 'test')
    await finishCancelRefund(deps, structuredClone(stale), 'test')
    const stored = storedOrder(cloud, outTradeNo)
    assert.equal(stored?.['refundReservedFee'], 6800)
    assert.equal((stored?.['refunds'] as Record<string, { refundFee: number }>)[cancelRefundNo(outTradeNo)]?.refundFee, 5300)
    assert.deepEqual(
      gateway.callsOf('refund').map(([r]) => [(r as { outRefundNo: string }).outRefundNo, (r as { refundFee: number }).refundFee]),
      [
        [cancelRefundNo(outTradeNo), 5300],
        [cancelRefundNo(outTradeNo), 5300],
      ],
      'the second call resends the one refund (the gateway is idempotent on its number)',
    )
    assert.equal(deps.events.events.length, 1, 'one refund requested')
  })
})
