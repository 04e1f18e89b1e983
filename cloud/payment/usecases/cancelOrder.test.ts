import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fen } from '../core/money'
import { AppError } from '../errors'
import type { CloseResult, OrderRecord, PaymentEvent, TradeQueryResult } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { SHIPPED_NO_CANCEL } from '../core/fulfilment'
import { ALREADY_PAID, NOT_CLOSED, TOO_EARLY, cancelOrder } from './cancelOrder'

const ORDER = '20261128100000AbCdEfGhIjKlMn'
const MCH = '1900000109'
const payment = { timeStamp: '1764295200', nonceStr: 'n', package: 'prepay_id=wx-1', signType: 'MD5' as const, paySign: 'S' }
const unpaidTrade: TradeQueryResult = { found: true, tradeState: 'NOTPAY', mchId: MCH }
const paidTrade = (overrides: Partial<Extract<TradeQueryResult, { found: true }>> = {}): TradeQueryResult => ({
  found: true,
  tradeState: 'SUCCESS',
  mchId: MCH,
  totalFee: fen(1990),
  transactionId: 'wx-t1',
  timeEnd: '20261128100500',
  ...overrides,
})

function worldWith(order: Partial<OrderRecord> = {}, trade?: TradeQueryResult, close?: CloseResult): MemoryWorld {
  const world = memoryWorld()
  world.orders.put(storedOrder({ outTradeNo: ORDER, payment, ...order }, world.clock))
  if (trade) world.gateway.trades.set(ORDER, trade)
  if (close) world.gateway.closes.set(ORDER, close)
  return world
}

const stored = async (world: MemoryWorld): Promise<OrderRecord> => {
  const order = await world.orders.get(ORDER)
  assert.ok(order)
  return order
}

const closeEvent = (gateway: string, from: OrderRecord['status']): PaymentEvent => ({
  kind: 'close',
  source: 'cancelOrder',
  raw: { requestedBy: 'shopper', gateway },
  mode: 'cloudpay',
  outTradeNo: ORDER,
  decision: 'applied',
  reason: 'gateway reports CLOSED',
  transition: { from, to: 'CLOSED' },
})

/** From the close attempt on, the gateway answers `after` to queries: paid in between. */
function paidDuringClose(world: MemoryWorld, after: TradeQueryResult): void {
  const close = world.gateway.closeOrder.bind(world.gateway)
  world.gateway.closeOrder = async (outTradeNo) => {
    world.gateway.trades.set(ORDER, after)
    return close(outTradeNo)
  }
}

describe('cancelOrder: an unpaid order is closed', () => {
  test('closed at the gateway first, then here; the view is CLOSED with no payment left to make', async () => {
    const world = worldWith({}, unpaidTrade)
    const view = await cancelOrder(world, 'shopper-1', { outTradeNo: ORDER })
    assert.deepEqual(
      world.gateway.calls.map((c) => c.api),
      ['queryOrder', 'closeOrder'],
    )
    assert.deepEqual(world.gateway.callsOf('closeOrder'), [[ORDER]])
    assert.equal(view.outTradeNo, ORDER)
    assert.equal(view.status, 'CLOSED')
    assert.equal(view.tradeStateDesc, '已关闭')
    assert.equal(view.payment, null)
    const order = await stored(world)
    assert.equal(order.status, 'CLOSED')
    assert.equal(order.tradeState, 'CLOSED')
    assert.deepEqual(world.events.events, [closeEvent('closed', 'NOTPAY')])
  })

  test('an order whose payment attempt failed (PAYERROR) is closed too', async () => {
    const world = worldWith({ status: 'PAYERROR' }, { found: true, tradeState: 'PAYERROR', mchId: MCH })
    assert.equal((await cancelOrder(world, 'shopper-1', { outTradeNo: ORDER })).status, 'CLOSED')
    assert.deepEqual(world.events.events, [closeEvent('closed', 'PAYERROR')])
  })

  test('an order the gateway never heard of (never prepaid) is closed here without asking the gateway to close it', async () => {
    const world = worldWith({ payment: undefined })
    const view = await cancelOrder(world, 'shopper-1', { outTradeNo: ORDER })
    assert.equal(view.status, 'CLOSED')
    assert.deepEqual(world.gateway.callsOf('closeOrder'), [])
    assert.equal((await stored(world)).status, 'CLOSED')
    assert.deepEqual(world.events.events, [closeEvent('never prepaid', 'NOTPAY')])
  })

  test('closed meanwhile by someone else (reconcile): the close changes nothing and the view shows it closed', async () => {
    const world = worldWith({}, unpaidTrade)
    const close = world.gateway.closeOrder.bind(world.gateway)
    world.gateway.closeOrder = async (outTradeNo) => {
      await world.orders.transition(ORDER, 'CLOSED', { tradeState: 'CLOSED' })
      return close(outTradeNo)
    }
    const view = await cancelOrder(world, 'shopper-1', { outTradeNo: ORDER })
    assert.equal(view.status, 'CLOSED')
    assert.equal(world.events.events.length, 1)
    assert.equal(world.events.events[0]?.decision, 'no_change')
  })

  test('cancelling a closed order again answers it as it is: no gateway call, nothing written or recorded', async () => {
    const world = worldWith({ status: 'CLOSED', tradeState: 'CLOSED' }, unpaidTrade)
    const view = await cancelOrder(world, 'shopper-1', { outTradeNo: ORDER })
    assert.equal(view.status, 'CLOSED')
    assert.equal(view.tradeStateDesc, '已关闭')
    assert.deepEqual(world.gateway.calls, [])
    assert.deepEqual(world.orders.writes, [])
    assert.deepEqual(world.events.events, [])
  })
})

describe('cancelOrder: a paid order is never closed', () => {
  test('an order paid here never reaches the gateway’s close: shipped, it is refused without a word to the gateway', async () => {
    for (const status of ['SUCCESS', 'REFUND'] as const) {
      const world = worldWith({ status, transactionId: 'wx-t1', fulfilment: { state: 'SHIPPED' } }, paidTrade())
      const error = await refusal(cancelOrder(world, 'shopper-1', { outTradeNo: ORDER }), 'ORDER_STATE_CONFLICT')
      assert.equal(error.message, SHIPPED_NO_CANCEL)
      assert.deepEqual(world.gateway.calls, [])
      assert.equal((await stored(world)).status, status)
      assert.deepEqual(world.orders.writes, [])
      assert.deepEqual(world.events.events, [])
    }
  })

  test('the gateway says paid: the payment is applied (SUCCESS), the cancel refused, and no close is asked for', async (t) => {
    captureConsole(t)
    const trade = paidTrade()
    const world = worldWith({}, trade)
    const error = await refusal(cancelOrder(world, 'shopper-1', { outTradeNo: ORDER }), 'ORDER_STATE_CONFLICT')
    assert.equal(error.message, ALREADY_PAID)
    assert.equal(error.detail, `cancel ${ORDER} refused: the gateway reports it paid`)
    assert.deepEqual(world.gateway.callsOf('closeOrder'), [])
    const order = await stored(world)
    assert.equal(order.status, 'SUCCESS')
    assert.equal(order.transactionId, 'wx-t1')
    assert.deepEqual(world.events.events, [
      {
        kind: 'payment_query',
        source: 'cancelOrder',
        raw: { ...trade },
        mode: 'cloudpay',
        outTradeNo: ORDER,
        decision: 'applied',
        reason: 'paid',
        transition: { from: 'NOTPAY', to: 'SUCCESS' },
      },
    ])
  })

  test('paid to another merchant: the payment is not applied, yet the order is not closed either', async (t) => {
    captureConsole(t)
    const world = worldWith({}, paidTrade({ mchId: '1900000999' }))
    await refusal(cancelOrder(world, 'shopper-1', { outTradeNo: ORDER }), 'ORDER_STATE_CONFLICT')
    assert.deepEqual(world.gateway.callsOf('closeOrder'), [])
    assert.equal((await stored(world)).status, 'NOTPAY')
    assert.equal(world.events.events[0]?.decision, 'rejected')
  })

  test('paid between the query and the close: asked again, the payment applied, the cancel refused', async (t) => {
    captureConsole(t)
    const world = worldWith({}, unpaidTrade, { closed: false, reason: 'paid', detail: 'ORDERPAID 订单已支付' })
    paidDuringClose(world, paidTrade())
    const error = await refusal(cancelOrder(world, 'shopper-1', { outTradeNo: ORDER }), 'ORDER_STATE_CONFLICT')
    assert.equal(error.message, ALREADY_PAID)
    assert.equal(error.detail, `cancel ${ORDER} refused: close refused as paid: ORDERPAID 订单已支付`)
    assert.deepEqual(
      world.gateway.calls.map((c) => c.api),
      ['queryOrder', 'closeOrder', 'queryOrder'],
    )
    assert.equal((await stored(world)).status, 'SUCCESS')
    assert.deepEqual(
      world.events.events.map((e) => [e.kind, e.source, e.decision]),
      [['payment_query', 'cancelOrder', 'applied']],
    )
  })

  test('the close is refused as paid but the second answer is not yet paid: refused, the order left payable', async () => {
    const world = worldWith({}, unpaidTrade, { closed: false, reason: 'paid', detail: 'ORDERPAID' })
    await refusal(cancelOrder(world, 'shopper-1', { outTradeNo: ORDER }), 'ORDER_STATE_CONFLICT')
    assert.equal(world.gateway.callsOf('queryOrder').length, 2)
    assert.equal((await stored(world)).status, 'NOTPAY')
    assert.deepEqual(world.events.events, [])
  })
})

describe('cancelOrder: the gateway does not close it', () => {
  test('too early (within 5 minutes of ordering): refused with when to try again; the order stays payable', async () => {
    const world = worldWith({}, unpaidTrade, { closed: false, reason: 'too_early', detail: 'SYSTEMERROR 5分钟' })
    const error = await refusal(cancelOrder(world, 'shopper-1', { outTradeNo: ORDER }), 'ORDER_STATE_CONFLICT')
    assert.equal(error.message, TOO_EARLY)
    assert.match(error.message, /5 分钟后/)
    assert.equal(error.detail, 'close refused as too early: SYSTEMERROR 5分钟')
    const order = await stored(world)
    assert.equal(order.status, 'NOTPAY')
    assert.deepEqual(order.payment, payment)
    assert.deepEqual(world.orders.writes, [])
    assert.deepEqual(world.events.events, [])
  })

  test('any other refusal is a gateway error and changes nothing', async () => {
    for (const reason of ['refused', 'not_found'] as const) {
      const world = worldWith({}, unpaidTrade, { closed: false, reason, detail: 'SYSTEMERROR 系统繁忙' })
      const error = await refusal(cancelOrder(world, 'shopper-1', { outTradeNo: ORDER }), 'PAY_GATEWAY_ERROR')
      assert.equal(error.message, NOT_CLOSED)
      assert.equal(error.detail, `close refused (${reason}): SYSTEMERROR 系统繁忙`)
      assert.equal((await stored(world)).status, 'NOTPAY')
      assert.deepEqual(world.orders.writes, [])
      assert.deepEqual(world.events.events, [])
    }
  })

  test('a gateway that does not answer the query: its error surfaces and nothing is closed', async () => {
    const world = worldWith({}, unpaidTrade)
    const fault = new AppError('PAY_GATEWAY_ERROR', '微信支付暂时不可用，请稍后重试', { uncertain: true })
    world.gateway.failNext.set('queryOrder', fault)
    assert.equal(await cancelOrder(world, 'shopper-1', { outTradeNo: ORDER }).catch((e: unknown) => e), fault)
    assert.deepEqual(world.gateway.callsOf('closeOrder'), [])
    assert.equal((await stored(world)).status, 'NOTPAY')
  })

  test('a close that does not answer: its error surfaces and the order stays as it was', async () => {
    const world = worldWith({}, unpaidTrade)
    const fault = new AppError('PAY_GATEWAY_ERROR', '微信支付暂时不可用，请稍后重试', { uncertain: true })
    world.gateway.failNext.set('closeOrder', fault)
    assert.equal(await cancelOrder(world, 'shopper-1', { outTradeNo: ORDER }).catch((e: unknown) => e), fault)
    assert.equal((await stored(world)).status, 'NOTPAY')
    assert.deepEqual(world.events.events, [])
  })
})

describe('cancelOrder: whose order, and which', () => {
  test('another shopper’s order is ORDER_NOT_FOUND and the gateway is never asked', async () => {
    const world = worldWith({}, unpaidTrade)
    await refusal(cancelOrder(world, 'shopper-2', { outTradeNo: ORDER }), 'ORDER_NOT_FOUND')
    assert.deepEqual(world.gateway.calls, [])
    assert.equal((await stored(world)).status, 'NOTPAY')
  })

  test('a missing order is ORDER_NOT_FOUND; a malformed event is INVALID_ARGUMENT', async () => {
    const world = worldWith({}, unpaidTrade)
    await refusal(cancelOrder(world, 'shopper-1', { outTradeNo: '20261128100000ZZZZZZZZZZZZZZ' }), 'ORDER_NOT_FOUND')
    for (const event of [{}, { outTradeNo: 'x' }, null, [ORDER]]) await refusal(cancelOrder(world, 'shopper-1', event), 'INVALID_ARGUMENT')
    assert.deepEqual(world.gateway.calls, [])
  })
})
