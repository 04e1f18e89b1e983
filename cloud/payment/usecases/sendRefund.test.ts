import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fen } from '../core/money'
import { AppError } from '../errors'
import type { OrderRecord, RefundEntry } from '../ports'
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { assertShopperWords } from '../testing/shopperWords'
import { sendRefund } from './sendRefund'

const NO = '20261128100000AbCdEfGhIjKlMn'

/** A paid order with one reserved (PROCESSING) refund of `refundFee`. */
function reserved(overrides: Partial<OrderRecord> = {}, refundFee = 600): { world: MemoryWorld; order: OrderRecord; entry: RefundEntry } {
  const world = memoryWorld()
  const entry: RefundEntry = {
    outRefundNo: 'RF000001',
    refundFee: fen(refundFee),
    status: 'PROCESSING',
    requestedBy: 'staff-1',
    createdAt: new Date(world.clock.now()),
  }
  const order = storedOrder(
    {
      outTradeNo: NO,
      status: 'SUCCESS',
      transactionId: 'T1',
      refundReservedFee: fen(refundFee),
      refundsPending: 1,
      refunds: { RF000001: entry },
      ...overrides,
    },
    world.clock,
  )
  world.orders.put(order)
  return { world, order, entry }
}

function stored(world: MemoryWorld): OrderRecord {
  const doc = world.orders.docs.get(NO)
  assert.ok(doc)
  return doc
}

function stillReserved(world: MemoryWorld, refundFee = 600): void {
  const order = stored(world)
  assert.equal(order.refunds['RF000001']?.status, 'PROCESSING')
  assert.equal(order.refunds['RF000001']?.failure, undefined)
  assert.equal(order.refundReservedFee, refundFee)
  assert.equal(order.refundsPending, 1)
  assert.deepEqual(world.events.events, [])
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  let error: unknown
  await assert.rejects(promise, (e: unknown) => ((error = e), true))
  return error
}

/** The answer when the outcome is unknown: uncertain, naming the refund, the cause kept. */
function assertUnknownOutcome(error: unknown, cause: unknown, detail: RegExp): void {
  assert.ok(error instanceof AppError)
  assert.equal(error.code, 'PAY_GATEWAY_ERROR')
  assert.equal(error.uncertain, true)
  assert.equal(error.message, '退款 RF000001 已登记，但提交微信支付的结果未知：请用同一退款单号重试，或等待自动对账')
  assertShopperWords(error.message)
  assert.match(error.detail ?? '', detail)
  assert.equal(error.cause, cause)
}

describe('sendRefund', () => {
  test('sends the refund with what was paid, and changes nothing here', async () => {
    const { world, order, entry } = reserved()
    await sendRefund(world, order, entry, true, 'refundOrder')
    assert.deepEqual(world.gateway.calls, [{ api: 'refund', args: [{ outTradeNo: NO, outRefundNo: 'RF000001', totalFee: 1990, refundFee: 600 }] }])
    stillReserved(world)
  })

  test('a closed order paid late refunds the late payment', async () => {
    const { world, order, entry } = reserved({ status: 'CLOSED', transactionId: undefined, latePayment: { transactionId: 'T9', totalFee: fen(1200) } })
    await sendRefund(world, order, entry, false, 'reconcile')
    assert.deepEqual(world.gateway.callsOf('refund'), [[{ outTradeNo: NO, outRefundNo: 'RF000001', totalFee: 1200, refundFee: 600 }]])
  })

  test('a definite refusal of the first send releases the reservation and is rethrown', async () => {
    const { world, order, entry } = reserved()
    const refusal = new AppError('PAY_GATEWAY_ERROR', '微信支付拒绝了这笔退款', { detail: 'NOTENOUGH: balance too low' })
    world.gateway.failNext.set('refund', refusal)
    const error = await caught(sendRefund(world, order, entry, true, 'refundOrder'))
    assert.equal(error, refusal)
    assertShopperWords(refusal.message)
    const after = stored(world)
    assert.equal(after.refunds['RF000001']?.status, 'FAILED')
    assert.equal(after.refunds['RF000001']?.failure, 'PAY_GATEWAY_ERROR: 微信支付拒绝了这笔退款 — NOTENOUGH: balance too low')
    assert.equal(after.refundReservedFee, 0)
    assert.equal(after.refundsPending, 0)
    assert.equal(after.refundedFee, 0)
    assert.equal(after.status, 'SUCCESS')
    assert.deepEqual(world.events.events, [
      {
        kind: 'refund_request',
        mode: 'cloudpay',
        source: 'refundOrder',
        outTradeNo: NO,
        decision: 'rejected',
        reason: 'PAY_GATEWAY_ERROR: 微信支付拒绝了这笔退款 — NOTENOUGH: balance too low',
        raw: { outRefundNo: 'RF000001', refundFee: 600 },
      },
    ])
  })

  test('a released refund frees the money for another', async () => {
    const { world, order, entry } = reserved({ refundReservedFee: fen(1990), refunds: {} }, 600)
    // Another refund holds the rest: 600 of this one + 1390 of another.
    const other: RefundEntry = { ...entry, outRefundNo: 'RF000002', refundFee: fen(1390) }
    world.orders.put({ ...order, refundsPending: 2, refunds: { RF000001: entry, RF000002: other } })
    world.gateway.failNext.set('refund', new AppError('PAY_GATEWAY_ERROR', '微信支付拒绝了这笔退款'))
    await caught(sendRefund(world, order, entry, true, 'refundOrder'))
    assert.equal(stored(world).refundReservedFee, 1390)
    assert.equal(stored(world).refunds['RF000002']?.status, 'PROCESSING')
  })

  test('an uncertain failure keeps the refund reserved and says the outcome is unknown', async () => {
    const { world, order, entry } = reserved()
    const timeout = new AppError('PAY_GATEWAY_ERROR', '微信支付暂时无法访问', { uncertain: true, detail: 'socket timeout' })
    world.gateway.failNext.set('refund', timeout)
    assertUnknownOutcome(await caught(sendRefund(world, order, entry, true, 'refundOrder')), timeout, /socket timeout/)
    stillReserved(world)
  })

  test('a refusal of a repeat keeps the refund reserved: the first may have gone through', async () => {
    const { world, order, entry } = reserved()
    const refusal = new AppError('PAY_GATEWAY_ERROR', '微信支付拒绝了这笔退款', { detail: 'SYSTEMERROR' })
    world.gateway.failNext.set('refund', refusal)
    assertUnknownOutcome(await caught(sendRefund(world, order, entry, false, 'reconcile')), refusal, /SYSTEMERROR/)
    stillReserved(world)
  })

  test('anything but a gateway refusal keeps the refund reserved', async () => {
    for (const failure of [new Error('ECONNRESET'), 'dropped', new AppError('CONFIG_ERROR', '退款暂不可用', { detail: 'no certificate' })]) {
      const { world, order, entry } = reserved()
      world.gateway.failNext.set('refund', failure)
      const detail = failure instanceof AppError ? /no certificate/ : failure instanceof Error ? /ECONNRESET/ : /dropped/
      assertUnknownOutcome(await caught(sendRefund(world, order, entry, true, 'refundOrder')), failure, detail)
      stillReserved(world)
    }
  })
})
