// The order state machine as the database enforces it: every (from, to) pair of statuses walked
// through the real repository, over the real wx-server-sdk, against the local cloud. The table
// below is written out on purpose rather than read from core/orderState: it is the specification
// the code is checked against.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { orderRepository } from '../payment/adapters/orderRepository'
import { ORDER_STATUSES, type OrderStatus } from '../payment/contracts'
import { fen } from '../payment/core/money'
import type { OrderRepository, RefundEntry } from '../payment/ports'
import type { SdkDatabase } from '../payment/adapters/sdkTypes'
import { databaseFor, startTestCloud, type TestCloud } from '../local/testing/harness'

const ALLOWED: ReadonlyArray<readonly [OrderStatus, OrderStatus]> = [
  ['NOTPAY', 'SUCCESS'],
  ['NOTPAY', 'CLOSED'],
  ['NOTPAY', 'PAYERROR'],
  ['PAYERROR', 'SUCCESS'],
  ['PAYERROR', 'CLOSED'],
  ['SUCCESS', 'REFUND'],
]
const allowed = (from: OrderStatus, to: OrderStatus): boolean => ALLOWED.some(([f, t]) => f === from && t === to)

let cloud: TestCloud
let orders: OrderRepository
let serial = 0

before(async () => {
  cloud = await startTestCloud()
  orders = orderRepository(databaseFor(cloud.url) as SdkDatabase)
})
after(() => cloud.stop())

/** An order stored directly in `status`, paid in full and refunded in full where that fits. */
async function storedOrder(status: OrderStatus, extra: Record<string, unknown> = {}): Promise<string> {
  const outTradeNo = `20261128000000walk${String(++serial).padStart(10, '0')}`
  const paid = status === 'SUCCESS' || status === 'REFUND'
  await cloud.engine.insert('orders', [
    {
      _id: outTradeNo,
      outTradeNo,
      _openid: 'walker',
      items: [],
      totalFee: 500,
      status,
      mode: 'cloudpay',
      mchId: '1900000109',
      refundReservedFee: paid ? 500 : 0,
      refundedFee: paid ? 500 : 0,
      refundsPending: 0,
      refunds: {},
      createdAt: new Date(0),
      updatedAt: new Date(0),
      expireAt: new Date(0),
      ...extra,
    },
  ]).written
  return outTradeNo
}

const stored = (outTradeNo: string): Record<string, unknown> | undefined => cloud.engine.getById('orders', outTradeNo)?.doc

describe('every (from, to) pair through the real repository', () => {
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      const expected = allowed(from, to)
      test(`${from} → ${to}: ${expected ? 'changes the order exactly once' : 'changes nothing'}`, async () => {
        const outTradeNo = await storedOrder(from)
        const before = stored(outTradeNo)
        // Five racing writers: at most one may win, and only where the table allows it.
        const results = await Promise.all(
          Array.from({ length: 5 }, () => orders.transition(outTradeNo, to, { tradeState: to }, to === 'REFUND' ? { refundedFee: fen(500) } : undefined)),
        )
        const after = stored(outTradeNo)
        if (expected) {
          assert.equal(results.filter(Boolean).length, 1, String(results))
          assert.equal(after?.['status'], to)
          assert.equal(after?.['tradeState'], to)
        } else {
          assert.equal(results.filter(Boolean).length, 0, String(results))
          assert.deepEqual(after, before)
        }
      })
    }
  }

  test('SUCCESS → REFUND only once everything paid has gone back', async () => {
    const outTradeNo = await storedOrder('SUCCESS', { refundedFee: 300 })
    assert.equal(await orders.transition(outTradeNo, 'REFUND', { tradeState: 'REFUND' }, { refundedFee: fen(500) }), false)
    assert.equal(stored(outTradeNo)?.['status'], 'SUCCESS')
  })
})

describe('the other conditional updates obey the same table', () => {
  const entry = (outRefundNo: string, refundFee: number): RefundEntry => ({
    outRefundNo,
    refundFee: fen(refundFee),
    status: 'PROCESSING',
    requestedBy: 'staff',
    createdAt: new Date(),
  })

  for (const status of ORDER_STATUSES) {
    test(`a late payment is recorded on a ${status} order only if it is CLOSED`, async () => {
      const outTradeNo = await storedOrder(status)
      const recorded = await orders.recordLatePayment(outTradeNo, { transactionId: 'late-1', totalFee: fen(500) })
      assert.equal(recorded, status === 'CLOSED')
      assert.equal(stored(outTradeNo)?.['latePayment'] !== undefined, status === 'CLOSED')
      // Once: a second late payment never replaces the first.
      assert.equal(await orders.recordLatePayment(outTradeNo, { transactionId: 'late-2', totalFee: fen(500) }), false)
    })

    test(`a refund reservation on a ${status} order holds only while the status is what was read`, async () => {
      const outTradeNo = await storedOrder(status, { refundReservedFee: 0 })
      const other = ORDER_STATUSES.find((s) => s !== status) as OrderStatus
      assert.equal(await orders.reserveRefund(outTradeNo, entry('Rwalk-other', 100), { status: other, paidFee: fen(500) }), false)
      assert.equal(await orders.reserveRefund(outTradeNo, entry('Rwalk-same', 100), { status, paidFee: fen(500) }), true)
      assert.equal(stored(outTradeNo)?.['refundReservedFee'], 100)
    })
  }

  test('reservations never exceed what was paid, also when racing', async () => {
    const outTradeNo = await storedOrder('SUCCESS', { refundReservedFee: 0, refundedFee: 0 })
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => orders.reserveRefund(outTradeNo, entry(`Rrace-${i}`, 200), { status: 'SUCCESS', paidFee: fen(500) })),
    )
    assert.equal(results.filter(Boolean).length, 2)
    assert.equal(stored(outTradeNo)?.['refundReservedFee'], 400)
  })

  test('only payable orders are listed as unpaid for reconcile', async () => {
    const ids = new Map<OrderStatus, string>()
    for (const status of ORDER_STATUSES) ids.set(status, await storedOrder(status))
    const listed = new Set((await orders.listUnpaid(new Date(1000), 500)).map((o) => o.outTradeNo))
    for (const [status, id] of ids) assert.equal(listed.has(id), status === 'NOTPAY' || status === 'PAYERROR', status)
  })
})
