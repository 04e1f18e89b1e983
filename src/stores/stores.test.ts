import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { GoodsView, OrderView } from '../../cloud/payment/contracts'
import type { OrdersDeps } from './orders'
import type { Cashier, PayOutcome } from '../services/cashier'
import { CloudError } from '../services/transport'
import { createAddressStore, selectedAddress } from './address'
import { cartCount, cartTotalFen, createCartStore } from './cart'
import { createCashierSheet } from './cashierSheet'
import { toUiError } from './errors'
import { createGoodsStore } from './goods'
import { createOrdersStore } from './orders'

const goods = (id: string, priceFen: number): GoodsView => ({
  _id: id,
  name: id,
  description: '',
  priceFen,
  pic: `/${id}.png`,
  pics: [`/${id}.png`],
  onSale: true,
})

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
      getGoods: async () => goods('a', 1),
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
  fulfilment: status === 'SUCCESS' ? { state: 'PENDING', carrier: null, trackingNo: null, shippedAt: null, receivedAt: null, autoReceived: false } : null,
  afterSales: [],
  actions: { pay: status === 'NOTPAY', cancel: status === 'NOTPAY', refund: status === 'SUCCESS', afterSale: false, confirmReceipt: false },
  ...extra,
})

const ADDRESS = { recipient: '张三', mobile: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路 1 号' }
const checkoutOf = (lines: Array<{ goodsId: string; quantity: number }>, note?: string) => ({ lines, address: ADDRESS, ...(note ? { note } : {}) })
const notUsed = async (): Promise<never> => {
  throw new Error('not used in this test')
}

type OrdersApi = OrdersDeps['api']

function ordersWith(outcome: PayOutcome, confirmations: OrderView[]) {
  const calls: string[] = []
  const api: OrdersApi = {
    createOrder: async () => {
      calls.push('createOrder')
      await new Promise((r) => setTimeout(r, 5))
      return { outTradeNo: 'T1', totalFee: 100, payment: view('NOTPAY').payment! }
    },
    queryOrder: async () => (calls.push('queryOrder'), view('NOTPAY')),
    listOrders: async () => ({ items: [view('NOTPAY')], nextCursor: null }),
    confirmPayment: async () => (calls.push('confirmPayment'), confirmations.shift() ?? view('NOTPAY')),
    cancelOrder: notUsed,
    confirmReceipt: notUsed,
    requestAfterSale: notUsed,
  }
  const cashier: Cashier = async () => (calls.push('cashier'), outcome)
  const store = createOrdersStore({ api, cashier, sleep: async () => undefined })
  return { store, calls }
}

describe('orders store', () => {
  test('a double tap on checkout creates one order', async () => {
    const { store, calls } = ordersWith({ kind: 'paid' }, [])
    const [a, b] = await Promise.all([
      store.getState().placeOrder(checkoutOf([{ goodsId: 'a', quantity: 1 }])),
      store.getState().placeOrder(checkoutOf([{ goodsId: 'a', quantity: 1 }])),
    ])
    assert.equal(a, 'T1')
    assert.equal(b, 'T1')
    assert.deepEqual(calls, ['createOrder'])
  })

  test('a retry of a failed checkout sends the same request id; a new cart, address or note gets a new one', async () => {
    const ids: Array<string | undefined> = []
    const sent: unknown[] = []
    let fail = true
    const api: OrdersApi = {
      createOrder: async (input) => {
        ids.push(input.requestId)
        sent.push(input)
        if (fail) throw new CloudError('TRANSPORT_ERROR', 'lost')
        return { outTradeNo: 'T1', totalFee: 100, payment: view('NOTPAY').payment! }
      },
      queryOrder: async () => view('NOTPAY'),
      listOrders: async () => ({ items: [], nextCursor: null }),
      confirmPayment: async () => view('NOTPAY'),
      cancelOrder: notUsed,
      confirmReceipt: notUsed,
      requestAfterSale: notUsed,
    }
    let n = 0
    const store = createOrdersStore({ api, cashier: async () => ({ kind: 'cancelled' }), newRequestId: () => `req-${++n}` })
    assert.equal(await store.getState().placeOrder(checkoutOf([{ goodsId: 'a', quantity: 1 }], '放门口')), null)
    assert.equal(store.getState().checkout.error?.message, '网络不给力，请稍后重试')
    fail = false
    assert.equal(await store.getState().placeOrder(checkoutOf([{ goodsId: 'a', quantity: 1 }], '放门口')), 'T1')
    await store.getState().placeOrder(checkoutOf([{ goodsId: 'a', quantity: 2 }], '放门口'))
    await store.getState().placeOrder(checkoutOf([{ goodsId: 'a', quantity: 2 }]))
    await store.getState().placeOrder({ ...checkoutOf([{ goodsId: 'a', quantity: 2 }]), address: { ...ADDRESS, detail: '另一个地址' } })
    assert.deepEqual(ids, ['req-1', 'req-1', 'req-2', 'req-3', 'req-4'])
    assert.deepEqual(sent[0], { items: [{ goodsId: 'a', quantity: 1 }], address: ADDRESS, note: '放门口', requestId: 'req-1' })
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
    const api: OrdersApi = {
      createOrder: async () => ({ outTradeNo: 'T1', totalFee: 100, payment: view('NOTPAY').payment! }),
      queryOrder: async () => view('NOTPAY'),
      listOrders: async () => ({ items: [], nextCursor: null }),
      confirmPayment: async (): Promise<OrderView> => {
        throw new CloudError('ORDER_STATE_CONFLICT', '这笔订单已关闭，不能再支付')
      },
      cancelOrder: notUsed,
      confirmReceipt: notUsed,
      requestAfterSale: notUsed,
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

describe('orders store: results, tabs and actions', () => {
  test('payOrder says how the attempt ended, by the server: paid, unpaid, cancelled or failed', async () => {
    assert.equal(
      await ordersWith({ kind: 'paid' }, [view('SUCCESS')])
        .store.getState()
        .payOrder('T1'),
      'paid',
    )
    assert.equal(await ordersWith({ kind: 'paid' }, []).store.getState().payOrder('T1'), 'unpaid')
    assert.equal(await ordersWith({ kind: 'cancelled' }, []).store.getState().payOrder('T1'), 'cancelled')
    assert.equal(await ordersWith({ kind: 'failed', message: 'x' }, []).store.getState().payOrder('T1'), 'failed')
  })

  test('each tab is its own server-side list; more pages append without repeats', async () => {
    const asked: unknown[] = []
    const orderNo = (n: number) => ({ ...view('SUCCESS'), outTradeNo: `T${n}` })
    const api: OrdersApi = {
      createOrder: notUsed,
      queryOrder: notUsed,
      confirmPayment: notUsed,
      cancelOrder: notUsed,
      confirmReceipt: notUsed,
      requestAfterSale: notUsed,
      listOrders: async (params) => {
        asked.push(params)
        if (params?.tab === 'TO_SHIP')
          return params.cursor ? { items: [orderNo(2), orderNo(3)], nextCursor: null } : { items: [orderNo(1), orderNo(2)], nextCursor: 'T2' }
        return { items: [orderNo(9)], nextCursor: null }
      },
    }
    const store = createOrdersStore({ api, cashier: async () => ({ kind: 'cancelled' }) })
    await store.getState().refreshList('TO_SHIP')
    await store.getState().loadMore('TO_SHIP')
    await store.getState().refreshList()
    assert.deepEqual(store.getState().lists.TO_SHIP.ids, ['T1', 'T2', 'T3'])
    assert.deepEqual(store.getState().lists.ALL.ids, ['T9'])
    assert.deepEqual(store.getState().lists.UNPAID.ids, [])
    assert.deepEqual(asked, [{ limit: 10, tab: 'TO_SHIP' }, { limit: 10, cursor: 'T2', tab: 'TO_SHIP' }, { limit: 10 }])
  })

  test("an action's answer replaces the order; a second tap while it runs does nothing; an error is kept in the shopper's words", async () => {
    let calls = 0
    let fail = false
    const api: OrdersApi = {
      createOrder: notUsed,
      queryOrder: notUsed,
      confirmPayment: notUsed,
      listOrders: notUsed,
      requestAfterSale: notUsed,
      confirmReceipt: notUsed,
      cancelOrder: async () => {
        calls++
        await new Promise((r) => setTimeout(r, 5))
        if (fail) throw new CloudError('ORDER_STATE_CONFLICT', '订单刚创建，请在下单 5 分钟后再取消')
        return view('CLOSED')
      },
    }
    const store = createOrdersStore({ api, cashier: async () => ({ kind: 'cancelled' }) })
    const [first, second] = await Promise.all([store.getState().cancelOrder('T1'), store.getState().cancelOrder('T1')])
    assert.deepEqual([first, second, calls], [true, false, 1])
    assert.equal(store.getState().byId['T1']?.status, 'CLOSED')
    fail = true
    assert.equal(await store.getState().cancelOrder('T1'), false)
    assert.deepEqual(store.getState().acting['T1'], { busy: null, error: { code: 'ORDER_STATE_CONFLICT', message: '订单刚创建，请在下单 5 分钟后再取消' } })
  })

  test('a retried after-sale request sends the same request id; a changed reason gets a new one', async () => {
    const ids: string[] = []
    let fail = true
    const api: OrdersApi = {
      createOrder: notUsed,
      queryOrder: notUsed,
      confirmPayment: notUsed,
      listOrders: notUsed,
      cancelOrder: notUsed,
      confirmReceipt: notUsed,
      requestAfterSale: async (_no, _reason, requestId) => {
        ids.push(requestId)
        if (fail) throw new CloudError('TRANSPORT_ERROR', 'lost')
        return view('SUCCESS')
      },
    }
    let n = 0
    const store = createOrdersStore({ api, cashier: async () => ({ kind: 'cancelled' }), newRequestId: () => `r${++n}` })
    assert.equal(await store.getState().requestAfterSale('T1', '破损'), false)
    fail = false
    assert.equal(await store.getState().requestAfterSale('T1', '破损'), true)
    assert.equal(await store.getState().requestAfterSale('T1', '破损'), true)
    assert.deepEqual(ids, ['r1', 'r1', 'r2'])
  })
})

describe('goods detail', () => {
  test('shows what the list knows at once, then the server; a missing goods keeps its error', async () => {
    let answer: () => GoodsView = () => ({ ...goods('a', 100), description: '新描述' })
    const store = createGoodsStore({ listGoods: async () => ({ items: [goods('a', 100)], nextCursor: null }), getGoods: async () => answer() })
    await store.getState().load()
    const loading = store.getState().loadGoods('a')
    assert.equal(store.getState().detail['a']?.status, 'loading')
    assert.equal(store.getState().detail['a']?.goods?.name, 'a')
    await loading
    assert.equal(store.getState().detail['a']?.goods?.description, '新描述')
    answer = () => {
      throw new CloudError('GOODS_NOT_FOUND', '商品不存在或已下架')
    }
    await store.getState().loadGoods('zzz')
    assert.deepEqual(store.getState().detail['zzz'], { status: 'error', goods: null, error: { code: 'GOODS_NOT_FOUND', message: '商品不存在或已下架' } })
  })
})

describe('address book', () => {
  test('saves, selects, edits and removes; kept per shopper across restarts', () => {
    const storage = memoryStorage()
    let n = 0
    const book = createAddressStore(
      storage,
      () => 'shopper-1',
      () => `a${++n}`,
    )
    const first = book.getState().save(ADDRESS)
    const second = book.getState().save({ ...ADDRESS, recipient: '李四' })
    assert.equal(selectedAddress(book.getState())?.recipient, '李四')
    book.getState().select(first)
    book.getState().save({ ...ADDRESS, detail: '改过的地址' }, first)
    assert.deepEqual(
      book.getState().entries.map((e) => [e.id, e.detail]),
      [
        [second, ADDRESS.detail],
        [first, '改过的地址'],
      ],
    )
    const again = createAddressStore(storage, () => 'shopper-1')
    assert.equal(selectedAddress(again.getState())?.detail, '改过的地址')
    assert.equal(createAddressStore(storage, () => 'shopper-2').getState().entries.length, 0, "another shopper does not see this shopper's addresses")
    again.getState().remove(first)
    assert.equal(selectedAddress(again.getState())?.id, second)
  })

  test('a stored entry that breaks the rules is dropped, not trusted', () => {
    const storage = memoryStorage()
    storage.setItem(
      'addresses:s',
      JSON.stringify({
        state: { entries: [{ ...ADDRESS, id: 'ok' }, { ...ADDRESS, mobile: '12345', id: 'bad' }, { ...ADDRESS }, 'junk'], selectedId: 'bad' },
        version: 1,
      }),
    )
    const book = createAddressStore(storage, () => 's')
    assert.deepEqual(
      book.getState().entries.map((e) => e.id),
      ['ok'],
    )
    assert.equal(book.getState().selectedId, null)
    assert.equal(selectedAddress(book.getState())?.id, 'ok')
  })
})
