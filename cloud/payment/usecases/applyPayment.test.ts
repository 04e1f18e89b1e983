import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fen, type Fen } from '../core/money'
import type { PaidFacts } from '../core/payment'
import type { OrderStatus } from '../core/orderState'
import type { OrderRecord, PaymentEvent } from '../ports'
import { captureConsole } from '../testing/assertions'
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { applyPaid, applyUnpaidEnd } from './applyPayment'

const ORDER = '20261128100000AbCdEfGhIjKlMn'
const MCH = '1900000109'
const facts: PaidFacts = { outTradeNo: ORDER, transactionId: 'wx-t1', totalFee: 1990 as Fen, mchId: MCH, timeEnd: '20261128100500' }
const meta = { kind: 'payment_notify' as const, source: 'payNotify', raw: { out_trade_no: ORDER, total_fee: '1990' } }

function worldWith(order: Partial<OrderRecord> | null, options: Parameters<typeof memoryWorld>[0] = {}): MemoryWorld {
  const world = memoryWorld(options)
  if (order) world.orders.put(storedOrder({ outTradeNo: ORDER, ...order }, world.clock))
  return world
}

const recorded = (rest: Pick<PaymentEvent, 'decision' | 'reason'> & Partial<PaymentEvent>): PaymentEvent => ({
  ...meta,
  mode: 'cloudpay',
  outTradeNo: ORDER,
  ...rest,
})

/** The next payment update first lets a racing writer change the order as `racer` says. */
function racedBy(world: MemoryWorld, racer: (doc: OrderRecord) => void): void {
  const markPaid = world.orders.markPaid.bind(world.orders)
  world.orders.markPaid = async (...args) => {
    world.orders.markPaid = markPaid
    const doc = world.orders.docs.get(ORDER)
    assert.ok(doc)
    racer(doc)
    return markPaid(...args)
  }
}

/** Counts the reads of the order. */
function countReads(world: MemoryWorld): { count: number } {
  const seen = { count: 0 }
  const get = world.orders.get.bind(world.orders)
  world.orders.get = async (outTradeNo) => {
    seen.count++
    return get(outTradeNo)
  }
  return seen
}

/** The next late-payment record first lets a racing writer change the order as `racer` says. */
function lateRacedBy(world: MemoryWorld, racer: (doc: OrderRecord) => void): void {
  const record = world.orders.recordLatePayment.bind(world.orders)
  world.orders.recordLatePayment = async (...args) => {
    world.orders.recordLatePayment = record
    const doc = world.orders.docs.get(ORDER)
    assert.ok(doc)
    racer(doc)
    return record(...args)
  }
}

describe('applyPaid: applies', () => {
  test('NOTPAY → SUCCESS with the transaction and the time it was paid, recorded as applied', async (t) => {
    const out = captureConsole(t)
    const world = worldWith({})
    const reads = countReads(world)
    const result = await applyPaid(world, facts, meta)
    // One conditional update and nothing read: the filter held the amount and merchant checks.
    assert.equal(reads.count, 0)
    assert.deepEqual(world.orders.writes, [{ method: 'markPaid', outTradeNo: ORDER, changed: true }])
    const order = await world.orders.get(ORDER)
    assert.equal(order?.status, 'SUCCESS')
    assert.equal(order?.tradeState, 'SUCCESS')
    assert.equal(order?.transactionId, 'wx-t1')
    assert.equal(order?.timeEnd, '20261128100500')
    assert.deepEqual(order?.fulfilment, { state: 'PENDING' }, 'the same update starts the fulfilment')
    assert.deepEqual(result, { decision: 'applied', reason: 'paid', order: null }, 'nothing read, nothing to show')
    assert.deepEqual(world.events.events, [recorded({ decision: 'applied', reason: 'paid', transition: { from: 'NOTPAY', to: 'SUCCESS' } })])
    assert.deepEqual(out.log, [`order ${ORDER}: NOTPAY → SUCCESS (payment_notify, transaction wx-t1)`])
    assert.deepEqual(out.warn, [])
  })

  test('PAYERROR → SUCCESS: paid with the same prepay after a failed attempt', async (t) => {
    captureConsole(t)
    const world = worldWith({ status: 'PAYERROR' }, { mode: 'merchant' })
    const result = await applyPaid(world, facts, { ...meta, kind: 'payment_query', source: 'reconcile' })
    assert.equal(result.decision, 'applied')
    assert.equal(result.order?.status, 'SUCCESS')
    assert.deepEqual(world.events.events, [
      {
        ...meta,
        kind: 'payment_query',
        source: 'reconcile',
        mode: 'merchant',
        outTradeNo: ORDER,
        decision: 'applied',
        reason: 'paid',
        transition: { from: 'PAYERROR', to: 'SUCCESS' },
      },
    ])
  })

  test('without a payment time, none is stored', async (t) => {
    captureConsole(t)
    const world = worldWith({})
    const { timeEnd: _, ...withoutTime } = facts
    const result = await applyPaid(world, withoutTime, meta)
    assert.equal(result.decision, 'applied')
    assert.equal('timeEnd' in (world.orders.docs.get(ORDER) ?? {}), false)
    assert.equal('timeEnd' in (result.order ?? {}), false)
  })

  test('with the order the caller read, the answer shows it paid, still without reading it again', async (t) => {
    captureConsole(t)
    for (const status of ['NOTPAY', 'PAYERROR'] as const) {
      const world = worldWith({ status })
      const known = await world.orders.get(ORDER)
      assert.ok(known)
      const reads = countReads(world)
      const result = await applyPaid(world, facts, meta, known)
      assert.equal(reads.count, 0, status)
      assert.deepEqual(result.order, await world.orders.get(ORDER), status)
      assert.equal(result.order?.status, 'SUCCESS')
      assert.deepEqual(world.events.events[0]?.transition, { from: status, to: 'SUCCESS' })
    }
  })
})

describe('applyPaid: the update that pays holds the checks', () => {
  // The update matches nothing unless the stored amount, merchant and status are the paid ones:
  // an update that forgot one would pay the order here before anything was read.
  const cases: Array<[string, Partial<OrderRecord>, Partial<PaidFacts>]> = [
    ['the amount', {}, { totalFee: fen(1989) }],
    ['the merchant', {}, { mchId: '1900000108' }],
    ['the status', { status: 'CLOSED' }, {}],
  ]
  for (const [what, order, change] of cases) {
    test(`a payment that differs in ${what} changes nothing in that update`, async (t) => {
      captureConsole(t)
      const world = worldWith(order)
      const before = world.orders.docs.get(ORDER)
      assert.ok(before)
      assert.equal(await world.orders.markPaid(ORDER, 'NOTPAY', { ...facts, ...change }), false)
      assert.deepEqual(world.orders.docs.get(ORDER), before)
    })
  }

  test('an order not yet paid but not NOTPAY is read, then paid from the status it is in', async (t) => {
    captureConsole(t)
    const world = worldWith({ status: 'PAYERROR' })
    const reads = countReads(world)
    const result = await applyPaid(world, facts, meta)
    assert.equal(result.decision, 'applied')
    assert.equal(reads.count, 1)
    assert.deepEqual(
      world.orders.writes.map((w) => [w.method, w.changed]),
      [
        ['markPaid', false],
        ['markPaid', true],
      ],
    )
  })
})

describe('applyPaid: duplicates change nothing', () => {
  test('the payment already recorded on a paid or refunded order', async () => {
    for (const status of ['SUCCESS', 'REFUND'] as const) {
      const world = worldWith({ status, transactionId: 'wx-t1' })
      const before = await world.orders.get(ORDER)
      const result = await applyPaid(world, facts, meta)
      assert.deepEqual(result, { decision: 'duplicate', reason: `already ${status} with this transaction`, order: before })
      assert.deepEqual(world.orders.writes, [{ method: 'markPaid', outTradeNo: ORDER, changed: false }])
      assert.deepEqual(world.events.events, [recorded({ decision: 'duplicate', reason: `already ${status} with this transaction` })])
    }
  })
})

describe('applyPaid: rejects', () => {
  const cases: Array<[string, Partial<OrderRecord> | null, Partial<PaidFacts>, string]> = [
    ['a wrong amount', {}, { totalFee: fen(1) }, 'amount mismatch: paid 1 fen, order is 1990 fen'],
    ['another merchant', {}, { mchId: '1900000999' }, `merchant mismatch: paid to 1900000999, order belongs to ${MCH}`],
    ['an unknown order', null, {}, `unknown order ${ORDER}`],
    ['another transaction on a paid order', { status: 'SUCCESS', transactionId: 'wx-t0' }, {}, 'already paid with transaction wx-t0, not wx-t1'],
    ['a payment on a paid order that has no transaction', { status: 'SUCCESS' }, {}, 'already paid with transaction ?, not wx-t1'],
  ]
  for (const [name, order, change, reason] of cases) {
    test(name, async (t) => {
      const out = captureConsole(t)
      const world = worldWith(order)
      const before = await world.orders.get(ORDER)
      const result = await applyPaid(world, { ...facts, ...change }, meta)
      assert.deepEqual(result, { decision: 'rejected', reason, order: before })
      assert.deepEqual(await world.orders.get(ORDER), before)
      assert.deepEqual(world.orders.writes, [{ method: 'markPaid', outTradeNo: ORDER, changed: false }])
      assert.deepEqual(world.events.events, [recorded({ decision: 'rejected', reason })])
      assert.deepEqual(out.warn, [`order ${ORDER}: payment_notify rejected: ${reason}`])
    })
  }
})

describe('applyPaid: a payment on a CLOSED order', () => {
  test('is kept on the order for a refund, once, without reopening it', async (t) => {
    const out = captureConsole(t)
    const world = worldWith({ status: 'CLOSED', tradeState: 'CLOSED' })
    const result = await applyPaid(world, facts, meta)
    const reason = 'paid after the order was closed: recorded for a refund'
    assert.equal(result.decision, 'needs_refund')
    assert.equal(result.reason, reason)
    const order = await world.orders.get(ORDER)
    assert.equal(order?.status, 'CLOSED')
    assert.equal(order?.transactionId, undefined)
    assert.deepEqual(order?.latePayment, { transactionId: 'wx-t1', totalFee: 1990, timeEnd: '20261128100500' })
    assert.deepEqual(world.events.events, [recorded({ decision: 'needs_refund', reason })])
    assert.deepEqual(out.warn, [`order ${ORDER}: paid after it was closed (transaction wx-t1); recorded for a refund`])

    const again = await applyPaid(world, facts, meta)
    assert.deepEqual(again, { decision: 'duplicate', reason: 'late payment already recorded', order })
    const other = await applyPaid(world, { ...facts, transactionId: 'wx-t2' }, meta)
    assert.deepEqual(other, { decision: 'rejected', reason: 'closed order already has late payment wx-t1', order })
    assert.deepEqual((await world.orders.get(ORDER))?.latePayment, order?.latePayment)
    assert.deepEqual(
      world.events.events.map((e) => [e.decision, e.reason]),
      [
        ['needs_refund', reason],
        ['duplicate', 'late payment already recorded'],
        ['rejected', 'closed order already has late payment wx-t1'],
      ],
    )
    assert.equal(world.orders.writes.filter((w) => w.changed).length, 1)
  })

  test('without a payment time, the late payment has none', async (t) => {
    captureConsole(t)
    const world = worldWith({ status: 'CLOSED' })
    const { timeEnd: _, ...withoutTime } = facts
    assert.equal((await applyPaid(world, withoutTime, meta)).decision, 'needs_refund')
    assert.deepEqual(world.orders.docs.get(ORDER)?.latePayment, { transactionId: 'wx-t1', totalFee: 1990 })
    assert.equal('timeEnd' in (world.orders.docs.get(ORDER)?.latePayment ?? {}), false)
  })
})

describe('applyPaid: losing a race', () => {
  test('to the same payment is a duplicate, not an error', async (t) => {
    captureConsole(t)
    const world = worldWith({})
    racedBy(world, (doc) => Object.assign(doc, { status: 'SUCCESS', transactionId: 'wx-t1', tradeState: 'SUCCESS' }))
    const result = await applyPaid(world, facts, meta)
    assert.equal(result.decision, 'duplicate')
    assert.equal(result.reason, 'already SUCCESS with this transaction')
    assert.equal(result.order?.status, 'SUCCESS')
    assert.deepEqual(world.orders.writes, [{ method: 'markPaid', outTradeNo: ORDER, changed: false }])
    assert.deepEqual(world.events.events, [recorded({ decision: 'duplicate', reason: 'already SUCCESS with this transaction' })])
  })

  test('to another payment is rejected', async (t) => {
    captureConsole(t)
    const world = worldWith({})
    racedBy(world, (doc) => Object.assign(doc, { status: 'SUCCESS', transactionId: 'wx-t0' }))
    const result = await applyPaid(world, facts, meta)
    assert.equal(result.decision, 'rejected')
    assert.equal(result.reason, 'already paid with transaction wx-t0, not wx-t1')
    assert.equal(result.order?.transactionId, 'wx-t0')
  })

  test('to a close keeps the payment as a late one', async (t) => {
    captureConsole(t)
    const world = worldWith({})
    racedBy(world, (doc) => Object.assign(doc, { status: 'CLOSED' }))
    const result = await applyPaid(world, facts, meta)
    assert.equal(result.decision, 'needs_refund')
    assert.equal(result.order?.status, 'CLOSED')
    assert.deepEqual((await world.orders.get(ORDER))?.latePayment, { transactionId: 'wx-t1', totalFee: 1990, timeEnd: '20261128100500' })
    assert.deepEqual(world.events.events, [recorded({ decision: 'needs_refund', reason: 'paid after the order was closed: recorded for a refund' })])
  })

  test('a status change that applies nowhere, with the order still unpaid, is rejected for a retry', async (t) => {
    const out = captureConsole(t)
    const world = worldWith({})
    world.orders.markPaid = async () => false
    const result = await applyPaid(world, facts, meta)
    assert.deepEqual(result, { decision: 'rejected', reason: 'lost a race and could not apply', order: await world.orders.get(ORDER) })
    assert.deepEqual(world.events.events, [recorded({ decision: 'rejected', reason: 'lost a race and could not apply' })])
    assert.deepEqual(out.log, [])
  })

  test('to record the same late payment is a duplicate; another one is rejected', async (t) => {
    captureConsole(t)
    const late = { transactionId: 'wx-t1', totalFee: fen(1990) }
    const world = worldWith({ status: 'CLOSED' })
    lateRacedBy(world, (doc) => (doc.latePayment = late))
    const same = await applyPaid(world, facts, meta)
    assert.deepEqual([same.decision, same.reason], ['duplicate', 'late payment already recorded'])
    assert.deepEqual(same.order?.latePayment, late)

    const other = worldWith({ status: 'CLOSED' })
    lateRacedBy(other, (doc) => (doc.latePayment = { ...late, transactionId: 'wx-t0' }))
    const rejected = await applyPaid(other, facts, meta)
    assert.deepEqual([rejected.decision, rejected.reason], ['rejected', 'closed order already has late payment wx-t0'])
  })

  test('a late payment that cannot be recorded, with nothing recorded since, is rejected for a retry', async (t) => {
    const out = captureConsole(t)
    const world = worldWith({ status: 'CLOSED' })
    world.orders.recordLatePayment = async () => false
    const result = await applyPaid(world, facts, meta)
    assert.deepEqual([result.decision, result.reason], ['rejected', 'lost a race and could not apply'])
    assert.equal(result.order?.latePayment, undefined)
    assert.deepEqual(out.warn, [`order ${ORDER}: payment_notify rejected: lost a race and could not apply`])
  })
})

describe('applyUnpaidEnd', () => {
  const closeMeta = { kind: 'close' as const, source: 'reconcile', raw: { trade_state: 'CLOSED' } }
  const cases: Array<[OrderStatus, 'CLOSED' | 'PAYERROR']> = [
    ['NOTPAY', 'CLOSED'],
    ['NOTPAY', 'PAYERROR'],
    ['PAYERROR', 'CLOSED'],
  ]
  for (const [from, to] of cases) {
    test(`${from} → ${to} is applied and recorded`, async () => {
      const world = worldWith({ status: from })
      const order = await world.orders.get(ORDER)
      assert.ok(order)
      world.clock.advance(1000)
      const result = await applyUnpaidEnd(world, order, to, closeMeta)
      const latest = await world.orders.get(ORDER)
      assert.equal(latest?.status, to)
      assert.equal(latest?.tradeState, to)
      assert.deepEqual(latest?.updatedAt, new Date(world.clock.now()))
      assert.deepEqual(result, { decision: 'applied', reason: to, order: latest })
      assert.deepEqual(world.events.events, [
        { ...closeMeta, mode: 'cloudpay', outTradeNo: ORDER, decision: 'applied', reason: `gateway reports ${to}`, transition: { from, to } },
      ])
    })
  }

  test('an order that moved on meanwhile (paid) is left alone, recorded as no_change with what it is now', async () => {
    const world = worldWith({})
    const stale = await world.orders.get(ORDER)
    assert.ok(stale)
    Object.assign(world.orders.docs.get(ORDER) ?? {}, { status: 'SUCCESS', transactionId: 'wx-t1' })
    const result = await applyUnpaidEnd(world, stale, 'CLOSED', closeMeta)
    assert.equal(result.decision, 'no_change')
    assert.equal(result.reason, 'CLOSED')
    assert.equal(result.order?.status, 'SUCCESS')
    assert.deepEqual(world.events.events, [
      { ...closeMeta, mode: 'cloudpay', outTradeNo: ORDER, decision: 'no_change', reason: 'gateway reports CLOSED, order is SUCCESS' },
    ])
  })

  test('an order that is gone is recorded as such', async () => {
    const world = memoryWorld({ mode: 'merchant' })
    const result = await applyUnpaidEnd(world, storedOrder({ outTradeNo: ORDER }, world.clock), 'PAYERROR', closeMeta)
    assert.deepEqual(result, { decision: 'no_change', reason: 'PAYERROR', order: null })
    assert.deepEqual(world.events.events, [
      { ...closeMeta, mode: 'merchant', outTradeNo: ORDER, decision: 'no_change', reason: 'gateway reports PAYERROR, order is gone' },
    ])
  })
})
