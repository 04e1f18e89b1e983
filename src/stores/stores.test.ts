import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { GoodsView, OrderView } from '../../cloud/payment/contracts'
import type { Api } from '../services/api'
import type { Cashier, PayOutcome } from '../services/cashier'
import { CloudError } from '../services/transport'
import { cartCount, cartTotalFen, createCartStore } from './cart'
import { createCashierSheet } from './cashierSheet'
import { toUiError } from './errors'
import { createGoodsStore } from './goods'
import { createOrdersStore } from './orders'

const goods = (id: string, priceFen: number): GoodsView => ({ _id: id, name: id, description: '', priceFen, pic: `/${id}.png` })

function memoryStorage() {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  }
}

describe('cart store', () => {
  test('adds, merges, clamps quantities to 1–99 and totals in fen', () => {
    const cart = createCartStore(memoryStorage())
    cart.getState().add(goods('a', 1990))
    cart.getState().add(goods('a', 1990), 2)
    cart.getState().add(goods('b', 29))
    assert.deepEqual(
      cart.getState().lines.map((l) => [l.goodsId, l.quantity]),
      [
        ['a', 3],
        ['b', 1],
      ],
    )
    cart.getState().setQuantity('a', 500)
    cart.getState().setQuantity('b', 0)
    assert.deepEqual(
      cart.getState().lines.map((l) => l.quantity),
      [99, 1],
    )
    assert.equal(cartTotalFen(cart.getState().lines), 99 * 1990 + 29)
    assert.equal(cartCount(cart.getState().lines), 100)
    cart.getState().remove('a')
    assert.deepEqual(
      cart.getState().lines.map((l) => l.goodsId),
      ['b'],
    )
  })

  test('holds at most 20 different goods', () => {
    const cart = createCartStore(memoryStorage())
    for (let i = 0; i < 20; i++) assert.equal(cart.getState().add(goods(`g${i}`, 1)), true)
    assert.equal(cart.getState().add(goods('one-too-many', 1)), false)
    assert.equal(cart.getState().lines.length, 20)
  })

  test('is kept across restarts, and a corrupted stored cart is cleaned, not trusted', () => {
    const storage = memoryStorage()
    createCartStore(storage).getState().add(goods('a', 1990), 2)
    assert.deepEqual(
      createCartStore(storage)
        .getState()
        .lines.map((l) => [l.goodsId, l.quantity]),
      [['a', 2]],
    )
    storage.setItem(
      'cart',
      JSON.stringify({
        state: { lines: [{ goodsId: 'x', name: 'x', priceFen: 1.5, quantity: 1 }, { goodsId: 'y', name: 'y', priceFen: 5, quantity: 1000 }, 'junk'] },
        version: 1,
      }),
    )
    assert.deepEqual(
      createCartStore(storage)
        .getState()
        .lines.map((l) => [l.goodsId, l.quantity]),
      [['y', 99]],
    )
    storage.setItem('cart', '{not json')
    assert.deepEqual(createCartStore(storage).getState().lines, [])
  })
})

describe('goods store', () => {
  test('concurrent loads share one request; errors keep a retryable state', async () => {
    let calls = 0
    let fail = true
    const store = createGoodsStore({
      listGoods: async () => {
        calls++
        await new Promise((r) => setTimeout(r, 5))
        if (fail) throw new CloudError('TRANSPORT_ERROR', 'offline')
        return { items: [goods('a', 1)], nextCursor: null }
      },
    })
    await Promise.all([store.getState().load(), store.getState().load()])
    assert.equal(calls, 1)
    assert.equal(store.getState().status, 'error')
    assert.equal(store.getState().error?.code, 'TRANSPORT_ERROR')
    fail = false
    await store.getState().load()
    assert.equal(store.getState().status, 'ready')
    assert.deepEqual(
      store.getState().items.map((g) => g._id),
      ['a'],
    )
  })
})

const view = (status: OrderView['status'], extra: Partial<OrderView> = {}): OrderView => ({
  outTradeNo: 'T1',
  items: [],
  totalFee: 100,
  status,
  tradeStateDesc: '',
  transactionId: status === 'SUCCESS' ? '4200' : null,
  paidAt: null,
  createdAt: '2026-11-27T00:00:00Z',
  expireAt: '2026-11-27T02:00:00Z',
  payment: status === 'NOTPAY' ? { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5', paySign: 's' } : null,
  refundedFee: 0,
  refunds: [],
  address: null,
  note: null,
  ...extra,
})

function ordersWith(outcome: PayOutcome, confirmations: OrderView[]) {
  const calls: string[] = []
  const api: Pick<Api, 'createOrder' | 'queryOrder' | 'listOrders' | 'confirmPayment'> = {
    createOrder: async () => {
      calls.push('createOrder')
      await new Promise((r) => setTimeout(r, 5))
      return { outTradeNo: 'T1', totalFee: 100, payment: view('NOTPAY').payment! }
    },
    queryOrder: async () => (calls.push('queryOrder'), view('NOTPAY')),
    listOrders: async () => ({ items: [view('NOTPAY')], nextCursor: null }),
    confirmPayment: async () => (calls.push('confirmPayment'), confirmations.shift() ?? view('NOTPAY')),
  }
  const cashier: Cashier = async () => (calls.push('cashier'), outcome)
  const store = createOrdersStore({ api, cashier, sleep: async () => undefined })
  return { store, calls }
}

describe('orders store', () => {
  test('a double tap on checkout creates one order', async () => {
    const { store, calls } = ordersWith({ kind: 'paid' }, [])
    const [a, b] = await Promise.all([
      store.getState().placeOrder([{ goodsId: 'a', quantity: 1 }]),
      store.getState().placeOrder([{ goodsId: 'a', quantity: 1 }]),
    ])
    assert.equal(a, 'T1')
    assert.equal(b, 'T1')
    assert.deepEqual(calls, ['createOrder'])
  })

  test('a retry of a failed checkout sends the same request id; a new cart gets a new one', async () => {
    const ids: Array<string | undefined> = []
    let fail = true
    const api = {
      createOrder: async (_items: unknown, requestId?: string) => {
        ids.push(requestId)
        if (fail) throw new CloudError('TRANSPORT_ERROR', 'lost')
        return { outTradeNo: 'T1', totalFee: 100, payment: view('NOTPAY').payment! }
      },
      queryOrder: async () => view('NOTPAY'),
      listOrders: async () => ({ items: [], nextCursor: null }),
      confirmPayment: async () => view('NOTPAY'),
    }
    let n = 0
    const store = createOrdersStore({ api, cashier: async () => ({ kind: 'cancelled' }), newRequestId: () => `req-${++n}` })
    assert.equal(await store.getState().placeOrder([{ goodsId: 'a', quantity: 1 }]), null)
    fail = false
    assert.equal(await store.getState().placeOrder([{ goodsId: 'a', quantity: 1 }]), 'T1')
    await store.getState().placeOrder([{ goodsId: 'a', quantity: 2 }])
    assert.deepEqual(ids, ['req-1', 'req-1', 'req-2'])
  })

  test('after the cashier says paid, the page shows what confirmPayment says', async () => {
    const { store, calls } = ordersWith({ kind: 'paid' }, [view('SUCCESS')])
    await store.getState().loadOrder('T1')
    await store.getState().payOrder('T1')
    assert.deepEqual(calls, ['queryOrder', 'cashier', 'confirmPayment'])
    assert.equal(store.getState().byId['T1']?.status, 'SUCCESS')
    assert.equal(store.getState().pay['T1']?.phase, 'idle')
  })

  test('a server that has not heard of the payment yet is asked again, and its answer stands', async () => {
    const { store, calls } = ordersWith({ kind: 'paid' }, [view('NOTPAY'), view('NOTPAY'), view('SUCCESS')])
    await store.getState().payOrder('T1')
    assert.equal(calls.filter((c) => c === 'confirmPayment').length, 3)
    assert.equal(store.getState().byId['T1']?.status, 'SUCCESS')

    const stubborn = ordersWith({ kind: 'paid' }, [])
    await stubborn.store.getState().payOrder('T1')
    assert.equal(stubborn.store.getState().byId['T1']?.status, 'NOTPAY', "never the client's assumption")
    assert.match(stubborn.store.getState().pay['T1']?.message ?? '', /暂未查询到支付结果/)
  })

  test('cancel and failure leave the order unpaid with a message; nothing is confirmed', async () => {
    const cancelled = ordersWith({ kind: 'cancelled' }, [])
    await cancelled.store.getState().payOrder('T1')
    assert.equal(cancelled.store.getState().pay['T1']?.phase, 'cancelled')
    assert.equal(cancelled.calls.includes('confirmPayment'), false)
    const failed = ordersWith({ kind: 'failed', message: 'requestPayment:fail' }, [])
    await failed.store.getState().payOrder('T1')
    assert.equal(failed.store.getState().pay['T1']?.phase, 'failed')
    assert.match(failed.store.getState().pay['T1']?.message ?? '', /requestPayment:fail/)
  })

  test("paying an order the server will not take shows the server's words", async () => {
    const api = {
      createOrder: async () => ({ outTradeNo: 'T1', totalFee: 100, payment: view('NOTPAY').payment! }),
      queryOrder: async () => view('NOTPAY'),
      listOrders: async () => ({ items: [], nextCursor: null }),
      confirmPayment: async (): Promise<OrderView> => {
        throw new CloudError('ORDER_STATE_CONFLICT', '这笔订单已关闭，不能再支付')
      },
    }
    const store = createOrdersStore({ api, cashier: async () => ({ kind: 'paid' }), sleep: async () => undefined })
    await store.getState().payOrder('T1')
    assert.equal(store.getState().pay['T1']?.phase, 'failed')
    assert.equal(store.getState().pay['T1']?.message, '这笔订单已关闭，不能再支付')
  })
})

describe('errors shown to the shopper', () => {
  test("the server's message is shown as it says, for every server code", () => {
    for (const [code, message] of [
      ['ORDER_STATE_CONFLICT', '这笔订单已关闭，不能再支付'],
      ['PAY_GATEWAY_ERROR', '暂时无法连接微信支付，请稍后重试'],
      ['INVALID_ARGUMENT', '每种商品的数量应为 1–99 件'],
      ['GOODS_NOT_FOUND', '「咖啡」已下架，请调整后再下单'],
      ['CONFIG_ERROR', '商家支付设置未完成，暂时无法支付，请稍后再试或联系商家'],
    ] as const) {
      assert.deepEqual(toUiError(new CloudError(code, message)), { code, message })
    }
  })

  test('what went wrong on the way is said in our words; a server answer without words gets a fallback', () => {
    assert.deepEqual(toUiError(new CloudError('TRANSPORT_ERROR', 'cloud.callFunction:fail timeout')), {
      code: 'TRANSPORT_ERROR',
      message: '网络不给力，请稍后重试',
    })
    assert.deepEqual(toUiError(new CloudError('BAD_RESPONSE', 'queryOrder: 服务返回了无法识别的结果')), {
      code: 'BAD_RESPONSE',
      message: '服务暂时不可用，请稍后重试',
    })
    // services/transport.ts gives an error envelope without a message its code as the message.
    assert.equal(toUiError(new CloudError('ORDER_NOT_FOUND', 'ORDER_NOT_FOUND')).message, '订单不存在')
    assert.equal(toUiError(new CloudError('ORDER_STATE_CONFLICT', 'ORDER_STATE_CONFLICT')).message, '订单状态已变化，请刷新后再试')
    assert.equal(toUiError(new CloudError('SOMETHING_NEW', '')).message, '出了点问题，请稍后重试')
    assert.equal(toUiError(new CloudError('constructor', 'constructor')).message, '出了点问题，请稍后重试')
    assert.deepEqual(toUiError(new Error('boom')), { code: 'UNKNOWN', message: '出了点问题，请稍后重试' })
  })
})

describe('H5 cashier sheet', () => {
  const request = { outTradeNo: 'T1', totalFee: 100, payment: view('NOTPAY').payment! }

  test('confirm tells the simulator SUCCESS and reports paid; cancel reports cancelled without telling it', async () => {
    const told: string[] = []
    const { store, cashier } = createCashierSheet(async (id, result) => void told.push(`${id}:${result}`))
    const paid = cashier(request)
    assert.equal(store.getState().request?.outTradeNo, 'T1')
    await store.getState().confirm()
    assert.deepEqual(await paid, { kind: 'paid' })
    assert.equal(store.getState().request, null)
    const cancelled = cashier(request)
    store.getState().cancel()
    assert.deepEqual(await cancelled, { kind: 'cancelled' })
    assert.deepEqual(told, ['T1:SUCCESS'])
  })

  test('a simulator error keeps the sheet open with the message', async () => {
    const { store, cashier } = createCashierSheet(async () => {
      throw new Error('TRADE_EXPIRED')
    })
    void cashier(request)
    await store.getState().confirm()
    assert.equal(store.getState().error, 'TRADE_EXPIRED')
    assert.notEqual(store.getState().request, null)
  })
})
