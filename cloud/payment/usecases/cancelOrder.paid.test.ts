// cancelOrder on a paid order: before shipping, fulfilment CANCELLED and a refund of everything
// still refundable under one number derived from the order, finished by any retry.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { PAID_NO_FULFILMENT, REFUNDED, REFUNDING, SHIPPED_NO_CANCEL } from '../core/fulfilment'
import { fen } from '../core/money'
import { AppError } from '../errors'
import type { OrderRecord, RefundEntry } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { cancelOrder, CHANGED, REFUND_REFUSED } from './cancelOrder'
import { CANCEL_REFUND_REASON, cancelRefundNo, finishCancelRefund } from './cancelRefund'

const ORDER = '2026112810000012345678901234'
const REFUND_NO = `C${ORDER}`
const PAID = 1990

function paidWorld(overrides: Partial<OrderRecord> = {}, mode: 'cloudpay' | 'merchant' = 'cloudpay'): MemoryWorld {
  const world = memoryWorld({ mode })
  world.orders.put(storedOrder({ outTradeNo: ORDER, status: 'SUCCESS', transactionId: 'wx-t1', timeEnd: '20261128100500', ...overrides }, world.clock))
  return world
}

function stored(world: MemoryWorld): OrderRecord {
  const doc = world.orders.docs.get(ORDER)
  assert.ok(doc)
  return doc
}

const cancel = (world: MemoryWorld, openid = 'shopper-1') => cancelOrder(world, openid, { outTradeNo: ORDER })

const entry = (refundFee: number, status: RefundEntry['status'], at: Date, outRefundNo = REFUND_NO): RefundEntry => ({
  outRefundNo,
  refundFee: fen(refundFee),
  status,
  requestedBy: outRefundNo === REFUND_NO ? 'shopper-1' : 'staff-1',
  ...(outRefundNo === REFUND_NO ? { reason: CANCEL_REFUND_REASON } : {}),
  createdAt: at,
})

/** Refunds asked of the gateway: [outRefundNo, refundFee, totalFee]. */
const sent = (world: MemoryWorld) =>
  world.gateway.callsOf('refund').map(([r]) => {
    const request = r as { outTradeNo: string; outRefundNo: string; refundFee: number; totalFee: number }
    assert.equal(request.outTradeNo, ORDER)
    return [request.outRefundNo, request.refundFee, request.totalFee]
  })

/** The money rule, on the stored order: never more reserved than paid, and at most one cancel refund. */
function assertMoneyRule(world: MemoryWorld): void {
  const order = stored(world)
  const reserved = Object.values(order.refunds)
    .filter((r) => r.status !== 'FAILED')
    .reduce((sum, r) => sum + r.refundFee, 0)
  assert.equal(order.refundReservedFee, reserved)
  assert.ok(reserved <= PAID, `reserved ${reserved} of ${PAID}`)
  assert.ok(Object.keys(order.refunds).filter((no) => no.startsWith('C')).length <= 1)
}

describe('cancelOrder: a paid order not yet shipped', () => {
  test('is cancelled, then everything paid is reserved and sent back under the order’s cancel refund number', async (t) => {
    const out = captureConsole(t)
    const world = paidWorld()
    const now = new Date(world.clock.now())
    const view = await cancel(world)
    const order = stored(world)
    assert.deepEqual(order.fulfilment, { state: 'CANCELLED', cancelledAt: now })
    assert.deepEqual(order.refunds, { [REFUND_NO]: entry(PAID, 'PROCESSING', now) })
    assert.equal(order.refundReservedFee, PAID)
    assert.equal(order.refundsPending, 1)
    assert.equal(order.status, 'SUCCESS', 'REFUND only once the money is back')
    assert.deepEqual(sent(world), [[REFUND_NO, PAID, PAID]])
    assert.deepEqual(
      world.gateway.calls.map((c) => c.api),
      ['refund'],
      'no query, no close: a paid order is never closed',
    )
    assert.deepEqual(world.events.events, [
      {
        kind: 'refund_request',
        mode: 'cloudpay',
        source: 'cancelOrder',
        outTradeNo: ORDER,
        decision: 'applied',
        reason: `refund ${REFUND_NO} of ${PAID} fen requested by shopper-1`,
        raw: { outRefundNo: REFUND_NO, refundFee: PAID },
      },
    ])
    assert.equal(view.fulfilment?.state, 'CANCELLED')
    assert.deepEqual(
      view.refunds.map((r) => [r.outRefundNo, r.refundFee, r.status]),
      [[REFUND_NO, PAID, 'PROCESSING']],
    )
    assert.deepEqual(view.actions, { pay: false, cancel: false, refund: false, afterSale: false, confirmReceipt: false })
    assert.deepEqual(
      world.orders.writes.map((w) => [w.method, w.changed]),
      [
        ['cancelFulfilment', true],
        ['reserveRefund', true],
      ],
    )
    assert.deepEqual(out.log, [`order ${ORDER}: cancelled by the shopper before shipping; refunding`])
  })

  test('the cancel refund number is the order number behind a C, a valid refund number for any order number', () => {
    assert.equal(cancelRefundNo(ORDER), REFUND_NO)
    assert.equal(cancelRefundNo('20261128100000AbCdEfGhIjKlMn'), 'C20261128100000AbCdEfGhIjKlMn')
    assert.match(cancelRefundNo('x'.repeat(32)), /^[A-Za-z0-9_-]{6,64}$/)
  })

  test('cancelling again never refunds twice: it resends the same refund while it is processing, and does nothing once settled', async (t) => {
    captureConsole(t)
    const world = paidWorld()
    await cancel(world)
    const again = await cancel(world)
    assert.equal(again.fulfilment?.state, 'CANCELLED')
    assert.deepEqual(sent(world), [
      [REFUND_NO, PAID, PAID],
      [REFUND_NO, PAID, PAID],
    ])
    assert.equal(world.events.events.length, 1, 'one refund requested')
    assertMoneyRule(world)
    await world.orders.settleRefund(ORDER, REFUND_NO, fen(PAID), { status: 'SUCCESS' })
    const writes = world.orders.writes.length
    const settled = await cancel(world)
    assert.deepEqual(
      settled.refunds.map((r) => r.status),
      ['SUCCESS'],
    )
    assert.equal(sent(world).length, 2, 'nothing sent once the refund is settled')
    assert.equal(world.orders.writes.length, writes, 'nothing written')
  })

  test('many cancels at once: one cancellation, one refund of exactly what was paid', async (t) => {
    captureConsole(t)
    const world = paidWorld()
    const views = await Promise.all(Array.from({ length: 8 }, () => cancel(world)))
    for (const view of views) assert.equal(view.fulfilment?.state, 'CANCELLED')
    assert.equal(world.orders.writes.filter((w) => w.method === 'cancelFulfilment' && w.changed).length, 1)
    assert.equal(world.orders.writes.filter((w) => w.method === 'reserveRefund' && w.changed).length, 1)
    assert.deepEqual(Object.keys(stored(world).refunds), [REFUND_NO])
    assert.equal(stored(world).refundReservedFee, PAID)
    for (const call of sent(world)) assert.deepEqual(call, [REFUND_NO, PAID, PAID])
    assertMoneyRule(world)
  })

  test('after a partial refund by staff, only what is left goes back', async (t) => {
    captureConsole(t)
    const at = new Date(Date.UTC(2026, 10, 28, 1, 0, 0))
    const world = paidWorld({ refundReservedFee: fen(500), refundsPending: 1, refunds: { RF1: entry(500, 'PROCESSING', at, 'RF1') } })
    await cancel(world)
    assert.equal(stored(world).refunds[REFUND_NO]?.refundFee, PAID - 500)
    assert.equal(stored(world).refundReservedFee, PAID)
    assert.deepEqual(sent(world), [[REFUND_NO, PAID - 500, PAID]])
    assertMoneyRule(world)
  })

  test('staff refunding part while the cancel reserves: the cancel works out what is left again, never more than paid', async (t) => {
    captureConsole(t)
    const world = paidWorld()
    const reserve = world.orders.reserveRefund.bind(world.orders)
    let raced = false
    world.orders.reserveRefund = async (outTradeNo, candidate, expect) => {
      if (!raced) {
        raced = true
        assert.ok(await reserve(outTradeNo, entry(300, 'PROCESSING', new Date(world.clock.now()), 'RF-staff'), expect))
      }
      return reserve(outTradeNo, candidate, expect)
    }
    await cancel(world)
    assert.deepEqual(
      world.orders.writes.filter((w) => w.method === 'reserveRefund').map((w) => w.changed),
      [true, false, true],
    )
    assert.equal(stored(world).refunds[REFUND_NO]?.refundFee, PAID - 300)
    assert.deepEqual(sent(world), [[REFUND_NO, PAID - 300, PAID]])
    assertMoneyRule(world)
  })

  test('a reservation that keeps losing gives up after three tries with nothing sent', async (t) => {
    captureConsole(t)
    const world = paidWorld()
    let tries = 0
    world.orders.reserveRefund = async () => (tries++, false)
    const error = await refusal(cancel(world), 'INTERNAL')
    assert.equal(tries, 3)
    assert.equal(error.detail, `order ${ORDER}: the cancel refund could not be reserved in 3 tries`)
    assert.deepEqual(sent(world), [])
    assert.equal(stored(world).fulfilment?.state, 'CANCELLED', 'cancelled: a retry or reconcile finishes the refund')
  })
})

describe('cancelOrder: a refund a crash or a lost answer left undone is finished by the retry', () => {
  test('cancelled, refund never reserved: the retry reserves and sends it', async (t) => {
    const out = captureConsole(t)
    const world = paidWorld()
    assert.ok(await world.orders.cancelFulfilment(ORDER, new Date(world.clock.now())))
    await cancel(world)
    assert.equal(stored(world).refunds[REFUND_NO]?.status, 'PROCESSING')
    assert.deepEqual(sent(world), [[REFUND_NO, PAID, PAID]])
    assert.equal(world.orders.writes.filter((w) => w.method === 'cancelFulfilment').length, 1, 'not cancelled again')
    assert.deepEqual(out.log, [], 'this cancel cancelled nothing')
  })

  test('reserved, never sent: the retry sends that same refund, and reserves nothing new', async (t) => {
    captureConsole(t)
    const at = new Date(memoryWorld().clock.now())
    const world = paidWorld({
      fulfilment: { state: 'CANCELLED', cancelledAt: at },
      refundReservedFee: fen(PAID),
      refundsPending: 1,
      refunds: { [REFUND_NO]: entry(PAID, 'PROCESSING', at) },
    })
    await cancel(world)
    assert.deepEqual(sent(world), [[REFUND_NO, PAID, PAID]])
    assert.deepEqual(world.orders.writes, [])
    assert.deepEqual(world.events.events, [])
  })

  test('everything already refunded some other way: nothing more is reserved or sent', async () => {
    const world = paidWorld({ fulfilment: { state: 'CANCELLED' }, refundReservedFee: fen(PAID) })
    const view = await cancel(world)
    assert.equal(view.fulfilment?.state, 'CANCELLED')
    assert.deepEqual(world.gateway.calls, [])
    assert.deepEqual(world.orders.writes, [])
  })

  test('finishCancelRefund called twice with the same stale order reserves once: the second finds the first’s refund', async (t) => {
    captureConsole(t)
    const world = paidWorld({ fulfilment: { state: 'CANCELLED' } })
    const stale = structuredClone(stored(world))
    await finishCancelRefund(world, structuredClone(stale), 'reconcile')
    await finishCancelRefund(world, structuredClone(stale), 'reconcile')
    assert.deepEqual(
      world.orders.writes.map((w) => [w.method, w.changed]),
      [
        ['reserveRefund', true],
        ['reserveRefund', false],
      ],
    )
    assert.deepEqual(sent(world), [
      [REFUND_NO, PAID, PAID],
      [REFUND_NO, PAID, PAID],
    ])
    assert.equal(world.events.events.length, 1)
    assertMoneyRule(world)
  })
})

describe('cancelOrder: when the refund fails', () => {
  test('refused outright: the refund is FAILED, the order stays cancelled, the shopper is told staff will handle it', async (t) => {
    captureConsole(t)
    const world = paidWorld()
    const cause = new AppError('PAY_GATEWAY_ERROR', '微信支付拒绝了退款：余额不足', { detail: 'NOTENOUGH' })
    world.gateway.failNext.set('refund', cause)
    const error = await refusal(cancel(world), 'PAY_GATEWAY_ERROR')
    assert.equal(error.message, REFUND_REFUSED)
    assert.equal(error.cause, cause)
    assert.match(error.detail ?? '', /NOTENOUGH/)
    assert.equal(stored(world).fulfilment?.state, 'CANCELLED')
    assert.equal(stored(world).refunds[REFUND_NO]?.status, 'FAILED')
    assert.equal(stored(world).refundReservedFee, 0)
    // Again: answered as it is; a refused refund is not sent again under its number, nor a new one made.
    const view = await cancel(world)
    assert.deepEqual(
      view.refunds.map((r) => r.status),
      ['FAILED'],
    )
    assert.equal(sent(world).length, 1)
    assert.deepEqual(Object.keys(stored(world).refunds), [REFUND_NO])
  })

  test('sent with no answer: the shopper sees the order cancelled and the refund processing; reconcile follows it up', async (t) => {
    const out = captureConsole(t)
    const world = paidWorld()
    world.gateway.failNext.set('refund', new AppError('PAY_GATEWAY_ERROR', '微信支付暂时不可用', { uncertain: true, detail: 'timeout' }))
    const view = await cancel(world)
    assert.equal(view.fulfilment?.state, 'CANCELLED')
    assert.deepEqual(
      view.refunds.map((r) => [r.outRefundNo, r.status]),
      [[REFUND_NO, 'PROCESSING']],
    )
    assert.equal(stored(world).refundsPending, 1)
    assert.ok(
      out.warn.some((line) => line.includes(`cancelOrder ${ORDER}: refund outcome unknown`)),
      out.warn.join('\n'),
    )
  })

  test('any other failure surfaces as it is, the order cancelled for the retry to finish', async (t) => {
    captureConsole(t)
    const world = paidWorld()
    const fault = new Error('database unavailable')
    world.orders.reserveRefund = async () => {
      throw fault
    }
    assert.equal(await cancel(world).catch((e: unknown) => e), fault)
    assert.equal(stored(world).fulfilment?.state, 'CANCELLED')
  })

  test('the wrong pay mode or a configuration that cannot refund is found before anything is written', async () => {
    const merchantOrder = paidWorld({ mode: 'merchant' })
    const mode = await refusal(cancel(merchantOrder), 'REFUND_NOT_ALLOWED')
    assert.match(mode.detail ?? '', /paid in merchant mode, PAY_MODE is now cloudpay/)
    const noCert = paidWorld()
    noCert.gateway.canRefund = new AppError('CONFIG_ERROR', '商家尚未开通退款，请联系商家')
    await refusal(cancel(noCert), 'CONFIG_ERROR')
    for (const world of [merchantOrder, noCert]) {
      assert.equal(stored(world).fulfilment?.state, 'PENDING')
      assert.deepEqual(world.orders.writes, [])
      assert.deepEqual(world.gateway.calls, [])
    }
  })
})

describe('cancelOrder: a paid order that cannot be cancelled', () => {
  test('shipped or received: ORDER_STATE_CONFLICT pointing to after-sale; nothing written, the gateway not asked', async () => {
    for (const state of ['SHIPPED', 'RECEIVED'] as const) {
      const world = paidWorld({ fulfilment: { state } })
      const error = await refusal(cancel(world), 'ORDER_STATE_CONFLICT')
      assert.equal(error.message, SHIPPED_NO_CANCEL)
      assert.equal(error.detail, `cancel ${ORDER} refused: order is SUCCESS, fulfilment ${state}`)
      assert.deepEqual(world.orders.writes, [])
      assert.deepEqual(world.gateway.calls, [])
    }
  })

  test('refunded in full, all of it being refunded, or paid before fulfilment existed: refused in words for each', async () => {
    const cases: Array<[Partial<OrderRecord>, string, string]> = [
      [{ status: 'REFUND', refundReservedFee: fen(PAID), refundedFee: fen(PAID) }, REFUNDED, 'order is REFUND, fulfilment PENDING'],
      [{ refundReservedFee: fen(PAID) }, REFUNDING, 'order is SUCCESS, fulfilment PENDING'],
      [{ fulfilment: undefined }, PAID_NO_FULFILMENT, 'order is SUCCESS, fulfilment none'],
    ]
    for (const [overrides, message, detail] of cases) {
      const world = paidWorld(overrides)
      const error = await refusal(cancel(world), 'ORDER_STATE_CONFLICT')
      assert.equal(error.message, message)
      assert.equal(error.detail, `cancel ${ORDER} refused: ${detail}`)
      assert.deepEqual(world.orders.writes, [])
      assert.deepEqual(world.gateway.calls, [])
    }
  })

  test('shipped while the cancel was on its way: the shipment wins, nothing is refunded', async () => {
    const world = paidWorld()
    const cancelFulfilment = world.orders.cancelFulfilment.bind(world.orders)
    world.orders.cancelFulfilment = async (outTradeNo, at) => {
      await world.orders.markShipped(outTradeNo, { carrier: '顺丰速运', trackingNo: 'SF1', at })
      return cancelFulfilment(outTradeNo, at)
    }
    const error = await refusal(cancel(world), 'ORDER_STATE_CONFLICT')
    assert.equal(error.message, SHIPPED_NO_CANCEL)
    assert.equal(error.detail, `lost a race: cancel ${ORDER} refused: order is SUCCESS, fulfilment SHIPPED`)
    assert.equal(stored(world).fulfilment?.state, 'SHIPPED')
    assert.deepEqual(stored(world).refunds, {})
    assert.deepEqual(world.gateway.calls, [])
  })

  test('an update that changed nothing though the order looks cancellable is reported as a change, with nothing sent', async () => {
    const world = paidWorld()
    world.orders.cancelFulfilment = async () => false
    const error = await refusal(cancel(world), 'ORDER_STATE_CONFLICT')
    assert.equal(error.message, CHANGED)
    assert.equal(error.detail, `lost a race: cancel ${ORDER} refused: order is SUCCESS, fulfilment PENDING`)
    assert.deepEqual(world.gateway.calls, [])
  })
})
