import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { fen } from '../core/money'
import { AppError } from '../errors'
import type { NewOrder, OrderRecord } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { memoryWorld, type MemoryWorld } from '../testing/memory'
import { createOrder as createOrderAsSent, ORDER_LIFETIME_MS } from './createOrder'
import type { Caller, CreateOrderDeps } from './deps'

const shopper: Caller = { openid: 'shopper-1', appid: 'wx-app', clientIp: '10.0.0.8' }
const CART = [
  { goodsId: 'coffee', quantity: 2 },
  { goodsId: 'tea', quantity: 1 },
]
const REQUEST_ID = 'checkout-0001'
/** 2026-11-28 10:00:00 in Beijing, when every memory world starts. */
const BEIJING_NOW = '20261128100000'
const ADDRESS = { recipient: '张三', mobile: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路 1 号' }

/** createOrder with the delivery address every checkout has, unless the event names one (or is no object). */
function createOrder(deps: CreateOrderDeps, caller: Caller, event: unknown) {
  const withAddress = typeof event === 'object' && event !== null && !Array.isArray(event) && !('address' in event) ? { ...event, address: ADDRESS } : event
  return createOrderAsSent(deps, caller, withAddress)
}

async function stored(world: MemoryWorld, outTradeNo: string): Promise<OrderRecord> {
  const order = await world.orders.get(outTradeNo)
  assert.ok(order, `order ${outTradeNo} was not written`)
  return order
}

/** Counts the attempts to write a new order. */
function countInserts(world: MemoryWorld): { count: number } {
  const seen = { count: 0 }
  const insert = world.orders.insert.bind(world.orders)
  world.orders.insert = async (order: NewOrder) => {
    seen.count++
    return insert(order)
  }
  return seen
}

describe('createOrder: a new order', () => {
  test('is priced from the database, prepaid, then written once with its payment details', async (t) => {
    const out = captureConsole(t)
    const world = memoryWorld()
    const result = await createOrder(world, shopper, {
      items: [
        { goodsId: 'coffee', quantity: 2, priceFen: 1, name: '便宜货' },
        { goodsId: 'tea', quantity: 1, priceFen: 1 },
      ],
      totalFee: 1,
      openid: 'someone-else',
    })
    assert.match(result.outTradeNo, new RegExp(`^${BEIJING_NOW}\\d{14}$`))
    assert.equal(result.totalFee, 2 * 1990 + 2900)
    const payment = { timeStamp: '1764295200', nonceStr: 'n', package: 'prepay_id=wx-prepay-1', signType: 'MD5', paySign: 'S' }
    assert.deepEqual(result, { outTradeNo: result.outTradeNo, totalFee: 6880, payment })
    const now = new Date(world.clock.now())
    assert.deepEqual(await stored(world, result.outTradeNo), {
      _id: result.outTradeNo,
      outTradeNo: result.outTradeNo,
      _openid: 'shopper-1',
      items: [
        { goodsId: 'coffee', name: '挂耳咖啡', priceFen: 1990, quantity: 2, pic: '/c.png' },
        { goodsId: 'tea', name: '红茶', priceFen: 2900, quantity: 1, pic: '/t.png' },
      ],
      totalFee: 6880,
      status: 'NOTPAY',
      mode: 'cloudpay',
      mchId: '1900000109',
      clientIp: '10.0.0.8',
      expireAt: new Date(world.clock.now() + 2 * 3600_000),
      address: ADDRESS,
      refundReservedFee: 0,
      refundedFee: 0,
      refundsPending: 0,
      refunds: {},
      afterSales: {},
      createdAt: now,
      updatedAt: now,
      prepayId: 'wx-prepay-1',
      payment,
    })
    assert.deepEqual(world.gateway.callsOf('unifiedOrder'), [
      [{ outTradeNo: result.outTradeNo, totalFee: 6880, body: '挂耳咖啡 等3件', openid: 'shopper-1', clientIp: '10.0.0.8', timeExpire: '20261128120000' }],
    ])
    assert.deepEqual(out.log, [`createOrder ${result.outTradeNo}: 6880 fen, prepay wx-prepay-1`])
    assert.equal(world.requests.claims.size, 0)
    // One insert, nothing patched afterwards: the order's second round trip is its only write.
    assert.deepEqual(world.orders.writes, [])
  })

  test('lives two hours, and time_expire is that moment in Beijing time', async () => {
    assert.equal(ORDER_LIFETIME_MS, 7_200_000)
    const world = memoryWorld()
    world.clock.ms = Date.UTC(2026, 11, 31, 15, 30, 5) // 23:30:05 on New Year's Eve in Beijing
    const { outTradeNo } = await createOrder(world, shopper, { items: [{ goodsId: 'coffee', quantity: 1 }] })
    assert.ok(outTradeNo.startsWith('20261231233005'))
    assert.deepEqual((await stored(world, outTradeNo)).expireAt, new Date(Date.UTC(2026, 11, 31, 17, 30, 5)))
    const [request] = world.gateway.callsOf('unifiedOrder')[0] as [{ timeExpire: string; body: string }]
    assert.equal(request.timeExpire, '20270101013005')
    assert.equal(request.body, '挂耳咖啡')
  })

  test('goes to the merchant and pay mode of the gateway it is made with', async () => {
    const world = memoryWorld({ mode: 'merchant', mchId: '1900000110' })
    const { outTradeNo } = await createOrder(world, shopper, { items: CART })
    const order = await stored(world, outTradeNo)
    assert.equal(order.mode, 'merchant')
    assert.equal(order.mchId, '1900000110')
  })

  test('without a requestId every checkout is a new order, and no id is claimed', async () => {
    const world = memoryWorld()
    const first = await createOrder(world, shopper, { items: CART })
    const second = await createOrder(world, shopper, { items: CART, requestId: null })
    assert.notEqual(first.outTradeNo, second.outTradeNo)
    assert.equal(world.orders.docs.size, 2)
    assert.equal(world.gateway.callsOf('unifiedOrder').length, 2)
    assert.equal(world.requests.claims.size, 0)
    assert.equal('requestId' in (await stored(world, first.outTradeNo)), false)
  })
})

describe('createOrder: refusals leave nothing behind', () => {
  test('a cart with off-sale or unknown goods writes nothing and claims no id', async () => {
    const world = memoryWorld()
    const offSale = await refusal(createOrder(world, shopper, { items: [{ goodsId: 'old', quantity: 1 }], requestId: REQUEST_ID }), 'GOODS_NOT_FOUND')
    assert.equal(offSale.message, '「旧款」已下架，请调整后再下单')
    await refusal(createOrder(world, shopper, { items: [{ goodsId: 'gone', quantity: 1 }], requestId: REQUEST_ID }), 'GOODS_NOT_FOUND')
    assert.equal(world.orders.docs.size, 0)
    assert.equal(world.requests.claims.size, 0)
    assert.equal(world.gateway.calls.length, 0)
  })

  test('a malformed event or cart is refused', async () => {
    const world = memoryWorld()
    for (const event of [null, 'items', [], { items: [] }, { items: [{ goodsId: 'coffee', quantity: 0 }] }, { items: CART, $where: 1 }]) {
      await refusal(createOrder(world, shopper, event), 'INVALID_ARGUMENT')
    }
    assert.equal(world.orders.docs.size, 0)
    assert.equal(world.gateway.calls.length, 0)
  })

  test('a requestId is 8 to 64 letters, digits, _ or -', async () => {
    const world = memoryWorld()
    for (const requestId of ['Az09_-xy', 'Z'.repeat(64), 'a1b2c3d4']) {
      const { outTradeNo } = await createOrder(world, shopper, { items: CART, requestId })
      assert.equal((await stored(world, outTradeNo)).requestId, requestId)
    }
    for (const requestId of ['Az09_-x', 'a'.repeat(65), 'abcdefgh!', '!abcdefgh', 'abcd efgh', 'abcdefgh.ijk', '', 12345678, ['abcdefgh']]) {
      const failure = await refusal(createOrder(world, shopper, { items: CART, requestId }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '请求参数有误，请刷新后重试', JSON.stringify(requestId))
    }
    assert.equal(world.orders.docs.size, 3)
    assert.equal(world.requests.claims.size, 3)
  })
})

describe('createOrder: a retried checkout (same requestId)', () => {
  test('with the same cart, in any order, answers the same order and never prepays twice', async () => {
    const world = memoryWorld()
    const first = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    const inserts = countInserts(world)
    world.clock.advance(30_000)
    const again = await createOrder(world, shopper, { items: [...CART].reverse(), requestId: REQUEST_ID })
    assert.deepEqual(again, first)
    assert.equal(inserts.count, 0)
    assert.equal(world.orders.docs.size, 1)
    assert.equal(world.gateway.callsOf('unifiedOrder').length, 1)
    assert.equal((await stored(world, first.outTradeNo)).requestId, REQUEST_ID)
    const [claim] = [...world.requests.claims.values()]
    assert.equal(claim?.outTradeNo, first.outTradeNo)
    assert.match(claim?.fingerprint ?? '', /^[0-9a-f]{16}$/)
  })

  test('with a different cart is refused, and nothing is written or prepaid', async () => {
    const world = memoryWorld()
    const first = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    const before = await stored(world, first.outTradeNo)
    for (const items of [
      [{ goodsId: 'coffee', quantity: 2 }],
      [{ goodsId: 'coffee', quantity: 3 }, CART[1]],
      [
        { goodsId: 'coffee', quantity: 2 },
        { goodsId: 'tea', quantity: 2 },
      ],
    ]) {
      const failure = await refusal(createOrder(world, shopper, { items, requestId: REQUEST_ID }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '订单内容已变化，请重新提交订单')
      assert.match(failure.detail ?? '', new RegExp(`requestId ${REQUEST_ID} was already used for a different cart, address or note$`))
    }
    assert.equal(world.orders.docs.size, 1)
    assert.deepEqual(await stored(world, first.outTradeNo), before)
    assert.equal(world.gateway.callsOf('unifiedOrder').length, 1)
  })

  test('carts whose lines only run together alike are still different carts', async () => {
    const world = memoryWorld()
    for (const [_id, priceFen] of [
      ['-a', 100],
      ['2b', 200],
      ['b', 300],
    ] as const) {
      world.goods.goods.push({ _id, name: `商品${_id}`, description: '', priceFen: fen(priceFen), pic: '', pics: [], onSale: true })
    }
    const first = [
      { goodsId: '-a', quantity: 1 },
      { goodsId: '2b', quantity: 3 },
    ]
    const second = [
      { goodsId: '-a', quantity: 12 },
      { goodsId: 'b', quantity: 3 },
    ]
    await createOrder(world, shopper, { items: first, requestId: REQUEST_ID })
    await refusal(createOrder(world, shopper, { items: second, requestId: REQUEST_ID }), 'INVALID_ARGUMENT')
  })

  test('is per shopper: another shopper with the same requestId gets an order of their own', async () => {
    const world = memoryWorld()
    const mine = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    const theirs = await createOrder(world, { ...shopper, openid: 'shopper-2' }, { items: [{ goodsId: 'tea', quantity: 1 }], requestId: REQUEST_ID })
    assert.notEqual(theirs.outTradeNo, mine.outTradeNo)
    assert.equal((await stored(world, theirs.outTradeNo))._openid, 'shopper-2')
  })

  test('whose first attempt claimed the id and stopped before writing its order writes that order now', async () => {
    const world = memoryWorld()
    const insert = world.orders.insert.bind(world.orders)
    world.orders.insert = async () => {
      throw new Error('database unavailable')
    }
    await assert.rejects(createOrder(world, shopper, { items: CART, requestId: REQUEST_ID }), /database unavailable/)
    const [claim] = [...world.requests.claims.values()]
    assert.ok(claim)
    assert.equal(world.orders.docs.size, 0)
    world.orders.insert = insert
    world.clock.advance(60_000)
    const result = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    assert.equal(result.outTradeNo, claim.outTradeNo)
    const order = await stored(world, claim.outTradeNo)
    assert.equal(order.requestId, REQUEST_ID)
    assert.equal(order.totalFee, 6880)
    assert.deepEqual(order.expireAt, new Date(world.clock.now() + ORDER_LIFETIME_MS))
    assert.equal(world.orders.docs.size, 1)
    assert.equal(world.gateway.callsOf('unifiedOrder').length, 1)
  })

  test('reuses a stored prepay without asking the gateway again', async () => {
    const world = memoryWorld()
    const first = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    const doc = world.orders.docs.get(first.outTradeNo)
    assert.ok(doc?.payment)
    doc.payment = { ...doc.payment, paySign: 'kept' }
    const again = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    assert.equal(again.payment.paySign, 'kept')
    assert.equal(world.gateway.callsOf('unifiedOrder').length, 1)
  })

  test('prepays an order that has no prepay yet, with the address it was made from (or loopback for an old order without one)', async () => {
    const world = memoryWorld()
    const first = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    const doc = world.orders.docs.get(first.outTradeNo)
    assert.ok(doc)
    delete doc.payment
    delete doc.prepayId
    const again = await createOrder(world, { ...shopper, clientIp: '10.9.9.9' }, { items: CART, requestId: REQUEST_ID })
    assert.equal(again.outTradeNo, first.outTradeNo)
    assert.equal(again.payment.package, 'prepay_id=wx-prepay-2')
    assert.equal((await stored(world, first.outTradeNo)).prepayId, 'wx-prepay-2')
    delete doc.payment
    delete doc.clientIp
    await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    const ips = world.gateway.callsOf('unifiedOrder').map(([request]) => (request as { clientIp: string }).clientIp)
    assert.deepEqual(ips, ['10.0.0.8', '10.0.0.8', '127.0.0.1'])
  })

  test('of an order that is no longer unpaid is ORDER_STATE_CONFLICT, in words for each state', async () => {
    const said = {
      CLOSED: '这笔订单已关闭，请重新下单',
      PAYERROR: '这笔订单支付失败，请在订单页重新支付',
      SUCCESS: '这笔订单已支付',
      REFUND: '这笔订单已支付',
    } as const
    for (const [status, message] of Object.entries(said)) {
      const world = memoryWorld()
      const first = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
      const doc = world.orders.docs.get(first.outTradeNo)
      assert.ok(doc)
      doc.status = status as OrderRecord['status']
      const failure = await refusal(createOrder(world, shopper, { items: CART, requestId: REQUEST_ID }), 'ORDER_STATE_CONFLICT')
      assert.equal(failure.message, message, status)
      assert.equal(failure.detail, `order ${first.outTradeNo} is ${status}, not NOTPAY`)
      assert.equal(world.gateway.callsOf('unifiedOrder').length, 1, status)
      assert.equal(world.orders.docs.size, 1)
    }
  })
})

describe('createOrder: a concurrent retry wrote the order first (insert answers exists)', () => {
  /** The next insert finds `racer` (the same order, written by the other attempt) already there. */
  function racedBy(world: MemoryWorld, racer: (order: NewOrder) => Partial<OrderRecord>): void {
    const insert = world.orders.insert.bind(world.orders)
    world.orders.insert = async (order: NewOrder) => {
      world.orders.insert = insert
      assert.equal(await insert({ ...order, ...racer(order) }), 'inserted')
      return insert(order)
    }
  }

  test('answers the prepay the other attempt already has', async () => {
    const world = memoryWorld()
    const payment = { timeStamp: '1', nonceStr: 'x', package: 'prepay_id=racer', signType: 'MD5' as const, paySign: 'R' }
    racedBy(world, () => ({ payment }))
    const result = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    assert.deepEqual(result.payment, payment)
    assert.equal(world.gateway.calls.length, 0)
    assert.equal(world.orders.docs.size, 1)
  })

  test('prepays the stored order when the other attempt has not yet', async () => {
    const world = memoryWorld()
    racedBy(world, () => ({ clientIp: '10.1.1.1' }))
    const result = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    assert.equal(result.payment.package, 'prepay_id=wx-prepay-1')
    const [[request]] = world.gateway.callsOf('unifiedOrder') as [[{ clientIp: string; outTradeNo: string }]]
    assert.equal(request.clientIp, '10.1.1.1')
    assert.equal(request.outTradeNo, result.outTradeNo)
    assert.equal((await stored(world, result.outTradeNo)).prepayId, 'wx-prepay-1')
  })

  test('without a requestId it is a clash of order numbers: INTERNAL, and the order that holds the number is untouched', async () => {
    const world = memoryWorld()
    const zeros = { ...world, randomBytes: (n: number) => new Uint8Array(n) }
    const clash = `${BEIJING_NOW}${'0'.repeat(14)}`
    racedBy(world, (order) => ({ _openid: 'shopper-2', clientIp: '10.2.2.2', payment: undefined, prepayId: undefined, _id: order._id }))
    const failure = await refusal(createOrder(zeros, shopper, { items: CART }), 'INTERNAL')
    assert.equal(failure.message, '服务暂时不可用，请稍后重试')
    assert.equal(failure.detail, `order ${clash} already exists`)
    const order = await stored(world, clash)
    assert.equal(order._openid, 'shopper-2')
    assert.equal(order.payment, undefined)
    // Prepaid before the insert found the number taken: that prepay is never shown, so never paid.
    assert.equal(world.gateway.callsOf('unifiedOrder').length, 1)
  })

  test('with a requestId, an order that holds the number for another shopper or request is never finished', async () => {
    for (const racer of [{ _openid: 'shopper-2' }, { requestId: 'another-request-id' }]) {
      const world = memoryWorld()
      racedBy(world, () => racer)
      const failure = await refusal(createOrder(world, shopper, { items: CART, requestId: REQUEST_ID }), 'INTERNAL')
      assert.match(failure.detail ?? '', /already exists/)
      assert.equal(world.gateway.calls.length, 0, JSON.stringify(racer))
    }
  })
})

describe('createOrder: when the gateway fails', () => {
  test('the order stays unpaid with the reason, and the gateway’s own error goes back as it was (uncertain kept)', async (t) => {
    const out = captureConsole(t)
    const world = memoryWorld()
    const timeout = new AppError('PAY_GATEWAY_ERROR', '微信支付暂时不可用，请稍后重试', { uncertain: true, detail: 'unifiedorder timed out' })
    world.gateway.failNext.set('unifiedOrder', timeout)
    const failure = await refusal(createOrder(world, shopper, { items: CART, requestId: REQUEST_ID }), 'PAY_GATEWAY_ERROR')
    assert.equal(failure, timeout)
    assert.equal(failure.uncertain, true)
    const [outTradeNo] = [...world.orders.docs.keys()] as [string]
    const order = await stored(world, outTradeNo)
    assert.equal(order.status, 'NOTPAY')
    assert.equal(order.gatewayError, 'PAY_GATEWAY_ERROR: 微信支付暂时不可用，请稍后重试 — unifiedorder timed out')
    assert.equal(order.payment, undefined)
    assert.equal(order.prepayId, undefined)
    assert.deepEqual(out.error, [`createOrder ${outTradeNo}: prepay failed: PAY_GATEWAY_ERROR: 微信支付暂时不可用，请稍后重试 — unifiedorder timed out`])
    // The retry finishes the same order.
    const retried = await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    assert.equal(retried.outTradeNo, outTradeNo)
    assert.equal((await stored(world, outTradeNo)).prepayId, 'wx-prepay-1')
  })

  test('any other error becomes PAY_GATEWAY_ERROR in shopper words, keeping the cause; the stored reason is bounded', async (t) => {
    captureConsole(t)
    const world = memoryWorld()
    const cause = new Error(`socket hang up ${'x'.repeat(600)}`)
    world.gateway.failNext.set('unifiedOrder', cause)
    const failure = await refusal(createOrder(world, shopper, { items: CART, requestId: REQUEST_ID }), 'PAY_GATEWAY_ERROR')
    assert.equal(failure.message, '微信支付下单失败，请稍后重试')
    assert.equal(failure.cause, cause)
    assert.equal(failure.uncertain, false)
    const [order] = [...world.orders.docs.values()]
    assert.equal(order?.gatewayError, cause.message.slice(0, 500))
    assert.equal(order?.status, 'NOTPAY')
  })

  test('without a requestId nothing is written: the prepay comes first, and a retry is a new order', async (t) => {
    const out = captureConsole(t)
    const world = memoryWorld()
    world.gateway.failNext.set('unifiedOrder', new Error('connect ECONNREFUSED'))
    const failure = await refusal(createOrder(world, shopper, { items: CART }), 'PAY_GATEWAY_ERROR')
    assert.match(String((failure.cause as Error).message), /ECONNREFUSED/)
    assert.equal(world.orders.docs.size, 0)
    assert.match(out.error[0] ?? '', /^createOrder \d{28}: prepay failed: connect ECONNREFUSED$/)
    const retried = await createOrder(world, shopper, { items: CART })
    assert.equal(world.orders.docs.size, 1)
    assert.equal((await stored(world, retried.outTradeNo)).prepayId, 'wx-prepay-1')
  })

  test('a database that also fails to note the reason does not hide the gateway’s error', async (t) => {
    captureConsole(t)
    const world = memoryWorld()
    world.gateway.failNext.set('unifiedOrder', new Error('connect ECONNREFUSED'))
    world.orders.patch = async () => {
      throw new Error('database unavailable')
    }
    const failure = await refusal(createOrder(world, shopper, { items: CART }), 'PAY_GATEWAY_ERROR')
    assert.match(String((failure.cause as Error).message), /ECONNREFUSED/)
  })
})

describe('createOrder: the delivery address and note', () => {
  test('are checked and snapshotted on the order, trimmed, without extra keys', async () => {
    const world = memoryWorld()
    const { outTradeNo } = await createOrder(world, shopper, {
      items: CART,
      address: { ...ADDRESS, recipient: ' 张三 ', openid: 'x' },
      note: ' 放门口 ',
      requestId: REQUEST_ID,
    })
    const order = await stored(world, outTradeNo)
    assert.deepEqual(order.address, ADDRESS)
    assert.equal(order.note, '放门口')
  })

  test('the address is required: missing or null is refused in shopper words, and nothing is written', async () => {
    const world = memoryWorld()
    for (const address of [undefined, null]) {
      const failure = await refusal(createOrderAsSent(world, shopper, { items: CART, address, requestId: REQUEST_ID }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '请填写收货地址')
      assert.equal(failure.detail, 'address is required')
    }
    await refusal(createOrderAsSent(world, shopper, { items: CART }), 'INVALID_ARGUMENT')
    assert.equal(world.orders.docs.size, 0)
    assert.equal(world.requests.claims.size, 0)
    assert.equal(world.gateway.calls.length, 0)
  })

  test('the note is optional: none, null or blank stores nothing', async () => {
    const world = memoryWorld()
    for (const extra of [{}, { note: null }, { note: '  ' }]) {
      const { outTradeNo } = await createOrder(world, shopper, { items: CART, address: ADDRESS, ...extra })
      const order = await stored(world, outTradeNo)
      assert.deepEqual(order.address, ADDRESS)
      assert.equal('note' in order, false, JSON.stringify(extra))
    }
    const { outTradeNo } = await createOrder(world, shopper, { items: CART, note: '放门口' })
    assert.equal((await stored(world, outTradeNo)).note, '放门口')
  })

  test('a bad address or note writes nothing: no order, no claimed requestId, no prepay', async () => {
    const world = memoryWorld()
    const mobile = await refusal(
      createOrder(world, shopper, { items: CART, address: { ...ADDRESS, mobile: '12345' }, requestId: REQUEST_ID }),
      'INVALID_ARGUMENT',
    )
    assert.equal(mobile.message, '手机号码格式不正确')
    const note = await refusal(createOrder(world, shopper, { items: CART, address: ADDRESS, note: '放门口\n谢谢', requestId: REQUEST_ID }), 'INVALID_ARGUMENT')
    assert.equal(note.message, '备注不能换行或包含特殊字符')
    const shape = await refusal(createOrder(world, shopper, { items: CART, address: '深圳', requestId: REQUEST_ID }), 'INVALID_ARGUMENT')
    assert.equal(shape.detail, 'address must be an object')
    assert.equal(world.orders.docs.size, 0)
    assert.equal(world.requests.claims.size, 0)
    assert.equal(world.gateway.calls.length, 0)
  })

  test('a cart that cannot be ordered is reported before a bad address', async () => {
    const world = memoryWorld()
    await refusal(createOrder(world, shopper, { items: [{ goodsId: 'old', quantity: 1 }], address: { ...ADDRESS, mobile: '1' } }), 'GOODS_NOT_FOUND')
  })

  test('are part of what a requestId stands for: the same cart, address and note is the same order', async () => {
    const world = memoryWorld()
    const event = { items: CART, address: ADDRESS, note: '放门口', requestId: REQUEST_ID }
    const first = await createOrder(world, shopper, event)
    assert.deepEqual(await createOrder(world, shopper, { ...event, items: [...CART].reverse(), note: ' 放门口 ' }), first)
    for (const change of [
      { address: { ...ADDRESS, detail: '科技园路 2 号' } },
      { address: { ...ADDRESS, mobile: '13900139000' } },
      { note: '放前台' },
      { note: undefined },
    ]) {
      const failure = await refusal(createOrder(world, shopper, { ...event, ...change }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '订单内容已变化，请重新提交订单', JSON.stringify(change))
    }
    assert.equal(world.orders.docs.size, 1)
    assert.equal(world.gateway.callsOf('unifiedOrder').length, 1)
  })

  test('the fingerprint is the sorted cart, a line break, then the address and note', async () => {
    const world = memoryWorld()
    await createOrder(world, shopper, { items: CART, requestId: REQUEST_ID })
    const [claim] = [...world.requests.claims.values()]
    const expected = (note: string | null) =>
      createHash('sha256')
        .update(`coffee*2,tea*1\n${JSON.stringify([ADDRESS, note])}`)
        .digest('hex')
        .slice(0, 16)
    assert.equal(claim?.fingerprint, expected(null))
    const other = memoryWorld()
    await createOrder(other, shopper, { items: [...CART].reverse(), note: '放门口', requestId: REQUEST_ID })
    const [withNote] = [...other.requests.claims.values()]
    assert.equal(withNote?.fingerprint, expected('放门口'))
  })
})
