import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ErrorCode } from '../contracts'
import { fen } from '../core/money'
import { beijingTimestamp } from '../core/beijingTime'
import { AppError } from '../errors'
import type { OrderRecord, RefundEntry, RefundRequest } from '../ports'
import { memoryWorld, storedOrder, ScriptedGateway, type MemoryWorld } from '../testing/memory'
import { assertShopperWords } from '../testing/shopperWords'
import { refundOrder } from './refundOrder'

const NO = '20261128100000AbCdEfGhIjKlMn'
const STAFF = 'staff-1'

function paidWorld(overrides: Partial<OrderRecord> = {}, mode: 'cloudpay' | 'merchant' = 'cloudpay'): MemoryWorld {
  const world = memoryWorld({ mode })
  world.orders.put(storedOrder({ outTradeNo: NO, status: 'SUCCESS', mode, transactionId: 'T1', ...overrides }, world.clock))
  return world
}

function stored(world: MemoryWorld, outTradeNo = NO): OrderRecord {
  const doc = world.orders.docs.get(outTradeNo)
  assert.ok(doc, `order ${outTradeNo} is stored`)
  return doc
}

function entry(outRefundNo: string, refundFee: number, status: RefundEntry['status'], at: Date): RefundEntry {
  return { outRefundNo, refundFee: fen(refundFee), status, requestedBy: STAFF, createdAt: at }
}

/** `detail`: what the operators read in the logs (never returned). */
async function rejects(promise: Promise<unknown>, code: ErrorCode, message?: RegExp, detail?: RegExp): Promise<AppError> {
  let caught: unknown
  await assert.rejects(promise, (error: unknown) => ((caught = error), true))
  assert.ok(caught instanceof AppError, `not an AppError: ${String(caught)}`)
  assert.equal(caught.code, code, caught.message)
  assertShopperWords(caught.message, code)
  if (message) assert.match(caught.message, message)
  if (detail) assert.match(caught.detail ?? '', detail)
  return caught
}

/** Nothing reserved, nothing sent, nothing recorded. */
function untouched(world: MemoryWorld, outTradeNo = NO): void {
  if (world.orders.docs.has(outTradeNo)) {
    const order = stored(world, outTradeNo)
    assert.equal(order.refundReservedFee, 0)
    assert.equal(order.refundsPending, 0)
    assert.deepEqual(order.refunds, {})
  }
  assert.equal(world.orders.writes.filter((w) => w.method === 'reserveRefund').length, 0)
  assert.deepEqual(world.gateway.callsOf('refund'), [])
  assert.deepEqual(world.events.events, [])
}

describe('refundOrder: who and what', () => {
  test('only staff may refund', async () => {
    const world = paidWorld()
    await rejects(refundOrder(world, 'shopper-1', { outTradeNo: NO, refundFee: 100, outRefundNo: 'RF000001' }), 'FORBIDDEN', /仅商家工作人员/)
    const error = await rejects(refundOrder(world, '', { outTradeNo: NO, refundFee: 100 }), 'FORBIDDEN')
    assert.match(error.detail ?? '', /not in/)
    untouched(world)
  })

  test('the event must be a plain object', async () => {
    const world = paidWorld()
    for (const event of [null, undefined, 'x', [NO, 100]]) await rejects(refundOrder(world, STAFF, event), 'INVALID_ARGUMENT')
    untouched(world)
  })

  test('the order number must be one', async () => {
    const world = paidWorld()
    for (const outTradeNo of [undefined, '', 'abc', 42, 'x'.repeat(33), 'bad no!']) {
      await rejects(refundOrder(world, STAFF, { outTradeNo, refundFee: 100 }), 'INVALID_ARGUMENT', /订单号有误/, /outTradeNo/)
    }
    untouched(world)
  })

  test('the amount must be a positive integer of fen', async () => {
    const world = paidWorld()
    for (const refundFee of [undefined, '100', 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, null]) {
      await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee }), 'INVALID_ARGUMENT', /退款金额应为正整数/, /refundFee must be a positive integer/)
    }
    untouched(world)
  })

  test('a refund number, when given, must be one', async () => {
    const world = paidWorld()
    for (const outRefundNo of ['R1', 'has space', 'x'.repeat(65), 7, '退款单号0001']) {
      await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 100, outRefundNo }), 'INVALID_ARGUMENT')
    }
    untouched(world)
  })

  test('the reason is text of at most 80 characters', async () => {
    const world = paidWorld()
    for (const reason of ['因'.repeat(81), '📦'.repeat(81), 42, {}, null]) {
      await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 100, reason }), 'INVALID_ARGUMENT', /80/, /reason must be text of at most 80/)
    }
    untouched(world)
    const done = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 100, outRefundNo: 'RF000080', reason: '因'.repeat(80) })
    assert.equal(done.refund.status, 'PROCESSING')
    assert.equal(stored(world).refunds['RF000080']?.reason, '因'.repeat(80))
    // Characters, not UTF-16 units: 80 emoji are 160 units and still 80 characters, as the staff console counts them.
    const emoji = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 100, outRefundNo: 'RF000081', reason: '📦'.repeat(80) })
    assert.equal(emoji.refund.status, 'PROCESSING')
  })

  test('an unknown order is not found', async () => {
    const world = paidWorld()
    await rejects(
      refundOrder(world, STAFF, { outTradeNo: '20261128100000ZZZZZZZZZZZZZZ', refundFee: 100 }),
      'ORDER_NOT_FOUND',
      /订单不存在/,
      /order 20261128100000ZZZZZZZZZZZZZZ not found/,
    )
    untouched(world)
  })

  test('a trade goes back only through the pay mode it was paid in', async () => {
    const world = paidWorld({ mode: 'merchant' })
    await rejects(
      refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 100 }),
      'REFUND_NOT_ALLOWED',
      /支付方式/,
      /paid in merchant mode, PAY_MODE is now cloudpay/,
    )
    untouched(world)

    const merchant = paidWorld({}, 'merchant')
    const done = await refundOrder(merchant, STAFF, { outTradeNo: NO, refundFee: 100, outRefundNo: 'RF000001' })
    assert.equal(done.refund.status, 'PROCESSING')
    assert.equal(merchant.gateway.callsOf('refund').length, 1)
  })

  test('a configuration that cannot refund is found before anything is reserved', async () => {
    const world = paidWorld()
    world.gateway.canRefund = new AppError('CONFIG_ERROR', '退款暂不可用，请联系商家')
    await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 100 }), 'CONFIG_ERROR', /退款暂不可用/)
    untouched(world)
  })
})

describe('refundOrder: the money', () => {
  test('a full refund is reserved, recorded and sent with what was paid', async () => {
    const world = paidWorld()
    const done = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1990, outRefundNo: 'RF000001', reason: '不想要了' })
    assert.deepEqual(done, {
      outTradeNo: NO,
      refund: { outRefundNo: 'RF000001', refundFee: 1990, status: 'PROCESSING', createdAt: new Date(world.clock.now()).toISOString(), settledAt: null },
    })
    const order = stored(world)
    assert.equal(order.status, 'SUCCESS')
    assert.equal(order.refundReservedFee, 1990)
    assert.equal(order.refundedFee, 0)
    assert.equal(order.refundsPending, 1)
    assert.deepEqual(order.refunds['RF000001'], { ...entry('RF000001', 1990, 'PROCESSING', new Date(world.clock.now())), reason: '不想要了' })
    assert.deepEqual(world.gateway.callsOf('refund'), [[{ outTradeNo: NO, outRefundNo: 'RF000001', totalFee: 1990, refundFee: 1990 }]])
    assert.deepEqual(world.events.events, [
      {
        kind: 'refund_request',
        mode: 'cloudpay',
        source: 'refundOrder',
        outTradeNo: NO,
        decision: 'applied',
        reason: `refund RF000001 of 1990 fen requested by ${STAFF}`,
        raw: { outRefundNo: 'RF000001', refundFee: 1990 },
      },
    ])
  })

  test('no reason, or an empty one, stores none', async () => {
    const world = paidWorld()
    await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 10, outRefundNo: 'RF000001' })
    await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 10, outRefundNo: 'RF000002', reason: '' })
    assert.equal('reason' in (stored(world).refunds['RF000001'] ?? {}), false)
    assert.equal('reason' in (stored(world).refunds['RF000002'] ?? {}), false)
  })

  test('partial refunds add up to what was paid and never beyond', async () => {
    const world = paidWorld()
    await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1000, outRefundNo: 'RF000001' })
    await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 991, outRefundNo: 'RF000002' }), 'REFUND_NOT_ALLOWED', /最多 990 分/)
    await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 990, outRefundNo: 'RF000003' })
    await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1, outRefundNo: 'RF000004' }), 'REFUND_NOT_ALLOWED', /没有可退的金额/)
    const order = stored(world)
    assert.equal(order.refundReservedFee, 1990)
    assert.equal(order.refundsPending, 2)
    assert.deepEqual(Object.keys(order.refunds), ['RF000001', 'RF000003'])
    assert.deepEqual(
      world.gateway.callsOf('refund').map(([r]) => (r as RefundRequest).refundFee),
      [1000, 990],
    )
    assert.equal(world.events.events.length, 2)
  })

  test('more than was paid is refused before anything is reserved', async () => {
    const world = paidWorld()
    await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1991 }), 'REFUND_NOT_ALLOWED', /最多 1990 分/)
    untouched(world)
  })

  test('released (failed) refunds free their money again; settled ones do not', async () => {
    const at = new Date(Date.UTC(2026, 10, 28, 1))
    const world = paidWorld({
      refundReservedFee: fen(500),
      refundedFee: fen(500),
      refunds: { RF000001: entry('RF000001', 500, 'SUCCESS', at), RF000002: { ...entry('RF000002', 700, 'FAILED', at), failure: 'refund CHANGE' } },
    })
    await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1491, outRefundNo: 'RF000003' }), 'REFUND_NOT_ALLOWED', /最多 1490 分/)
    await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1490, outRefundNo: 'RF000003' })
    assert.equal(stored(world).refundReservedFee, 1990)
  })

  test('an unpaid order has nothing to refund', async () => {
    for (const status of ['NOTPAY', 'PAYERROR', 'CLOSED'] as const) {
      const world = paidWorld({ status })
      await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1 }), 'REFUND_NOT_ALLOWED', /没有可退的金额/)
      untouched(world)
    }
  })

  test('a fully refunded order has nothing left', async () => {
    const at = new Date(Date.UTC(2026, 10, 28, 1))
    const world = paidWorld({
      status: 'REFUND',
      refundReservedFee: fen(1990),
      refundedFee: fen(1990),
      refunds: { RF000001: entry('RF000001', 1990, 'SUCCESS', at) },
    })
    await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1, outRefundNo: 'RF000002' }), 'REFUND_NOT_ALLOWED', /没有可退的金额/)
    assert.deepEqual(world.gateway.callsOf('refund'), [])
  })

  test('a closed order paid late is refundable up to the late payment, sent with that amount', async () => {
    const world = paidWorld({ status: 'CLOSED', transactionId: undefined, totalFee: fen(1990), latePayment: { transactionId: 'T9', totalFee: fen(1500) } })
    await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1501, outRefundNo: 'RF000001' }), 'REFUND_NOT_ALLOWED', /最多 1500 分/)
    const done = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1500, outRefundNo: 'RF000001' })
    assert.equal(done.refund.refundFee, 1500)
    assert.equal(stored(world).status, 'CLOSED')
    assert.equal(stored(world).refundReservedFee, 1500)
    assert.deepEqual(world.gateway.callsOf('refund'), [[{ outTradeNo: NO, outRefundNo: 'RF000001', totalFee: 1500, refundFee: 1500 }]])
  })

  test('at most 50 refunds per order', async () => {
    const at = new Date(Date.UTC(2026, 10, 28, 1))
    const refunds = (n: number): Record<string, RefundEntry> =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`RF${String(i).padStart(6, '0')}`, entry(`RF${String(i).padStart(6, '0')}`, 1, 'SUCCESS', at)]))
    const full = paidWorld({ totalFee: fen(10_000), refundReservedFee: fen(50), refundedFee: fen(50), refunds: refunds(50) })
    await rejects(refundOrder(full, STAFF, { outTradeNo: NO, refundFee: 1, outRefundNo: 'RFNEXT01' }), 'REFUND_NOT_ALLOWED', /最多退款 50 次/)
    assert.deepEqual(full.gateway.callsOf('refund'), [])
    // A repeat of one of them is still the same refund.
    const repeat = await refundOrder(full, STAFF, { outTradeNo: NO, refundFee: 1, outRefundNo: 'RF000049' })
    assert.equal(repeat.refund.status, 'SUCCESS')

    const almost = paidWorld({ totalFee: fen(10_000), refundReservedFee: fen(49), refundedFee: fen(49), refunds: refunds(49) })
    const done = await refundOrder(almost, STAFF, { outTradeNo: NO, refundFee: 1, outRefundNo: 'RFNEXT01' })
    assert.equal(done.refund.status, 'PROCESSING')
    assert.equal(Object.keys(stored(almost).refunds).length, 50)
  })

  test('racing requests never reserve more than was paid', async () => {
    const world = paidWorld()
    const [first, second] = await Promise.allSettled([
      refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1500, outRefundNo: 'RF000001' }),
      refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 1500, outRefundNo: 'RF000002' }),
    ])
    assert.equal(first.status, 'fulfilled')
    assert.equal(second.status, 'rejected')
    await rejects(Promise.reject(second.status === 'rejected' ? second.reason : undefined), 'REFUND_NOT_ALLOWED', /或订单状态已变化/)
    const order = stored(world)
    assert.equal(order.refundReservedFee, 1500)
    assert.deepEqual(Object.keys(order.refunds), ['RF000001'])
    assert.equal(world.gateway.callsOf('refund').length, 1)
    assert.equal(world.events.events.length, 1)
  })

  test('an order refunded in the meantime refuses the reservation', async () => {
    const world = paidWorld()
    // The order changes between the read and the reservation (another refund completes it).
    const get = world.orders.get.bind(world.orders)
    let reads = 0
    world.orders.get = async (outTradeNo: string) => {
      const order = await get(outTradeNo)
      if (reads++ === 0) {
        const doc = stored(world)
        doc.status = 'REFUND'
      }
      return order
    }
    await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 10, outRefundNo: 'RF000001' }), 'REFUND_NOT_ALLOWED', /或订单状态已变化/)
    assert.deepEqual(stored(world).refunds, {})
    assert.deepEqual(world.gateway.callsOf('refund'), [])
    assert.deepEqual(world.events.events, [])
  })
})

describe('refundOrder: the same outRefundNo is the same refund', () => {
  test('a repeat reserves nothing more and sends the same refund again', async () => {
    const world = paidWorld()
    const first = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 800, outRefundNo: 'RF000001' })
    world.clock.advance(60_000)
    const again = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 800, outRefundNo: 'RF000001' })
    assert.deepEqual(again, first)
    const order = stored(world)
    assert.equal(order.refundReservedFee, 800)
    assert.equal(order.refundsPending, 1)
    assert.equal(world.orders.writes.filter((w) => w.method === 'reserveRefund').length, 1)
    const sent = { outTradeNo: NO, outRefundNo: 'RF000001', totalFee: 1990, refundFee: 800 }
    assert.deepEqual(world.gateway.callsOf('refund'), [[sent], [sent]])
    assert.equal(world.events.events.length, 1)
  })

  test('racing repeats make one reservation', async () => {
    const world = paidWorld()
    const results = await Promise.all([
      refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 800, outRefundNo: 'RF000001' }),
      refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 800, outRefundNo: 'RF000001' }),
    ])
    assert.deepEqual(results[0], results[1])
    assert.equal(stored(world).refundReservedFee, 800)
    assert.equal(world.gateway.callsOf('refund').length, 2)
    assert.equal(world.events.events.length, 1)
  })

  test('a refused repeat keeps the reservation: the first send may have gone through', async () => {
    const world = paidWorld()
    world.gateway.failNext.set('refund', new AppError('PAY_GATEWAY_ERROR', '微信支付暂时无法访问', { uncertain: true }))
    const first = await rejects(
      refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 800, outRefundNo: 'RF000001' }),
      'PAY_GATEWAY_ERROR',
      /退款 RF000001 已登记/,
    )
    assert.equal(first.uncertain, true)
    world.gateway.failNext.set('refund', new AppError('PAY_GATEWAY_ERROR', '微信支付拒绝了这笔退款'))
    const again = await rejects(
      refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 800, outRefundNo: 'RF000001' }),
      'PAY_GATEWAY_ERROR',
      /退款 RF000001 已登记/,
    )
    assert.equal(again.uncertain, true)
    const order = stored(world)
    assert.equal(order.refunds['RF000001']?.status, 'PROCESSING')
    assert.equal(order.refundReservedFee, 800)
    assert.equal(world.gateway.callsOf('refund').length, 2)
    assert.deepEqual(
      world.events.events.map((e) => [e.kind, e.decision]),
      [['refund_request', 'applied']],
    )
  })

  test('a definite refusal of the first send releases the reservation', async () => {
    const world = paidWorld()
    const refusal = new AppError('PAY_GATEWAY_ERROR', '微信支付拒绝了这笔退款', { detail: 'NOTENOUGH' })
    world.gateway.failNext.set('refund', refusal)
    const error = await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 800, outRefundNo: 'RF000001' }), 'PAY_GATEWAY_ERROR')
    assert.equal(error, refusal)
    const order = stored(world)
    assert.equal(order.refunds['RF000001']?.status, 'FAILED')
    assert.equal(order.refundReservedFee, 0)
    assert.deepEqual(
      world.events.events.map((e) => [e.kind, e.source, e.decision]),
      [
        ['refund_request', 'refundOrder', 'applied'],
        ['refund_request', 'refundOrder', 'rejected'],
      ],
    )
    // The same number again is the same (failed) refund: answered, not sent.
    const again = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 800, outRefundNo: 'RF000001' })
    assert.equal(again.refund.status, 'FAILED')
    assert.equal(world.gateway.callsOf('refund').length, 1)
  })

  test('a different amount under the same outRefundNo is refused', async () => {
    const world = paidWorld()
    await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 800, outRefundNo: 'RF000001' })
    await rejects(refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 700, outRefundNo: 'RF000001' }), 'INVALID_ARGUMENT', /RF000001 已用于 800 分/)
    assert.equal(stored(world).refundReservedFee, 800)
    assert.equal(world.gateway.callsOf('refund').length, 1)
  })

  test('a settled refund is answered as it is, not sent again', async () => {
    const at = new Date(Date.UTC(2026, 10, 28, 1))
    const settledAt = new Date(Date.UTC(2026, 10, 28, 1, 5))
    const world = paidWorld({
      refundReservedFee: fen(300),
      refundedFee: fen(300),
      refunds: { RF000001: { ...entry('RF000001', 300, 'SUCCESS', at), settledAt }, RF000002: { ...entry('RF000002', 200, 'FAILED', at), failure: 'x' } },
    })
    // Even with refunds unavailable now: nothing new is asked of the gateway.
    world.gateway.canRefund = new AppError('CONFIG_ERROR', '退款暂不可用')
    const success = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 300, outRefundNo: 'RF000001' })
    assert.deepEqual(success.refund, {
      outRefundNo: 'RF000001',
      refundFee: 300,
      status: 'SUCCESS',
      createdAt: at.toISOString(),
      settledAt: settledAt.toISOString(),
    })
    const failed = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 200, outRefundNo: 'RF000002' })
    assert.equal(failed.refund.status, 'FAILED')
    assert.deepEqual(world.gateway.calls, [])
    assert.deepEqual(world.events.events, [])
  })

  test('the answer is the order after sending (a settlement that arrived meanwhile shows)', async () => {
    const world = paidWorld()
    const gateway = new (class extends ScriptedGateway {
      override async refund(request: RefundRequest): Promise<void> {
        await super.refund(request)
        await world.orders.settleRefund(request.outTradeNo, request.outRefundNo, fen(request.refundFee), { status: 'SUCCESS' })
      }
    })()
    const done = await refundOrder({ ...world, gateway }, STAFF, { outTradeNo: NO, refundFee: 100, outRefundNo: 'RF000001' })
    assert.equal(done.refund.status, 'SUCCESS')
  })

  test('without an outRefundNo a new one is made each time', async () => {
    const world = paidWorld()
    const one = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 100 })
    const two = await refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 100, outRefundNo: null })
    const stamp = beijingTimestamp(world.clock.now())
    for (const { refund } of [one, two]) assert.match(refund.outRefundNo, new RegExp(`^R${stamp}[0-9A-Za-z]{14}$`))
    assert.notEqual(one.refund.outRefundNo, two.refund.outRefundNo)
    assert.equal(stored(world).refundReservedFee, 200)
    assert.deepEqual(Object.keys(stored(world).refunds).sort(), [one.refund.outRefundNo, two.refund.outRefundNo].sort())
  })
})

describe('refundOrder: what cannot happen', () => {
  test('an order that vanishes under the reservation is an internal error, not a refund', async () => {
    const world = paidWorld()
    const reserve = world.orders.reserveRefund.bind(world.orders)
    world.orders.reserveRefund = async (...args) => {
      const done = await reserve(...args)
      world.orders.docs.delete(NO)
      return done
    }
    await rejects(
      refundOrder(world, STAFF, { outTradeNo: NO, refundFee: 100, outRefundNo: 'RF000001' }),
      'INTERNAL',
      undefined,
      /refund entry RF000001 missing/,
    )
    assert.deepEqual(world.gateway.callsOf('refund'), [])
  })

  test('a refund that vanishes after sending is an internal error', async () => {
    const world = paidWorld()
    const gateway = new (class extends ScriptedGateway {
      override async refund(request: RefundRequest): Promise<void> {
        await super.refund(request)
        delete stored(world).refunds[request.outRefundNo]
      }
    })()
    await rejects(
      refundOrder({ ...world, gateway }, STAFF, { outTradeNo: NO, refundFee: 100, outRefundNo: 'RF000001' }),
      'INTERNAL',
      undefined,
      /refund RF000001 vanished/,
    )
  })
})
