// A checkout with the app's dated requestId: the order number is derived from the id, so the
// insert itself refuses a repeat and a first call costs two round trips (the goods, the insert).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { AppError } from '../errors'
import type { NewOrder } from '../ports'
import { captureConsole, refusal } from '../testing/assertions'
import { memoryWorld, type MemoryWorld } from '../testing/memory'
import { createOrder as createOrderAsSent, datedRequestTime, ORDER_LIFETIME_MS, REPEAT_AFTER_MS, requestNumber } from './createOrder'
import type { Caller } from './deps'

const shopper: Caller = { openid: 'shopper-1', appid: 'wx-app', clientIp: '10.0.0.8' }
const CART = [
  { goodsId: 'coffee', quantity: 2 },
  { goodsId: 'tea', quantity: 1 },
]
const ADDRESS = { recipient: '张三', mobile: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路 1 号' }

/** A memory world whose gateway, like WeChat Pay, answers a number's prepay again only for the same parameters. */
function world(): MemoryWorld {
  const w = memoryWorld()
  w.gateway.numbersOnce = true
  return w
}

/** The app's id: its clock in base36 ms, a dash, random letters (src/stores/orders.ts). */
const appRequestId = (ms: number, tail = 'k3j9x0a1b2'): string => `${ms.toString(36)}-${tail}`

function createOrder(w: MemoryWorld, caller: Caller, event: Record<string, unknown>) {
  return createOrderAsSent(w, caller, { address: ADDRESS, ...event })
}

/** Counts reads and inserts of orders. */
function count(w: MemoryWorld): { reads: number; inserts: number } {
  const seen = { reads: 0, inserts: 0 }
  const get = w.orders.get.bind(w.orders)
  const insert = w.orders.insert.bind(w.orders)
  w.orders.get = async (outTradeNo) => {
    seen.reads++
    return get(outTradeNo)
  }
  w.orders.insert = async (order: NewOrder) => {
    seen.inserts++
    return insert(order)
  }
  return seen
}

describe('createOrder with a dated requestId', () => {
  test('the number is the app second and 14 digits hashed from shopper and id; nothing is read or claimed, one insert', async (t) => {
    captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now() - 3000)
    const seen = count(w)
    const result = await createOrder(w, shopper, { items: CART, requestId })
    // 2026-11-28 09:59:57 in Beijing: the second the app began the checkout.
    assert.match(result.outTradeNo, /^20261128095957\d{14}$/)
    assert.equal(result.outTradeNo, requestNumber(w.clock.now() - 3000, 'shopper-1', requestId))
    assert.deepEqual(seen, { reads: 0, inserts: 1 })
    assert.equal(w.requests.claims.size, 0)
    assert.deepEqual(w.orders.writes, [], 'no patch after the insert')
    const order = w.orders.docs.get(result.outTradeNo)
    assert.equal(order?.requestId, requestId)
    assert.match(order?.requestFingerprint ?? '', /^[0-9a-f]{16}$/)
    assert.deepEqual(order?.payment, result.payment)
    // Its lifetime runs from the app's time, so that a retry prepays with the same time_expire.
    assert.deepEqual(order?.expireAt, new Date(w.clock.now() - 3000 + ORDER_LIFETIME_MS))
  })

  test('a retry answers the stored order: the gateway gives the same prepay for the same parameters, the insert refuses a second order', async (t) => {
    captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now())
    const first = await createOrder(w, shopper, { items: CART, requestId })
    w.clock.advance(30_000)
    const again = await createOrder(w, shopper, { items: [...CART].reverse(), requestId })
    assert.deepEqual(again, first)
    assert.equal(w.orders.docs.size, 1)
    assert.equal(w.gateway.prepays, 1)
  })

  test('a retry from another network (other parameters) is refused a second prepay and answers the stored order', async (t) => {
    captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now())
    const first = await createOrder(w, shopper, { items: CART, requestId })
    const again = await createOrder(w, { ...shopper, clientIp: '10.9.9.9' }, { items: CART, requestId })
    assert.deepEqual(again, first)
    assert.equal(w.orders.docs.size, 1)
  })

  test('attempts at once make one order, and every attempt answers it', async (t) => {
    captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now())
    const answers = await Promise.all(Array.from({ length: 5 }, () => createOrder(w, shopper, { items: CART, requestId })))
    assert.equal(w.orders.docs.size, 1)
    for (const answer of answers) assert.deepEqual(answer, answers[0])
    assert.deepEqual(answers[0]?.payment, w.orders.docs.get(answers[0]?.outTradeNo ?? '')?.payment)
  })

  test('with a different cart, address or note it is refused, and the order is untouched', async (t) => {
    captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now())
    const first = await createOrder(w, shopper, { items: CART, requestId })
    const before = structuredClone(w.orders.docs.get(first.outTradeNo))
    for (const change of [{ items: [{ goodsId: 'coffee', quantity: 3 }] }, { address: { ...ADDRESS, detail: '科技园路 2 号' } }, { note: '放门口' }]) {
      const failure = await refusal(createOrder(w, shopper, { items: CART, requestId, ...change }), 'INVALID_ARGUMENT')
      assert.equal(failure.message, '订单内容已变化，请重新提交订单', JSON.stringify(change))
    }
    assert.deepEqual(w.orders.docs.get(first.outTradeNo), before)
    assert.equal(w.orders.docs.size, 1)
  })

  test('is per shopper: the same id from another shopper is another number', async (t) => {
    captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now())
    const mine = await createOrder(w, shopper, { items: CART, requestId })
    const theirs = await createOrder(w, { ...shopper, openid: 'shopper-2' }, { items: CART, requestId })
    assert.notEqual(theirs.outTradeNo, mine.outTradeNo)
    assert.equal(w.orders.docs.get(theirs.outTradeNo)?._openid, 'shopper-2')
  })

  test('an order under the number that is not this request’s is never answered', async (t) => {
    captureConsole(t)
    for (const racer of [{ _openid: 'shopper-2' }, { requestId: 'another-request-id' }]) {
      const w = world()
      const requestId = appRequestId(w.clock.now())
      const outTradeNo = requestNumber(w.clock.now(), 'shopper-1', requestId)
      const placed = await createOrder(w, { ...shopper, openid: 'seed' }, { items: CART })
      const doc = w.orders.docs.get(placed.outTradeNo)
      assert.ok(doc)
      w.orders.docs.delete(placed.outTradeNo)
      w.orders.docs.set(outTradeNo, { ...doc, _id: outTradeNo, outTradeNo, requestId, _openid: 'shopper-1', ...racer })
      const failure = await refusal(createOrder(w, shopper, { items: CART, requestId }), 'INTERNAL')
      assert.equal(failure.detail, `order ${outTradeNo} already exists`)
    }
  })

  test('a gateway failure writes nothing and goes back as it was; the retry makes the order', async (t) => {
    const out = captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now())
    const timeout = new AppError('PAY_GATEWAY_ERROR', '微信支付暂时不可用，请稍后重试', { uncertain: true, detail: 'unifiedorder timed out' })
    w.gateway.failNext.set('unifiedOrder', timeout)
    assert.equal(await refusal(createOrder(w, shopper, { items: CART, requestId }), 'PAY_GATEWAY_ERROR'), timeout)
    assert.equal(w.orders.docs.size, 0)
    assert.match(out.error[0] ?? '', /: prepay failed: PAY_GATEWAY_ERROR: 微信支付暂时不可用，请稍后重试 — unifiedorder timed out$/)
    const retried = await createOrder(w, shopper, { items: CART, requestId })
    assert.equal(retried.outTradeNo, requestNumber(w.clock.now(), 'shopper-1', requestId))
    assert.equal(w.orders.docs.size, 1)
  })

  test('stopped between the prepay and the insert: a retry with the same parameters stores the same prepay', async (t) => {
    captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now())
    const insert = w.orders.insert.bind(w.orders)
    w.orders.insert = async () => {
      throw new Error('the function was stopped')
    }
    await assert.rejects(createOrder(w, shopper, { items: CART, requestId }), /stopped/)
    w.orders.insert = insert
    w.clock.advance(20_000)
    const retried = await createOrder(w, shopper, { items: CART, requestId })
    assert.equal(retried.payment.package, 'prepay_id=wx-prepay-1')
    assert.equal(w.gateway.prepays, 1)
  })

  test('stopped between the prepay and the insert, retried with other parameters: refused, and never a second number', async (t) => {
    const out = captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now())
    const insert = w.orders.insert.bind(w.orders)
    w.orders.insert = async () => {
      throw new Error('the function was stopped')
    }
    await assert.rejects(createOrder(w, shopper, { items: CART, requestId }), /stopped/)
    w.orders.insert = insert
    const failure = await refusal(createOrder(w, { ...shopper, clientIp: '10.9.9.9' }, { items: CART, requestId }), 'PAY_GATEWAY_ERROR')
    assert.equal(failure.message, '订单信息已变化，请重新下单')
    assert.equal(w.orders.docs.size, 0)
    assert.match(out.error.at(-1) ?? '', /prepay failed: .*OUT_TRADE_NO_USED/)
    // The same parameters again (the first network) store the prepay the gateway holds: one order.
    const retried = await createOrder(w, shopper, { items: CART, requestId })
    assert.equal(retried.payment.package, 'prepay_id=wx-prepay-1')
    assert.equal(w.orders.docs.size, 1)
  })

  test('long after the app began it, the stored order is read first and answered without a prepay', async (t) => {
    captureConsole(t)
    const w = world()
    const requestId = appRequestId(w.clock.now())
    const first = await createOrder(w, shopper, { items: CART, requestId })
    w.clock.advance(REPEAT_AFTER_MS + 1)
    const calls = w.gateway.calls.length
    assert.deepEqual(await createOrder(w, shopper, { items: CART, requestId }), first)
    assert.equal(w.gateway.calls.length, calls)
  })

  test('a phone clock far behind still orders, living its lifetime from the server’s time', async (t) => {
    captureConsole(t)
    const w = world()
    const dated = w.clock.now() - 3 * 3600_000
    const { outTradeNo } = await createOrder(w, shopper, { items: CART, requestId: appRequestId(dated) })
    assert.ok(outTradeNo.startsWith('20261128070000'))
    assert.deepEqual(w.orders.docs.get(outTradeNo)?.expireAt, new Date(w.clock.now() + ORDER_LIFETIME_MS))
  })

  test('ids that are not dated, or dated more than a day ahead or behind, are claimed in order_requests', async (t) => {
    captureConsole(t)
    const w = world()
    assert.equal(datedRequestTime('checkout-0001'), undefined, 'base36 for the year 2000')
    assert.equal(datedRequestTime('Checkout-0001'), undefined, 'not the app’s letters')
    assert.equal(datedRequestTime('mx19abld'), undefined, 'no dash')
    assert.equal(datedRequestTime(appRequestId(Date.UTC(2026, 10, 28))), Date.UTC(2026, 10, 28))
    for (const requestId of ['checkout-0001', appRequestId(w.clock.now() + 25 * 3600_000), appRequestId(w.clock.now() - 25 * 3600_000)]) {
      const { outTradeNo } = await createOrder(w, shopper, { items: CART, requestId })
      assert.ok(outTradeNo.startsWith('20261128100000'), 'numbered by the server’s time')
    }
    assert.equal(w.requests.claims.size, 3)
  })
})
