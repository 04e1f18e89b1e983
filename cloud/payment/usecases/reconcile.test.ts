import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, mock, test } from 'node:test'
import { fen } from '../core/money'
import { AppError } from '../errors'
import type { OrderRecord, PayGateway, PaymentEvent, RefundEntry, TradeQueryResult } from '../ports'
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { assertShopperWords } from '../testing/shopperWords'
import { CLOSE_MIN_AGE_MS, reconcile } from './reconcile'

const MIN = 60_000
const OPTIONS = { unpaidAfterMs: 15 * MIN, refundsAfterMs: 10 * MIN }
const MCH = '1900000109'

/** Order numbers that sort in the order they are made. */
const no = (i: number): string => `20261128100000AbCdEfGh${String(i).padStart(6, '0')}`
const A = no(1)
const B = no(2)

let warnings: string[]
beforeEach(() => {
  warnings = []
  mock.method(console, 'warn', (line: string) => void warnings.push(line))
  mock.method(console, 'log', () => undefined)
})
afterEach(() => mock.restoreAll())

/** Unpaid orders made now, expiring in `expiresInMs`; the clock then moves on by `ageMs`. */
function unpaid(w: MemoryWorld, outTradeNos: string[], ageMs = 20 * MIN, expiresInMs = 2 * 3600_000, overrides: Partial<OrderRecord> = {}): void {
  for (const outTradeNo of outTradeNos)
    w.orders.put(storedOrder({ outTradeNo, expireAt: new Date(w.clock.now() + expiresInMs), prepayId: 'wx-prepay-1', ...overrides }, w.clock))
  w.clock.advance(ageMs)
}

function paidTrade(totalFee = 1990, tradeState: 'SUCCESS' | 'REFUND' = 'SUCCESS', mchId = MCH): TradeQueryResult {
  return { found: true, tradeState, mchId, totalFee: fen(totalFee), transactionId: 'T-4200', timeEnd: '20261128102000' }
}

function trade(tradeState: 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR'): TradeQueryResult {
  return { found: true, tradeState, mchId: MCH }
}

function stored(w: MemoryWorld, outTradeNo = A): OrderRecord & { reconciledAt?: Date; refundsCheckedAt?: Date; cancelCheckedAt?: Date } {
  const doc = w.orders.docs.get(outTradeNo)
  assert.ok(doc)
  return doc
}

/** The world's gateway (its script and its record of calls), with some answers changed. */
function delegating(w: MemoryWorld, overrides: Partial<PayGateway>): PayGateway {
  const g = w.gateway
  return {
    mode: g.mode,
    mchId: g.mchId,
    unifiedOrder: (request) => g.unifiedOrder(request),
    queryOrder: (outTradeNo) => g.queryOrder(outTradeNo),
    closeOrder: (outTradeNo) => g.closeOrder(outTradeNo),
    assertCanRefund: () => g.assertCanRefund(),
    refund: (request) => g.refund(request),
    queryRefund: (outTradeNo, outRefundNo) => g.queryRefund(outTradeNo, outRefundNo),
    ...overrides,
  }
}

const empty = { checked: 0, paid: [], closed: [], refundsSettled: [], latePayments: [], received: [], shippingUploads: [], errors: [] }

describe('reconcile: which unpaid orders', () => {
  test('only unpaid orders older than the threshold are asked about', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 16 * MIN)
    unpaid(w, [B], 14 * MIN)
    w.orders.put(storedOrder({ outTradeNo: no(3), status: 'SUCCESS', createdAt: new Date(0) }, w.clock))
    w.orders.put(storedOrder({ outTradeNo: no(4), status: 'CLOSED', createdAt: new Date(0) }, w.clock))
    w.orders.put(storedOrder({ outTradeNo: no(5), status: 'PAYERROR', createdAt: new Date(0) }, w.clock))
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 2 })
    assert.deepEqual(w.gateway.callsOf('queryOrder'), [[no(5)], [A]])
    assert.deepEqual(stored(w).reconciledAt, new Date(w.clock.now()))
    assert.equal(stored(w, B).reconciledAt, undefined)
  })

  test('olderThanSeconds overrides the threshold', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 2 * MIN)
    assert.equal((await reconcile(w, OPTIONS, {})).checked, 0)
    assert.equal((await reconcile(w, OPTIONS, { olderThanSeconds: 121 })).checked, 0)
    assert.equal((await reconcile(w, OPTIONS, { olderThanSeconds: 119 })).checked, 1)
    assert.equal((await reconcile(w, OPTIONS, { olderThanSeconds: null })).checked, 0)
    w.clock.advance(1)
    assert.equal((await reconcile(w, OPTIONS, { olderThanSeconds: 0 })).checked, 1)
    assert.equal((await reconcile(w, OPTIONS, { olderThanSeconds: 7 * 24 * 3600 })).checked, 0)
  })

  test('a bad event or olderThanSeconds is refused in shopper words', async () => {
    const w = memoryWorld()
    unpaid(w, [A])
    for (const event of [
      null,
      'now',
      [],
      { olderThanSeconds: -1 },
      { olderThanSeconds: 7 * 24 * 3600 + 1 },
      { olderThanSeconds: 1.5 },
      { olderThanSeconds: '60' },
    ]) {
      await assert.rejects(reconcile(w, OPTIONS, event), (error: unknown) => {
        assert.ok(error instanceof AppError)
        assert.equal(error.code, 'INVALID_ARGUMENT')
        assertShopperWords(error.message)
        return true
      })
    }
    assert.deepEqual(w.gateway.calls, [])
  })

  test('at most 100 orders a run, least recently checked first', async () => {
    const w = memoryWorld()
    unpaid(
      w,
      Array.from({ length: 101 }, (_, i) => no(i + 1)),
      20 * MIN,
    )
    const first = await reconcile(w, OPTIONS, {})
    assert.equal(first.checked, 100)
    assert.equal(stored(w, no(101)).reconciledAt, undefined)
    w.clock.advance(MIN)
    const second = await reconcile(w, OPTIONS, {})
    assert.equal(second.checked, 100)
    assert.deepEqual(w.gateway.callsOf('queryOrder')[100], [no(101)])
  })
})

describe('reconcile: the gateway says', () => {
  for (const tradeState of ['SUCCESS', 'REFUND'] as const) {
    test(`${tradeState}: the order is paid`, async () => {
      const w = memoryWorld()
      unpaid(w, [A])
      w.gateway.trades.set(A, paidTrade(1990, tradeState))
      const result = await reconcile(w, OPTIONS, {})
      assert.deepEqual(result, { ...empty, checked: 1, paid: [A] })
      const order = stored(w)
      assert.equal(order.status, 'SUCCESS')
      assert.equal(order.transactionId, 'T-4200')
      assert.deepEqual(w.events.events, [
        {
          kind: 'payment_query',
          source: 'reconcile',
          raw: { ...paidTrade(1990, tradeState) },
          mode: 'cloudpay',
          outTradeNo: A,
          decision: 'applied',
          reason: 'paid',
          transition: { from: 'NOTPAY', to: 'SUCCESS' },
        } satisfies PaymentEvent,
      ])
    })
  }

  test('paid with another amount: rejected, and an expired order is not closed either', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 3 * 3600_000)
    w.gateway.trades.set(A, paidTrade(1))
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 1 })
    assert.equal(stored(w).status, 'NOTPAY')
    assert.deepEqual(w.gateway.callsOf('closeOrder'), [])
    assert.equal(w.events.events[0]?.decision, 'rejected')
  })

  for (const tradeState of ['CLOSED', 'REVOKED'] as const) {
    test(`${tradeState}: the order is closed here, not at the gateway again`, async () => {
      const w = memoryWorld()
      unpaid(w, [A], 3 * 3600_000)
      w.gateway.trades.set(A, trade(tradeState))
      const result = await reconcile(w, OPTIONS, {})
      assert.deepEqual(result, { ...empty, checked: 1, closed: [A] })
      assert.equal(stored(w).status, 'CLOSED')
      assert.equal(stored(w).tradeState, 'CLOSED')
      assert.deepEqual(w.gateway.callsOf('closeOrder'), [])
      assert.deepEqual(w.events.events, [
        {
          kind: 'payment_query',
          source: 'reconcile',
          raw: { ...trade(tradeState) },
          mode: 'cloudpay',
          outTradeNo: A,
          decision: 'applied',
          reason: 'gateway reports CLOSED',
          transition: { from: 'NOTPAY', to: 'CLOSED' },
        },
      ])
    })
  }

  test('CLOSED for an order closed meanwhile is not counted again', async () => {
    const w = memoryWorld()
    unpaid(w, [A])
    w.gateway.trades.set(A, trade('CLOSED'))
    const gateway = delegating(w, {
      queryOrder: async (outTradeNo) => {
        stored(w).status = 'CLOSED'
        return w.gateway.queryOrder(outTradeNo)
      },
    })
    const result = await reconcile({ ...w, gateway }, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 1 })
    assert.equal(w.events.events[0]?.decision, 'no_change')
  })

  test('USERPAYING: nothing, even when expired', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 3 * 3600_000)
    w.gateway.trades.set(A, trade('USERPAYING'))
    assert.deepEqual(await reconcile(w, OPTIONS, {}), { ...empty, checked: 1 })
    assert.equal(stored(w).status, 'NOTPAY')
    assert.deepEqual(w.gateway.callsOf('closeOrder'), [])
    assert.deepEqual(w.events.events, [])
  })

  test('NOTPAY before expiry: nothing', async () => {
    const w = memoryWorld()
    unpaid(w, [A])
    w.gateway.trades.set(A, trade('NOTPAY'))
    assert.deepEqual(await reconcile(w, OPTIONS, {}), { ...empty, checked: 1 })
    assert.equal(stored(w).status, 'NOTPAY')
    assert.deepEqual(w.gateway.calls, [{ api: 'queryOrder', args: [A] }])
    assert.deepEqual(w.events.events, [])
  })

  test('PAYERROR: a NOTPAY order becomes PAYERROR', async () => {
    const w = memoryWorld()
    unpaid(w, [A])
    w.gateway.trades.set(A, trade('PAYERROR'))
    assert.deepEqual(await reconcile(w, OPTIONS, {}), { ...empty, checked: 1 })
    assert.equal(stored(w).status, 'PAYERROR')
    assert.equal(stored(w).tradeState, 'PAYERROR')
    assert.deepEqual(
      w.events.events.map((e) => [e.kind, e.source, e.raw, e.decision, e.transition]),
      [['payment_query', 'reconcile', { ...trade('PAYERROR') }, 'applied', { from: 'NOTPAY', to: 'PAYERROR' }]],
    )
    assert.deepEqual(w.gateway.callsOf('closeOrder'), [])
  })

  test('PAYERROR again on a PAYERROR order records nothing; expired, it is closed', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 3 * 3600_000, 2 * 3600_000, { status: 'PAYERROR' })
    w.gateway.trades.set(A, trade('PAYERROR'))
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 1, closed: [A] })
    assert.deepEqual(w.gateway.callsOf('closeOrder'), [[A]])
    assert.equal(stored(w).status, 'CLOSED')
    assert.deepEqual(
      w.events.events.map((e) => [e.kind, e.decision]),
      [['close', 'applied']],
    )
  })

  test('PAYERROR on an expired NOTPAY order: failed, then closed', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 3 * 3600_000)
    w.gateway.trades.set(A, trade('PAYERROR'))
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 1, closed: [A] })
    assert.equal(stored(w).status, 'CLOSED')
    assert.deepEqual(
      w.events.events.map((e) => [e.kind, e.decision]),
      [
        ['payment_query', 'applied'],
        ['close', 'applied'],
      ],
    )
  })
})

describe('reconcile: expired unpaid orders are closed', () => {
  test('at the gateway first, then here', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 3 * 3600_000)
    w.gateway.trades.set(A, trade('NOTPAY'))
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 1, closed: [A] })
    assert.deepEqual(w.gateway.calls, [
      { api: 'queryOrder', args: [A] },
      { api: 'closeOrder', args: [A] },
    ])
    assert.equal(stored(w).status, 'CLOSED')
    assert.deepEqual(w.events.events, [
      {
        kind: 'close',
        source: 'reconcile',
        raw: { expiredAt: stored(w).expireAt.toISOString(), gateway: 'closed' },
        mode: 'cloudpay',
        outTradeNo: A,
        decision: 'applied',
        reason: 'gateway reports CLOSED',
        transition: { from: 'NOTPAY', to: 'CLOSED' },
      },
    ])
  })

  test('never prepaid: closed here without asking the gateway to close', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 3 * MIN, MIN, { prepayId: undefined })
    const result = await reconcile(w, OPTIONS, { olderThanSeconds: 60 })
    assert.deepEqual(result, { ...empty, checked: 1, closed: [A] })
    assert.deepEqual(w.gateway.callsOf('closeOrder'), [])
    assert.equal(stored(w).status, 'CLOSED')
    assert.deepEqual(w.events.events[0]?.raw, { expiredAt: stored(w).expireAt.toISOString(), gateway: 'never prepaid' })
  })

  test('not before it expires: expiring exactly now counts as expired', async () => {
    const early = memoryWorld()
    unpaid(early, [A], 30 * MIN, 30 * MIN + 1)
    early.gateway.trades.set(A, trade('NOTPAY'))
    assert.deepEqual(await reconcile(early, OPTIONS, {}), { ...empty, checked: 1 })
    assert.deepEqual(early.gateway.callsOf('closeOrder'), [])

    const due = memoryWorld()
    unpaid(due, [A], 30 * MIN, 30 * MIN)
    due.gateway.trades.set(A, trade('NOTPAY'))
    assert.deepEqual(await reconcile(due, OPTIONS, {}), { ...empty, checked: 1, closed: [A] })
  })

  test('not within 5 minutes of its creation at the gateway', async () => {
    assert.equal(CLOSE_MIN_AGE_MS, 5 * MIN)
    const young = memoryWorld()
    unpaid(young, [A], 5 * MIN - 1, MIN)
    young.gateway.trades.set(A, trade('NOTPAY'))
    assert.deepEqual(await reconcile(young, OPTIONS, { olderThanSeconds: 60 }), { ...empty, checked: 1 })
    assert.deepEqual(young.gateway.callsOf('closeOrder'), [])
    assert.equal(stored(young).status, 'NOTPAY')

    const old = memoryWorld()
    unpaid(old, [A], 5 * MIN, MIN)
    old.gateway.trades.set(A, trade('NOTPAY'))
    assert.deepEqual(await reconcile(old, OPTIONS, { olderThanSeconds: 60 }), { ...empty, checked: 1, closed: [A] })
    assert.deepEqual(old.gateway.callsOf('closeOrder'), [[A]])
  })

  test('paid meanwhile: asks again and applies the payment instead', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 3 * 3600_000)
    w.gateway.trades.set(A, trade('NOTPAY'))
    w.gateway.closes.set(A, { closed: false, reason: 'paid', detail: 'ORDERPAID' })
    const gateway = delegating(w, {
      closeOrder: async (outTradeNo) => {
        const answer = await w.gateway.closeOrder(outTradeNo)
        w.gateway.trades.set(A, paidTrade())
        return answer
      },
    })
    const result = await reconcile({ ...w, gateway }, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 1, paid: [A] })
    assert.equal(stored(w).status, 'SUCCESS')
    assert.deepEqual(
      w.gateway.calls.map((c) => c.api),
      ['queryOrder', 'closeOrder', 'queryOrder'],
    )
    assert.deepEqual(
      w.events.events.map((e) => [e.kind, e.decision, e.raw]),
      [['payment_query', 'applied', { ...paidTrade() }]],
    )
  })

  test('paid meanwhile while another run closed it here: the payment is kept and reported as late', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 3 * 3600_000)
    w.gateway.trades.set(A, trade('NOTPAY'))
    w.gateway.closes.set(A, { closed: false, reason: 'paid', detail: 'ORDERPAID' })
    const gateway = delegating(w, {
      closeOrder: async (outTradeNo) => {
        const answer = await w.gateway.closeOrder(outTradeNo)
        w.gateway.trades.set(A, paidTrade())
        const doc = w.orders.docs.get(A)
        if (doc) doc.status = 'CLOSED'
        return answer
      },
    })
    const result = await reconcile({ ...w, gateway }, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 1, latePayments: [A] })
    assert.equal(stored(w).latePayment?.totalFee, stored(w).totalFee)
  })

  test('paid meanwhile, but the second answer is not paid (or not this amount): nothing', async () => {
    for (const second of [trade('NOTPAY'), paidTrade(5)]) {
      const w = memoryWorld()
      unpaid(w, [A], 3 * 3600_000)
      w.gateway.trades.set(A, trade('NOTPAY'))
      w.gateway.closes.set(A, { closed: false, reason: 'paid', detail: 'ORDERPAID' })
      const gateway = delegating(w, {
        closeOrder: async (outTradeNo) => {
          const answer = await w.gateway.closeOrder(outTradeNo)
          w.gateway.trades.set(A, second)
          return answer
        },
      })
      assert.deepEqual(await reconcile({ ...w, gateway }, OPTIONS, {}), { ...empty, checked: 1 })
      assert.equal(stored(w).status, 'NOTPAY')
    }
  })

  test('too early at the gateway: left for the next run', async () => {
    const w = memoryWorld()
    unpaid(w, [A], 3 * 3600_000)
    w.gateway.trades.set(A, trade('NOTPAY'))
    w.gateway.closes.set(A, { closed: false, reason: 'too_early', detail: 'ORDERNOTREADY' })
    assert.deepEqual(await reconcile(w, OPTIONS, {}), { ...empty, checked: 1 })
    assert.equal(stored(w).status, 'NOTPAY')
    assert.deepEqual(w.events.events, [])
  })

  for (const reason of ['refused', 'not_found'] as const) {
    test(`a close ${reason} is reported, and the others go on`, async () => {
      const w = memoryWorld()
      unpaid(w, [A, B], 3 * 3600_000)
      w.gateway.trades.set(A, trade('NOTPAY'))
      w.gateway.trades.set(B, trade('NOTPAY'))
      w.gateway.closes.set(A, { closed: false, reason, detail: 'SYSTEMERROR' })
      const result = await reconcile(w, OPTIONS, {})
      assert.deepEqual(result, { ...empty, checked: 2, closed: [B], errors: [{ outTradeNo: A, message: '微信支付暂未关闭这笔订单，下次对账时重试' }] })
      assertShopperWords(result.errors[0]?.message ?? '')
      assert.equal(stored(w).status, 'NOTPAY')
      assert.equal(stored(w, B).status, 'CLOSED')
      assert.deepEqual(warnings, [`reconcile ${A}: PAY_GATEWAY_ERROR: 微信支付暂未关闭这笔订单，下次对账时重试 — close refused: SYSTEMERROR`])
    })
  }
})

describe('reconcile: one failure does not stop the rest', () => {
  test('a failed query is reported; the order is still marked checked', async () => {
    const w = memoryWorld()
    unpaid(w, [A, B])
    const timeout = new AppError('PAY_GATEWAY_ERROR', '微信支付暂时无法访问', { uncertain: true, detail: 'socket timeout' })
    w.gateway.failNext.set('queryOrder', timeout)
    w.gateway.trades.set(B, paidTrade())
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 2, paid: [B], errors: [{ outTradeNo: A, message: '微信支付暂时无法访问' }] })
    assertShopperWords(result.errors[0]?.message ?? '')
    assert.deepEqual(warnings, [`reconcile ${A}: PAY_GATEWAY_ERROR: 微信支付暂时无法访问 — socket timeout`])
    assert.deepEqual(stored(w).reconciledAt, new Date(w.clock.now()))
    assert.deepEqual(stored(w, B).reconciledAt, new Date(w.clock.now()))
  })

  test('whatever is thrown is reported as text', async () => {
    const w = memoryWorld()
    unpaid(w, [A])
    w.gateway.failNext.set('queryOrder', 'connection reset')
    assert.deepEqual((await reconcile(w, OPTIONS, {})).errors, [{ outTradeNo: A, message: 'connection reset' }])
  })

  test('a failure to mark an order checked is reported too', async () => {
    const w = memoryWorld()
    unpaid(w, [A, B])
    w.orders.markChecked = async (outTradeNo: string) => {
      if (outTradeNo === A) throw new Error('write conflict')
    }
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 2, errors: [{ outTradeNo: A, message: 'write conflict' }] })
    assert.deepEqual(w.gateway.callsOf('queryOrder'), [[A], [B]])
  })

  test('a payment that arrives for an order closed meanwhile is reported as a late payment', async () => {
    const w = memoryWorld()
    unpaid(w, [A])
    w.gateway.trades.set(A, paidTrade())
    const gateway = delegating(w, {
      queryOrder: async (outTradeNo) => {
        stored(w).status = 'CLOSED'
        return w.gateway.queryOrder(outTradeNo)
      },
    })
    const result = await reconcile({ ...w, gateway }, OPTIONS, {})
    assert.deepEqual(result, { ...empty, checked: 1, latePayments: [A] })
    assert.deepEqual(stored(w).latePayment, { transactionId: 'T-4200', totalFee: 1990, timeEnd: '20261128102000' })
    assert.equal(w.events.events[0]?.decision, 'needs_refund')
  })
})

describe('reconcile: refunds still processing', () => {
  /** A paid order with these refunds, each made `ageMs` before now. */
  function withRefunds(w: MemoryWorld, outTradeNo: string, refunds: Array<[string, number, RefundEntry['status'], number]>): void {
    const now = w.clock.now()
    const entries = refunds.map(([outRefundNo, refundFee, status, ageMs]): RefundEntry => ({
      outRefundNo,
      refundFee: fen(refundFee),
      status,
      requestedBy: 'staff-1',
      createdAt: new Date(now - ageMs),
    }))
    w.orders.put(
      storedOrder(
        {
          outTradeNo,
          status: 'SUCCESS',
          transactionId: 'T1',
          refundReservedFee: fen(entries.filter((e) => e.status !== 'FAILED').reduce((s, e) => s + e.refundFee, 0)),
          refundedFee: fen(entries.filter((e) => e.status === 'SUCCESS').reduce((s, e) => s + e.refundFee, 0)),
          refundsPending: entries.filter((e) => e.status === 'PROCESSING').length,
          refunds: Object.fromEntries(entries.map((e) => [e.outRefundNo, e])),
        },
        w.clock,
      ),
    )
  }

  test('a refund the gateway never received is sent again', async () => {
    const w = memoryWorld()
    withRefunds(w, A, [['RF000001', 600, 'PROCESSING', 10 * MIN]])
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, empty)
    assert.deepEqual(w.gateway.calls, [
      { api: 'queryRefund', args: [A, 'RF000001'] },
      { api: 'refund', args: [{ outTradeNo: A, outRefundNo: 'RF000001', totalFee: 1990, refundFee: 600 }] },
    ])
    assert.equal(stored(w).refunds['RF000001']?.status, 'PROCESSING')
    assert.deepEqual(stored(w).refundsCheckedAt, new Date(w.clock.now()))
  })

  test('a refused resend keeps the reservation: the first send may have gone through', async () => {
    const w = memoryWorld()
    withRefunds(w, A, [['RF000001', 600, 'PROCESSING', 10 * MIN]])
    w.gateway.failNext.set('refund', new AppError('PAY_GATEWAY_ERROR', '微信支付拒绝了这笔退款'))
    const result = await reconcile(w, OPTIONS, {})
    assert.equal(result.errors.length, 1)
    assert.match(result.errors[0]?.message ?? '', /^退款 RF000001 已登记/)
    assertShopperWords(result.errors[0]?.message ?? '')
    assert.equal(stored(w).refunds['RF000001']?.status, 'PROCESSING')
    assert.equal(stored(w).refundReservedFee, 600)
  })

  test('the gateway answer is applied: settled refunds are reported', async () => {
    const w = memoryWorld()
    withRefunds(w, A, [
      ['RF000001', 600, 'PROCESSING', 11 * MIN],
      ['RF000002', 400, 'PROCESSING', 12 * MIN],
      ['RF000003', 300, 'PROCESSING', 13 * MIN],
      ['RF000004', 100, 'SUCCESS', 60 * MIN],
      ['RF000005', 100, 'FAILED', 60 * MIN],
    ])
    w.gateway.refundAnswers.set('RF000001', { found: true, status: 'SUCCESS', refundFee: fen(600) })
    w.gateway.refundAnswers.set('RF000002', { found: true, status: 'CHANGE', refundFee: fen(400) })
    w.gateway.refundAnswers.set('RF000003', { found: true, status: 'PROCESSING', refundFee: fen(300) })
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, refundsSettled: ['RF000001', 'RF000002'] })
    assert.deepEqual(w.gateway.callsOf('queryRefund'), [
      [A, 'RF000001'],
      [A, 'RF000002'],
      [A, 'RF000003'],
    ])
    assert.deepEqual(w.gateway.callsOf('refund'), [])
    const order = stored(w)
    assert.equal(order.refunds['RF000001']?.status, 'SUCCESS')
    assert.equal(order.refunds['RF000002']?.status, 'FAILED')
    assert.equal(order.refunds['RF000003']?.status, 'PROCESSING')
    assert.equal(order.refundedFee, 700)
    assert.deepEqual(w.events.events, [
      {
        kind: 'refund_query',
        source: 'reconcile',
        raw: { found: true, status: 'SUCCESS', refundFee: 600 },
        mode: 'cloudpay',
        outTradeNo: A,
        decision: 'applied',
        reason: 'refund RF000001 SUCCESS',
      },
      {
        kind: 'refund_query',
        source: 'reconcile',
        raw: { found: true, status: 'CHANGE', refundFee: 400 },
        mode: 'cloudpay',
        outTradeNo: A,
        decision: 'applied',
        reason: 'refund RF000002 FAILED',
      },
    ])
  })

  test('a duplicate answer is not reported as settled', async () => {
    const w = memoryWorld()
    withRefunds(w, A, [['RF000001', 600, 'PROCESSING', 11 * MIN]])
    w.gateway.refundAnswers.set('RF000001', { found: true, status: 'SUCCESS', refundFee: fen(600) })
    // The callback settles it between the list and the query.
    const gateway = delegating(w, {
      queryRefund: async (outTradeNo, outRefundNo) => {
        await w.orders.settleRefund(outTradeNo, outRefundNo, fen(600), { status: 'SUCCESS' })
        return w.gateway.queryRefund(outTradeNo, outRefundNo)
      },
    })
    assert.deepEqual(await reconcile({ ...w, gateway }, OPTIONS, {}), empty)
    assert.equal(w.events.events[0]?.decision, 'duplicate')
  })

  test('a refund younger than the threshold is left alone', async () => {
    const w = memoryWorld()
    withRefunds(w, A, [['RF000001', 600, 'PROCESSING', 10 * MIN - 1]])
    assert.deepEqual(await reconcile(w, OPTIONS, {}), empty)
    assert.deepEqual(w.gateway.calls, [])
    assert.deepEqual(stored(w).refundsCheckedAt, new Date(w.clock.now()))
  })

  test('one failed query does not stop the other refunds or orders', async () => {
    const w = memoryWorld()
    withRefunds(w, A, [
      ['RF000001', 600, 'PROCESSING', 11 * MIN],
      ['RF000002', 400, 'PROCESSING', 11 * MIN],
    ])
    withRefunds(w, B, [['RF000003', 300, 'PROCESSING', 11 * MIN]])
    w.gateway.failNext.set('queryRefund', new Error('socket hang up'))
    w.gateway.refundAnswers.set('RF000002', { found: true, status: 'SUCCESS', refundFee: fen(400) })
    w.gateway.refundAnswers.set('RF000003', { found: true, status: 'SUCCESS', refundFee: fen(300) })
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, refundsSettled: ['RF000002', 'RF000003'], errors: [{ outTradeNo: A, message: 'socket hang up' }] })
    assert.deepEqual(warnings, [`reconcile ${A}: socket hang up`])
  })

  test('a failure to mark refunds checked is reported', async () => {
    const w = memoryWorld()
    withRefunds(w, A, [['RF000001', 600, 'PROCESSING', MIN]])
    w.orders.markChecked = async () => {
      throw new Error('write conflict')
    }
    assert.deepEqual(await reconcile(w, OPTIONS, {}), { ...empty, errors: [{ outTradeNo: A, message: 'write conflict' }] })
  })

  test('at most 100 orders with refunds a run', async () => {
    const w = memoryWorld()
    for (let i = 1; i <= 101; i++) withRefunds(w, no(i), [['RF000001', 600, 'PROCESSING', 11 * MIN]])
    await reconcile(w, OPTIONS, {})
    assert.equal(w.gateway.callsOf('queryRefund').length, 100)
  })
})

describe('reconcile: shipped orders are received after AUTO_RECEIVE_DAYS', () => {
  const DAY = 24 * 3600_000
  /** An order shipped `ago` ms before the world's now. */
  function shipped(w: MemoryWorld, outTradeNo: string, ago: number, state: 'SHIPPED' | 'RECEIVED' = 'SHIPPED'): void {
    const fulfilment = { state, carrier: '顺丰速运', trackingNo: 'SF1', shippedAt: new Date(w.clock.now() - ago) }
    w.orders.put(storedOrder({ outTradeNo, status: 'SUCCESS', transactionId: 'T', fulfilment }, w.clock))
  }

  test('shipped ten days ago or more: RECEIVED by the timer; less, or received already, left alone', async () => {
    const w = memoryWorld()
    shipped(w, A, 10 * DAY)
    shipped(w, B, 10 * DAY - 1)
    shipped(w, no(3), 30 * DAY)
    shipped(w, no(4), 30 * DAY, 'RECEIVED')
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, { ...empty, received: [no(3), A] }, 'longest shipped first')
    assert.deepEqual(stored(w).fulfilment, {
      state: 'RECEIVED',
      carrier: '顺丰速运',
      trackingNo: 'SF1',
      shippedAt: new Date(w.clock.now() - 10 * DAY),
      receivedAt: new Date(w.clock.now()),
      autoReceived: true,
    })
    assert.equal(stored(w, B).fulfilment?.state, 'SHIPPED')
    assert.equal(stored(w, no(4)).fulfilment?.receivedAt, undefined)
    assert.deepEqual(w.gateway.calls, [])
    assert.deepEqual((await reconcile(w, OPTIONS, {})).received, [], 'a second run changes nothing')
  })

  test('the shopper confirming first wins: not counted, not marked automatic', async () => {
    const w = memoryWorld()
    shipped(w, A, 11 * DAY)
    const confirmReceipt = w.orders.confirmReceipt.bind(w.orders)
    w.orders.confirmReceipt = async (outTradeNo, receipt) => {
      await confirmReceipt(outTradeNo, { at: receipt.at, auto: false })
      return confirmReceipt(outTradeNo, receipt)
    }
    assert.deepEqual(await reconcile(w, OPTIONS, {}), empty)
    assert.equal(stored(w).fulfilment?.autoReceived, false)
  })

  test('one failure is reported and the others are still received; at most 100 a run', async () => {
    const w = memoryWorld()
    for (let i = 1; i <= 101; i++) shipped(w, no(i), 20 * DAY + i)
    const confirmReceipt = w.orders.confirmReceipt.bind(w.orders)
    w.orders.confirmReceipt = async (outTradeNo, receipt) => {
      if (outTradeNo === no(101)) throw new Error('write conflict')
      return confirmReceipt(outTradeNo, receipt)
    }
    const result = await reconcile(w, OPTIONS, {})
    assert.equal(result.received.length, 99)
    assert.deepEqual(result.errors, [{ outTradeNo: no(101), message: 'write conflict' }])
    assert.equal(stored(w, no(1)).fulfilment?.state, 'SHIPPED', 'the 101st longest shipped waits for the next run')
  })
})

describe('reconcile: orders cancelled before shipping get their refund', () => {
  const cancelled = (w: MemoryWorld, outTradeNo: string, overrides: Partial<OrderRecord> = {}): void =>
    w.orders.put(storedOrder({ outTradeNo, status: 'SUCCESS', transactionId: 'T', fulfilment: { state: 'CANCELLED' }, ...overrides }, w.clock))

  test('cancelled with no refund reserved (a crash after the cancel): reserved and sent, once', async () => {
    const w = memoryWorld()
    cancelled(w, A)
    const result = await reconcile(w, OPTIONS, {})
    assert.deepEqual(result, empty)
    assert.deepEqual(w.gateway.callsOf('refund'), [[{ outTradeNo: A, outRefundNo: `C${A}`, totalFee: 1990, refundFee: 1990 }]])
    assert.equal(stored(w).refunds[`C${A}`]?.status, 'PROCESSING')
    assert.equal(w.events.events[0]?.source, 'reconcile')
    await reconcile(w, OPTIONS, {})
    assert.equal(w.gateway.callsOf('refund').length, 1, 'in flight now: left to the refunds still processing')
  })

  test('refunded already, not cancelled, or not paid: left alone', async () => {
    const w = memoryWorld()
    cancelled(w, A, { status: 'REFUND', refundReservedFee: fen(1990), refundedFee: fen(1990) })
    w.orders.put(storedOrder({ outTradeNo: B, status: 'SUCCESS', transactionId: 'T' }, w.clock))
    w.orders.put(storedOrder({ outTradeNo: no(3), status: 'CLOSED' }, w.clock))
    assert.deepEqual(await reconcile(w, OPTIONS, {}), empty)
    assert.deepEqual(w.gateway.calls, [])
    assert.equal(stored(w, B).cancelCheckedAt, undefined)
  })

  test('a cancel refund refused outright needs staff: reported every run, never sent again', async () => {
    const w = memoryWorld()
    const failedAt = new Date(w.clock.now())
    cancelled(w, A, {
      refunds: {
        [`C${A}`]: {
          outRefundNo: `C${A}`,
          refundFee: fen(1990),
          status: 'FAILED',
          requestedBy: 'shopper-1',
          failure: 'NOTENOUGH',
          createdAt: failedAt,
          settledAt: failedAt,
        },
      },
    })
    for (let run = 0; run < 2; run++) {
      const result = await reconcile(w, OPTIONS, {})
      assert.deepEqual(result, { ...empty, errors: [{ outTradeNo: A, message: '取消订单的退款未成功，需要商家处理' }] })
    }
    assert.deepEqual(w.gateway.calls, [])
    assert.deepEqual(warnings[0], `reconcile ${A}: PAY_GATEWAY_ERROR: 取消订单的退款未成功，需要商家处理 — cancel refund C${A} failed: NOTENOUGH`)
  })

  test('one failure does not stop the others; each is marked checked, least recently checked first', async () => {
    const w = memoryWorld()
    cancelled(w, A)
    cancelled(w, B)
    w.gateway.failNext.set('refund', new AppError('PAY_GATEWAY_ERROR', '微信支付暂时不可用', { uncertain: true }))
    const result = await reconcile(w, OPTIONS, {})
    assert.equal(result.errors.length, 1)
    assert.deepEqual(
      w.gateway.callsOf('refund').map(([r]) => (r as { outRefundNo: string }).outRefundNo),
      [`C${A}`, `C${B}`],
    )
    assert.deepEqual(stored(w, A).cancelCheckedAt, new Date(w.clock.now()))
    assert.deepEqual(stored(w, B).cancelCheckedAt, new Date(w.clock.now()))
  })

  test('a failure to mark one checked is reported too', async () => {
    const w = memoryWorld()
    cancelled(w, A, { refundReservedFee: fen(1990) })
    w.orders.markChecked = async () => {
      throw new Error('write conflict')
    }
    assert.deepEqual(await reconcile(w, OPTIONS, {}), { ...empty, errors: [{ outTradeNo: A, message: 'write conflict' }] })
  })

  test('at most 100 a run, least recently checked first', async () => {
    const w = memoryWorld()
    for (let i = 1; i <= 101; i++) cancelled(w, no(i), { refundReservedFee: fen(1990) })
    const seen: string[] = []
    const list = w.orders.listCancelledUnrefunded.bind(w.orders)
    w.orders.listCancelledUnrefunded = async (limit) => {
      const found = await list(limit)
      seen.push(...found.map((o) => o.outTradeNo))
      return found
    }
    await reconcile(w, OPTIONS, {})
    assert.equal(seen.length, 100)
    w.clock.advance(MIN)
    await reconcile(w, OPTIONS, {})
    assert.ok(!seen.slice(0, 100).includes(seen[100] ?? ''), 'the one left out comes first next time')
  })
})
