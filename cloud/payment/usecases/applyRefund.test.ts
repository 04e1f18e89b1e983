import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, mock, test } from 'node:test'
import { fen } from '../core/money'
import type { RefundFacts } from '../core/refund'
import type { OrderRecord, PaymentEvent, RefundEntry } from '../ports'

type Meta = Pick<PaymentEvent, 'kind' | 'source' | 'raw'>
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { applyRefund } from './applyRefund'

const NO = '20261128100000AbCdEfGhIjKlMn'
const MCH = '1900000109'
const AT = new Date(Date.UTC(2026, 10, 28, 1))
const NOTIFY: Meta = { kind: 'refund_notify', source: 'payNotify', raw: { from: 'test' } }
const QUERY: Meta = { kind: 'refund_query', source: 'reconcile', raw: { from: 'query' } }

let logs: { log: string[]; warn: string[] }
beforeEach(() => {
  logs = { log: [], warn: [] }
  mock.method(console, 'log', (line: string) => void logs.log.push(line))
  mock.method(console, 'warn', (line: string) => void logs.warn.push(line))
})
afterEach(() => mock.restoreAll())

function refund(outRefundNo: string, refundFee: number, status: RefundEntry['status'] = 'PROCESSING'): RefundEntry {
  return { outRefundNo, refundFee: fen(refundFee), status, requestedBy: 'staff-1', createdAt: AT, ...(status === 'FAILED' ? { failure: 'refund CHANGE' } : {}) }
}

/** A paid order of 1990 fen with these refunds; the counters follow from their states. */
function world(refunds: RefundEntry[], overrides: Partial<OrderRecord> = {}): MemoryWorld {
  const w = memoryWorld()
  const sum = (pick: (r: RefundEntry) => boolean): number => refunds.filter(pick).reduce((s, r) => s + r.refundFee, 0)
  w.orders.put(
    storedOrder(
      {
        outTradeNo: NO,
        status: 'SUCCESS',
        tradeState: 'SUCCESS',
        transactionId: 'T1',
        refundReservedFee: fen(sum((r) => r.status !== 'FAILED')),
        refundedFee: fen(sum((r) => r.status === 'SUCCESS')),
        refundsPending: refunds.filter((r) => r.status === 'PROCESSING').length,
        refunds: Object.fromEntries(refunds.map((r) => [r.outRefundNo, r])),
        ...overrides,
      },
      w.clock,
    ),
  )
  return w
}

function facts(outRefundNo: string, refundFee: number, status: RefundFacts['status'], more: Partial<RefundFacts> = {}): RefundFacts {
  return { outTradeNo: NO, outRefundNo, refundFee: fen(refundFee), status, mchId: MCH, ...more }
}

function stored(w: MemoryWorld): OrderRecord {
  const doc = w.orders.docs.get(NO)
  assert.ok(doc)
  return doc
}

function event(decision: PaymentEvent['decision'], reason: string, extra: Partial<PaymentEvent> = {}, meta: Meta = NOTIFY): PaymentEvent {
  return { ...meta, mode: 'cloudpay', outTradeNo: NO, decision, reason, ...extra }
}

describe('applyRefund: the money went back', () => {
  test('a partial refund is counted; the order stays paid', async () => {
    const w = world([refund('RF000001', 600), refund('RF000002', 400)])
    w.clock.advance(60_000)
    const result = await applyRefund(w, facts('RF000001', 600, 'SUCCESS'), NOTIFY)
    assert.equal(result.decision, 'applied')
    const order = stored(w)
    assert.deepEqual(result.order, order)
    assert.equal(order.status, 'SUCCESS')
    assert.equal(order.refundedFee, 600)
    assert.equal(order.refundReservedFee, 1000)
    assert.equal(order.refundsPending, 1)
    assert.equal(order.refunds['RF000001']?.status, 'SUCCESS')
    assert.deepEqual(order.refunds['RF000001']?.settledAt, new Date(w.clock.now()))
    assert.equal(order.refunds['RF000002']?.status, 'PROCESSING')
    assert.deepEqual(w.events.events, [event('applied', 'refund RF000001 SUCCESS')])
    assert.deepEqual(logs.log, [`order ${NO}: refund RF000001 SUCCESS (600 fen)`])
    assert.deepEqual(logs.warn, [])
  })

  test('the order becomes REFUND once everything paid is back', async () => {
    const w = world([refund('RF000001', 1000, 'SUCCESS'), refund('RF000002', 990)])
    const result = await applyRefund(w, facts('RF000002', 990, 'SUCCESS'), NOTIFY)
    assert.equal(result.decision, 'applied')
    assert.equal(result.order?.status, 'REFUND')
    assert.equal(stored(w).status, 'REFUND')
    assert.equal(stored(w).tradeState, 'REFUND')
    assert.equal(stored(w).refundedFee, 1990)
    assert.deepEqual(w.events.events, [event('applied', 'refund RF000002 SUCCESS', { transition: { from: 'SUCCESS', to: 'REFUND' } })])
  })

  test('not while another refund of the rest is still processing', async () => {
    const w = world([refund('RF000001', 1000), refund('RF000002', 990)])
    await applyRefund(w, facts('RF000002', 990, 'SUCCESS'), NOTIFY)
    assert.equal(stored(w).status, 'SUCCESS')
    const result = await applyRefund(w, facts('RF000001', 1000, 'SUCCESS'), QUERY)
    assert.equal(result.decision, 'applied')
    assert.equal(stored(w).status, 'REFUND')
    assert.deepEqual(w.events.events[1], event('applied', 'refund RF000001 SUCCESS', { transition: { from: 'SUCCESS', to: 'REFUND' } }, QUERY))
  })

  test('a duplicate changes nothing and is recorded as one', async () => {
    const w = world([refund('RF000001', 600)])
    await applyRefund(w, facts('RF000001', 600, 'SUCCESS'), NOTIFY)
    const again = await applyRefund(w, facts('RF000001', 600, 'SUCCESS'), NOTIFY)
    assert.equal(again.decision, 'duplicate')
    assert.equal(stored(w).refundedFee, 600)
    assert.equal(stored(w).refundsPending, 0)
    assert.equal(stored(w).status, 'SUCCESS')
    assert.deepEqual(w.events.events[1], event('duplicate', 'refund already SUCCESS'))
    assert.deepEqual(logs.warn, [])
  })

  test('a duplicate still completes a fully refunded order left paid by a crash', async () => {
    const w = world([refund('RF000001', 1990, 'SUCCESS')])
    assert.equal(stored(w).status, 'SUCCESS')
    const result = await applyRefund(w, facts('RF000001', 1990, 'SUCCESS'), QUERY)
    assert.equal(result.decision, 'duplicate')
    assert.equal(stored(w).status, 'REFUND')
    assert.equal(stored(w).refundedFee, 1990)
    assert.deepEqual(w.events.events, [event('duplicate', 'refund already SUCCESS', { transition: { from: 'SUCCESS', to: 'REFUND' } }, QUERY)])
  })

  test('a refund marked failed that the gateway says succeeded is counted after all', async () => {
    const w = world([refund('RF000001', 1990, 'FAILED')])
    assert.equal(stored(w).refundReservedFee, 0)
    const result = await applyRefund(w, facts('RF000001', 1990, 'SUCCESS'), NOTIFY)
    assert.equal(result.decision, 'applied')
    const order = stored(w)
    assert.equal(order.refunds['RF000001']?.status, 'SUCCESS')
    assert.equal(order.refunds['RF000001']?.failure, undefined)
    assert.equal(order.refundReservedFee, 1990)
    assert.equal(order.refundedFee, 1990)
    assert.equal(order.status, 'REFUND')
    assert.deepEqual(w.events.events, [
      event('applied', 'refund RF000001 SUCCESS (it had been marked failed)', { transition: { from: 'SUCCESS', to: 'REFUND' } }),
    ])
  })
})

describe('applyRefund: the refund failed', () => {
  for (const status of ['CHANGE', 'REFUNDCLOSE'] as const) {
    test(`${status} releases the reservation`, async () => {
      const w = world([refund('RF000001', 600), refund('RF000002', 400)])
      const result = await applyRefund(w, facts('RF000001', 600, status), NOTIFY)
      assert.equal(result.decision, 'applied')
      const order = stored(w)
      assert.equal(order.refunds['RF000001']?.status, 'FAILED')
      assert.equal(order.refunds['RF000001']?.failure, `refund ${status}`)
      assert.equal(order.refundReservedFee, 400)
      assert.equal(order.refundedFee, 0)
      assert.equal(order.refundsPending, 1)
      assert.equal(order.status, 'SUCCESS')
      assert.deepEqual(w.events.events, [event('applied', 'refund RF000001 FAILED')])
      assert.deepEqual(logs.log, [`order ${NO}: refund RF000001 FAILED (600 fen)`])
    })
  }

  test('a repeated failure is a duplicate and releases nothing twice', async () => {
    const w = world([refund('RF000001', 600), refund('RF000002', 400)])
    await applyRefund(w, facts('RF000001', 600, 'CHANGE'), NOTIFY)
    const again = await applyRefund(w, facts('RF000001', 600, 'REFUNDCLOSE'), NOTIFY)
    assert.equal(again.decision, 'duplicate')
    assert.equal(stored(w).refundReservedFee, 400)
    assert.deepEqual(w.events.events[1], event('duplicate', 'refund already FAILED'))
  })

  test('a failure never moves the order to REFUND, even a duplicate on a fully refunded order', async () => {
    // 100 failed first; then all 1990 went back, and a crash left the order paid.
    const w = world([refund('RF000001', 100, 'FAILED'), refund('RF000002', 1990, 'SUCCESS')])
    const result = await applyRefund(w, facts('RF000001', 100, 'CHANGE'), NOTIFY)
    assert.equal(result.decision, 'duplicate')
    assert.equal(stored(w).status, 'SUCCESS')
    assert.deepEqual(w.events.events, [event('duplicate', 'refund already FAILED')])
  })

  test('a refund that succeeded cannot fail afterwards', async () => {
    const w = world([refund('RF000001', 600, 'SUCCESS')])
    const result = await applyRefund(w, facts('RF000001', 600, 'CHANGE'), NOTIFY)
    assert.equal(result.decision, 'rejected')
    assert.equal(stored(w).refunds['RF000001']?.status, 'SUCCESS')
    assert.equal(stored(w).refundedFee, 600)
    assert.equal(stored(w).refundReservedFee, 600)
    assert.deepEqual(w.events.events, [event('rejected', 'refund is SUCCESS, cannot become FAILED')])
    assert.deepEqual(logs.warn, [`order ${NO}: refund_notify rejected: refund is SUCCESS, cannot become FAILED`])
  })
})

describe('applyRefund: still processing', () => {
  test('changes nothing; recorded for a notification, not for a query', async () => {
    const w = world([refund('RF000001', 600)])
    const notified = await applyRefund(w, facts('RF000001', 600, 'PROCESSING'), NOTIFY)
    assert.equal(notified.decision, 'no_change')
    const queried = await applyRefund(w, facts('RF000001', 600, 'PROCESSING'), QUERY)
    assert.equal(queried.decision, 'no_change')
    assert.equal(stored(w).refunds['RF000001']?.status, 'PROCESSING')
    assert.equal(stored(w).refundReservedFee, 600)
    assert.equal(w.orders.writes.length, 0)
    assert.deepEqual(w.events.events, [event('no_change', 'still processing')])
    assert.deepEqual(logs.warn, [])
  })
})

describe('applyRefund: what does not match is rejected and recorded', () => {
  const cases: Array<[string, RefundFacts, string]> = [
    ['an unknown order', facts('RF000001', 600, 'SUCCESS', { outTradeNo: '20261128100000ZZZZZZZZZZZZZZ' }), 'unknown order 20261128100000ZZZZZZZZZZZZZZ'],
    ['another merchant', facts('RF000001', 600, 'SUCCESS', { mchId: '1900000999' }), `merchant mismatch: refund from 1900000999, order belongs to ${MCH}`],
    ['an unknown refund', facts('RF000009', 600, 'SUCCESS'), 'unknown refund RF000009'],
    ['another amount', facts('RF000001', 601, 'SUCCESS'), 'amount mismatch: refund of 601 fen, requested 600 fen'],
    ['another amount, failing', facts('RF000001', 599, 'CHANGE'), 'amount mismatch: refund of 599 fen, requested 600 fen'],
    [
      'another merchant, processing',
      facts('RF000001', 600, 'PROCESSING', { mchId: '1900000999' }),
      `merchant mismatch: refund from 1900000999, order belongs to ${MCH}`,
    ],
  ]
  for (const [what, given, reason] of cases) {
    test(what, async () => {
      const w = world([refund('RF000001', 600)], { refundReservedFee: fen(600) })
      const before = structuredClone(stored(w))
      const result = await applyRefund(w, given, QUERY)
      assert.equal(result.decision, 'rejected')
      assert.deepEqual(stored(w), before)
      assert.equal(w.orders.writes.length, 0)
      assert.deepEqual(w.events.events, [{ ...QUERY, mode: 'cloudpay', outTradeNo: given.outTradeNo, decision: 'rejected', reason }])
      assert.deepEqual(logs.warn, [`order ${given.outTradeNo}: refund_query rejected: ${reason}`])
      assert.deepEqual(result.order, given.outTradeNo === NO ? before : null)
    })
  }

  test('an order that vanished in a race is rejected', async () => {
    const w = world([refund('RF000001', 600)])
    const settle = w.orders.settleRefund.bind(w.orders)
    w.orders.settleRefund = async (...args) => {
      w.orders.docs.delete(NO)
      return settle(...args)
    }
    const result = await applyRefund(w, facts('RF000001', 600, 'SUCCESS'), NOTIFY)
    assert.equal(result.decision, 'rejected')
    assert.equal(result.order, null)
    assert.deepEqual(w.events.events, [event('rejected', 'refund is gone, cannot become SUCCESS')])
  })

  test('a refund that vanished in a race is rejected, and the order is not moved', async () => {
    const w = world([refund('RF000001', 1990, 'SUCCESS')])
    // Another writer removes the refund between the read and the settlement.
    const settle = w.orders.settleRefund.bind(w.orders)
    w.orders.settleRefund = async (...args) => {
      delete stored(w).refunds['RF000001']
      return settle(...args)
    }
    const result = await applyRefund(w, facts('RF000001', 1990, 'SUCCESS'), NOTIFY)
    assert.equal(result.decision, 'rejected')
    assert.equal(stored(w).status, 'SUCCESS')
    assert.deepEqual(w.events.events, [event('rejected', 'refund is gone, cannot become SUCCESS')])
  })
})
