import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fen } from '../core/money'
import type { TradeState } from '../core/orderState'
import { AppError } from '../errors'
import type { OrderRecord, PaymentEvent, TradeQueryResult } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { confirmPayment } from './confirmPayment'

const ORDER = '20261128100000AbCdEfGhIjKlMn'
const MCH = '1900000109'
const payment = { timeStamp: '1764295200', nonceStr: 'n', package: 'prepay_id=wx-1', signType: 'MD5' as const, paySign: 'S' }
const paidTrade = (overrides: Partial<Extract<TradeQueryResult, { found: true }>> = {}): TradeQueryResult => ({
  found: true,
  tradeState: 'SUCCESS',
  mchId: MCH,
  totalFee: fen(1990),
  transactionId: 'wx-t1',
  timeEnd: '20261128100500',
  ...overrides,
})

function worldWith(order: Partial<OrderRecord> = {}, trade?: TradeQueryResult): MemoryWorld {
  const world = memoryWorld()
  world.orders.put(storedOrder({ outTradeNo: ORDER, payment, ...order }, world.clock))
  if (trade) world.gateway.trades.set(ORDER, trade)
  return world
}

const eventOf = (trade: TradeQueryResult, rest: Pick<PaymentEvent, 'decision' | 'reason'> & Partial<PaymentEvent>): PaymentEvent => ({
  kind: 'payment_query',
  source: 'confirmPayment',
  raw: { ...trade },
  mode: 'cloudpay',
  outTradeNo: ORDER,
  ...rest,
})

describe('confirmPayment: the gateway says paid', () => {
  test('an unpaid order becomes SUCCESS with the gateway’s transaction, recorded as applied', async (t) => {
    const out = captureConsole(t)
    const trade = paidTrade()
    const world = worldWith({}, trade)
    const view = await confirmPayment(world, 'shopper-1', { outTradeNo: ORDER, status: 'SUCCESS' })
    assert.deepEqual(world.gateway.callsOf('queryOrder'), [[ORDER]])
    assert.equal(view.status, 'SUCCESS')
    assert.equal(view.tradeStateDesc, '支付成功')
    assert.equal(view.transactionId, 'wx-t1')
    assert.equal(view.paidAt, '2026-11-28T02:05:00.000Z')
    assert.equal(view.payment, null)
    const order = await world.orders.get(ORDER)
    assert.equal(order?.status, 'SUCCESS')
    assert.equal(order?.tradeState, 'SUCCESS')
    assert.equal(order?.transactionId, 'wx-t1')
    assert.equal(order?.timeEnd, '20261128100500')
    assert.deepEqual(world.events.events, [eventOf(trade, { decision: 'applied', reason: 'paid', transition: { from: 'NOTPAY', to: 'SUCCESS' } })])
    assert.equal(out.log.length, 1)
  })

  test('a trade refunded since (REFUND) still proves the payment', async (t) => {
    captureConsole(t)
    const world = worldWith({}, paidTrade({ tradeState: 'REFUND' }))
    assert.equal((await confirmPayment(world, 'shopper-1', { outTradeNo: ORDER })).status, 'SUCCESS')
    assert.equal((await world.orders.get(ORDER))?.transactionId, 'wx-t1')
  })

  test('an order whose attempt failed (PAYERROR) becomes SUCCESS', async (t) => {
    captureConsole(t)
    const trade = paidTrade()
    const world = worldWith({ status: 'PAYERROR' }, trade)
    assert.equal((await confirmPayment(world, 'shopper-1', { outTradeNo: ORDER })).status, 'SUCCESS')
    assert.deepEqual(world.events.events, [eventOf(trade, { decision: 'applied', reason: 'paid', transition: { from: 'PAYERROR', to: 'SUCCESS' } })])
  })

  test('an order already paid or refunded is shown as it is, with nothing written or recorded', async () => {
    for (const status of ['SUCCESS', 'REFUND'] as const) {
      const world = worldWith({ status, transactionId: 'wx-t1', tradeState: status }, paidTrade({ tradeState: status }))
      const view = await confirmPayment(world, 'shopper-1', { outTradeNo: ORDER })
      assert.equal(view.status, status)
      assert.deepEqual(world.events.events, [], status)
      assert.deepEqual(world.orders.writes, [], status)
    }
  })

  test('a wrong amount or merchant is rejected, recorded, and the order stays unpaid', async (t) => {
    const out = captureConsole(t)
    const cases = [
      [paidTrade({ totalFee: fen(1) }), 'amount mismatch: paid 1 fen, order is 1990 fen'],
      [paidTrade({ mchId: '1900000999' }), `merchant mismatch: paid to 1900000999, order belongs to ${MCH}`],
    ] as const
    for (const [trade, reason] of cases) {
      const world = worldWith({}, trade)
      const view = await confirmPayment(world, 'shopper-1', { outTradeNo: ORDER })
      assert.equal(view.status, 'NOTPAY')
      assert.deepEqual(view.payment, payment)
      assert.equal((await world.orders.get(ORDER))?.status, 'NOTPAY')
      assert.deepEqual(world.events.events, [eventOf(trade, { decision: 'rejected', reason })])
      // One conditional update was tried, and its filter (amount, merchant) let nothing through.
      assert.deepEqual(world.orders.writes, [{ method: 'markPaid', outTradeNo: ORDER, changed: false }])
    }
    assert.equal(out.warn.length, 2)
  })
})

describe('confirmPayment: the gateway says not paid', () => {
  test('nothing the client says counts: NOTPAY, USERPAYING and an unknown trade change nothing', async () => {
    const states: TradeQueryResult[] = [{ found: false }, paidTrade({ tradeState: 'NOTPAY' }), paidTrade({ tradeState: 'USERPAYING' })]
    for (const trade of states) {
      for (const status of ['NOTPAY', 'PAYERROR'] as const) {
        const world = worldWith({ status }, trade)
        const view = await confirmPayment(world, 'shopper-1', { outTradeNo: ORDER, paid: true, status: 'SUCCESS', transactionId: 'wx-fake' })
        assert.equal(view.status, status, JSON.stringify(trade))
        assert.equal(view.transactionId, null)
        assert.deepEqual(world.events.events, [])
        assert.deepEqual(world.orders.writes, [])
      }
    }
  })

  test('CLOSED, REVOKED and PAYERROR end an order where the transition table allows it, recorded as applied', async () => {
    const cases: Array<[OrderRecord['status'], TradeState, OrderRecord['status']]> = [
      ['NOTPAY', 'CLOSED', 'CLOSED'],
      ['NOTPAY', 'REVOKED', 'CLOSED'],
      ['NOTPAY', 'PAYERROR', 'PAYERROR'],
      ['PAYERROR', 'CLOSED', 'CLOSED'],
    ]
    for (const [from, tradeState, to] of cases) {
      const trade = { found: true as const, tradeState, mchId: MCH }
      const world = worldWith({ status: from }, trade)
      const view = await confirmPayment(world, 'shopper-1', { outTradeNo: ORDER })
      assert.equal(view.status, to, `${from} + ${tradeState}`)
      assert.deepEqual(view.payment, to === 'PAYERROR' ? payment : null)
      const order = await world.orders.get(ORDER)
      assert.equal(order?.status, to)
      assert.equal(order?.tradeState, to)
      assert.deepEqual(world.events.events, [eventOf(trade, { decision: 'applied', reason: `gateway reports ${to}`, transition: { from, to } })])
    }
  })

  test('an end the transition table does not allow changes nothing and records nothing', async () => {
    const cases: Array<[OrderRecord['status'], TradeState]> = [
      ['PAYERROR', 'PAYERROR'],
      ['SUCCESS', 'CLOSED'],
      ['SUCCESS', 'PAYERROR'],
      ['CLOSED', 'CLOSED'],
      ['CLOSED', 'PAYERROR'],
      ['REFUND', 'REVOKED'],
    ]
    for (const [status, tradeState] of cases) {
      const world = worldWith({ status }, { found: true, tradeState, mchId: MCH })
      assert.equal((await confirmPayment(world, 'shopper-1', { outTradeNo: ORDER })).status, status, `${status} + ${tradeState}`)
      assert.deepEqual(world.events.events, [])
      assert.deepEqual(world.orders.writes, [])
    }
  })

  test('a paid state without the facts of a payment (no transaction or amount) changes nothing', async () => {
    for (const trade of [paidTrade({ transactionId: undefined }), paidTrade({ totalFee: undefined }), paidTrade({ tradeState: 'REFUND', transactionId: '' })]) {
      const world = worldWith({}, trade)
      assert.equal((await confirmPayment(world, 'shopper-1', { outTradeNo: ORDER })).status, 'NOTPAY')
      assert.deepEqual(world.events.events, [])
      assert.deepEqual(world.orders.writes, [])
    }
  })
})

describe('confirmPayment: whose order', () => {
  test('another shopper’s order is ORDER_NOT_FOUND and the gateway is never asked', async () => {
    const world = worldWith({}, paidTrade())
    await refusal(confirmPayment(world, 'shopper-2', { outTradeNo: ORDER }), 'ORDER_NOT_FOUND')
    assert.equal((await world.orders.get(ORDER))?.status, 'NOTPAY')
    assert.equal(world.gateway.calls.length, 0)
  })

  test('a malformed request is refused before the gateway is asked', async () => {
    const world = worldWith({}, paidTrade())
    for (const event of [{}, { outTradeNo: 'x' }, null, [ORDER]]) await refusal(confirmPayment(world, 'shopper-1', event), 'INVALID_ARGUMENT')
    assert.equal(world.gateway.calls.length, 0)
  })

  test('a gateway failure goes back to the shopper and changes nothing', async () => {
    const world = worldWith({}, paidTrade())
    world.gateway.failNext.set('queryOrder', new AppError('PAY_GATEWAY_ERROR', '微信支付暂时不可用，请稍后重试', { uncertain: true }))
    const failure = await refusal(confirmPayment(world, 'shopper-1', { outTradeNo: ORDER }), 'PAY_GATEWAY_ERROR')
    assert.equal(failure.uncertain, true)
    assert.deepEqual(world.orders.writes, [])
    assert.deepEqual(world.events.events, [])
  })
})
