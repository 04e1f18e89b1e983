import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fen } from '../core/money'
import type { OrderListData, OrderView } from '../contracts'
import type { OrderRecord } from '../ports'
import { refusal } from '../testing/assertions'
import { memoryWorld, storedOrder, type MemoryWorld } from '../testing/memory'
import { loadOwnOrder, queryOrder } from './queryOrder'

const ORDER = '20261128100000AbCdEfGhIjKlMn'
const payment = { timeStamp: '1764295200', nonceStr: 'n', package: 'prepay_id=wx-1', signType: 'MD5' as const, paySign: 'S' }

/** `count` orders of `openid`, numbered so that a higher number is newer. */
function ordersOf(world: MemoryWorld, openid: string, count: number, prefix = '2026112810'): string[] {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}${openid.slice(-1)}bcdefghijklmn`)
  for (const outTradeNo of ids) world.orders.put(storedOrder({ outTradeNo, _openid: openid }, world.clock))
  return ids
}

const list = async (world: MemoryWorld, event: unknown, openid = 'shopper-1'): Promise<OrderListData> =>
  (await queryOrder(world, openid, event)) as OrderListData
const idsOf = (data: OrderListData): string[] => data.items.map((item) => item.outTradeNo)

describe('queryOrder: one order', () => {
  test('is the shopper’s own order as they see it, with the payment while it can still be paid', async () => {
    const world = memoryWorld()
    world.orders.put(storedOrder({ outTradeNo: ORDER, payment, prepayId: 'wx-1', clientIp: '10.0.0.8' }, world.clock))
    const view = (await queryOrder(world, 'shopper-1', { outTradeNo: ORDER })) as OrderView
    assert.deepEqual(view, {
      outTradeNo: ORDER,
      items: [{ goodsId: 'coffee', name: '挂耳咖啡', priceFen: 1990, quantity: 1, pic: '/c.png' }],
      totalFee: 1990,
      status: 'NOTPAY',
      tradeStateDesc: '待支付',
      transactionId: null,
      paidAt: null,
      createdAt: '2026-11-28T02:00:00.000Z',
      expireAt: '2026-11-28T04:00:00.000Z',
      payment,
      refundedFee: 0,
      refunds: [],
      address: null,
      note: null,
      fulfilment: null,
      afterSales: [],
      actions: { pay: true, cancel: true, refund: false, afterSale: false, confirmReceipt: false },
    })
    world.clock.advance(2 * 3600_000)
    assert.equal(((await queryOrder(world, 'shopper-1', { outTradeNo: ORDER })) as OrderView).payment, null)
  })

  test('of another shopper is ORDER_NOT_FOUND, exactly like an order that does not exist', async () => {
    const world = memoryWorld()
    world.orders.put(storedOrder({ outTradeNo: ORDER }, world.clock))
    const theirs = await refusal(queryOrder(world, 'shopper-2', { outTradeNo: ORDER }), 'ORDER_NOT_FOUND')
    const missing = await refusal(queryOrder(world, 'shopper-2', { outTradeNo: '20261128100000ZZZZZZZZZZZZZZ' }), 'ORDER_NOT_FOUND')
    assert.equal(theirs.message, '订单不存在')
    assert.equal(missing.message, theirs.message)
    assert.equal(theirs.detail, `order ${ORDER} not found for this caller`)
    await refusal(loadOwnOrder(world, 'shopper-2', ORDER), 'ORDER_NOT_FOUND')
    assert.equal((await loadOwnOrder(world, 'shopper-1', ORDER)).outTradeNo, ORDER)
  })

  test('with an order number that cannot be one is INVALID_ARGUMENT', async () => {
    const world = memoryWorld()
    for (const outTradeNo of ['', 'abc12', 'a'.repeat(33), 'bad!order', 20261128100000, null, ['20261128100000AbCdEfGhIjKlMn']]) {
      const failure = await refusal(queryOrder(world, 'shopper-1', { outTradeNo }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '订单号有误')
      assert.equal(failure.detail, 'outTradeNo is not valid')
    }
  })

  test('an event that is not a plain object is refused', async () => {
    for (const event of [null, 'orders', [ORDER], { outTradeNo: ORDER, $where: '1' }])
      await refusal(queryOrder(memoryWorld(), 'shopper-1', event), 'INVALID_ARGUMENT')
  })
})

describe('queryOrder: my orders', () => {
  test('only mine, newest first, ten a page, and the cursor walks on from the last one', async () => {
    const world = memoryWorld()
    const mine = ordersOf(world, 'shopper-1', 12).reverse()
    ordersOf(world, 'shopper-2', 3)
    const first = await list(world, {})
    assert.deepEqual(idsOf(first), mine.slice(0, 10))
    assert.equal(first.nextCursor, mine[9])
    assert.equal(first.items[0]?.tradeStateDesc, '待支付')
    const second = await list(world, { cursor: first.nextCursor })
    assert.deepEqual(idsOf(second), mine.slice(10))
    assert.equal(second.nextCursor, null)
  })

  test('a page exactly as long as what is left has no next cursor', async () => {
    const world = memoryWorld()
    const mine = ordersOf(world, 'shopper-1', 3).reverse()
    const page = await list(world, { limit: 3 })
    assert.deepEqual(idsOf(page), mine)
    assert.equal(page.nextCursor, null)
    const shorter = await list(world, { limit: 2 })
    assert.deepEqual(idsOf(shorter), mine.slice(0, 2))
    assert.equal(shorter.nextCursor, mine[1])
  })

  test('limit is 1 to 50', async () => {
    const world = memoryWorld()
    const mine = ordersOf(world, 'shopper-1', 52).reverse()
    const one = await list(world, { limit: 1 })
    assert.deepEqual(idsOf(one), mine.slice(0, 1))
    assert.equal(one.nextCursor, mine[0])
    const fifty = await list(world, { limit: 50 })
    assert.equal(fifty.items.length, 50)
    assert.equal(fifty.nextCursor, mine[49])
    for (const limit of [0, 51, -1, 1.5, '10', true]) {
      const failure = await refusal(list(world, { limit }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '请求参数有误，请刷新后重试')
    }
    assert.equal((await list(world, { limit: null })).items.length, 10)
  })

  test('a null cursor is the first page; a cursor that is no order number is refused', async () => {
    const world = memoryWorld()
    const mine = ordersOf(world, 'shopper-1', 2).reverse()
    assert.deepEqual(idsOf(await list(world, { cursor: null })), mine)
    for (const cursor of ['', 'bad!', 'a'.repeat(33), 5, { $gt: '' }]) {
      const failure = await refusal(list(world, { cursor }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '请求参数有误，请刷新后重试')
      assert.equal(failure.detail, 'cursor is not valid')
    }
  })

  test('no orders is an empty page without a cursor; views show what each order is now', async () => {
    const world = memoryWorld()
    assert.deepEqual(await list(world, {}), { items: [], nextCursor: null })
    world.orders.put(
      storedOrder({ outTradeNo: ORDER, status: 'SUCCESS', transactionId: 'wx-t1', timeEnd: '20261128100500', payment, refundedFee: fen(0) }, world.clock),
    )
    const [view] = (await list(world, {})).items
    assert.equal(view?.status, 'SUCCESS')
    assert.equal(view?.paidAt, '2026-11-28T02:05:00.000Z')
    assert.equal(view?.payment, null)
  })

  test('an unpaid order’s payment shows in the list until it expires', async () => {
    const world = memoryWorld()
    world.orders.put(storedOrder({ outTradeNo: ORDER, payment }, world.clock))
    assert.deepEqual((await list(world, {})).items[0]?.payment, payment)
    world.clock.advance(2 * 3600_000)
    assert.equal((await list(world, {})).items[0]?.payment, null)
  })
})

describe('queryOrder: the tabs of My orders', () => {
  /** Orders of every kind, oldest first (a higher number is newer), each with the tabs it shows in. */
  function shop(world: MemoryWorld, openid = 'shopper-1'): Array<{ no: string; tabs: string[] }> {
    const kinds: Array<[Partial<OrderRecord>, string[]]> = [
      [{}, ['UNPAID']],
      [{ expireAt: new Date(world.clock.now()) }, []],
      [{ status: 'SUCCESS' }, ['TO_SHIP']],
      [{ status: 'SUCCESS', fulfilment: { state: 'SHIPPED' } }, ['TO_RECEIVE']],
      [{ status: 'SUCCESS', fulfilment: { state: 'RECEIVED' } }, []],
      [{ status: 'SUCCESS', fulfilment: { state: 'CANCELLED' } }, ['AFTER_SALE']],
      [{ status: 'REFUND', fulfilment: { state: 'PENDING' } }, ['AFTER_SALE']],
      [{ status: 'PAYERROR' }, ['UNPAID']],
      [{ status: 'CLOSED' }, []],
    ]
    return kinds.map(([overrides, tabs], i) => {
      const no = `2026112810${String(i).padStart(4, '0')}${openid.slice(-1)}bcdefghijklmn`
      world.orders.put(storedOrder({ outTradeNo: no, _openid: openid, ...overrides }, world.clock))
      return { no, tabs: ['ALL', ...tabs] }
    })
  }

  test('each tab lists just its orders, newest first; no tab is ALL', async () => {
    const world = memoryWorld()
    const orders = shop(world).reverse()
    shop(world, 'shopper-2')
    for (const tab of ['ALL', 'UNPAID', 'TO_SHIP', 'TO_RECEIVE', 'AFTER_SALE'])
      assert.deepEqual(
        idsOf(await list(world, { tab, limit: 50 })),
        orders.filter((o) => o.tabs.includes(tab)).map((o) => o.no),
        tab,
      )
    assert.deepEqual(idsOf(await list(world, { limit: 50 })), idsOf(await list(world, { tab: 'ALL', limit: 50 })))
    assert.deepEqual(idsOf(await list(world, { tab: null, limit: 50 })), idsOf(await list(world, { tab: 'ALL', limit: 50 })))
  })

  test('a tab pages like the whole list: the cursor is the last order of the page, the filter kept', async () => {
    const world = memoryWorld()
    const unpaid = Array.from({ length: 5 }, (_, i) => `2026112810${String(i).padStart(4, '0')}1bcdefghijklmn`)
    unpaid.forEach((no, i) => world.orders.put(storedOrder({ outTradeNo: no, ...(i % 2 ? { status: 'SUCCESS' } : {}) }, world.clock)))
    const first = await list(world, { tab: 'UNPAID', limit: 2 })
    assert.deepEqual(idsOf(first), [unpaid[4], unpaid[2]])
    assert.equal(first.nextCursor, unpaid[2])
    const second = await list(world, { tab: 'UNPAID', limit: 2, cursor: first.nextCursor })
    assert.deepEqual(idsOf(second), [unpaid[0]])
    assert.equal(second.nextCursor, null)
  })

  test('the unpaid tab drops an order the moment it expires', async () => {
    const world = memoryWorld()
    world.orders.put(storedOrder({ outTradeNo: ORDER }, world.clock))
    assert.equal((await list(world, { tab: 'UNPAID' })).items.length, 1)
    world.clock.advance(2 * 3600_000)
    assert.equal((await list(world, { tab: 'UNPAID' })).items.length, 0)
    assert.equal((await list(world, {})).items.length, 1)
  })

  test('an unknown tab is INVALID_ARGUMENT in shopper words', async () => {
    const world = memoryWorld()
    for (const tab of ['', 'all', 'REFUNDS', 3, { $ne: 'ALL' }]) {
      const failure = await refusal(list(world, { tab }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '订单分类有误，请刷新后重试')
    }
  })
})
