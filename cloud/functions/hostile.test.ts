// ≥1,000 generated malformed events for every function: no crash, a typed error, no partial
// write. The generator is seeded (HOSTILE_SEED to replay a run).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { int, mutate, object, pick, rng, value, withOwnKey, type Rng } from '../local/testing/fuzz'
import { isForbiddenKey } from '../payment/parse'
import { assertShopperWords } from '../payment/testing/shopperWords'
import { recordRow } from '../local/testing/report'
import { shipOrder } from '../local/testing/fulfilment'
import { call, cloudPayEnv, data, DELIVERY_ADDRESS, placeOrder, simPay, simRefunds } from '../local/testing/shop'

const SEED = Number(process.env['HOSTILE_SEED'] ?? Date.now() % 1_000_000)
const PER_FUNCTION = 1000
const STAFF = 'staff-1'
const TYPED = new Set(['INVALID_ARGUMENT', 'ORDER_NOT_FOUND', 'GOODS_NOT_FOUND', 'REFUND_NOT_ALLOWED', 'FORBIDDEN'])

let cloud: TestCloud
let paidOrder: { outTradeNo: string; totalFee: number }
let unpaidOrder: { outTradeNo: string; totalFee: number }
/** Paid and shipped: its owner cannot cancel it (a paid order not yet shipped would be refunded). */
let shippedOrder: { outTradeNo: string; totalFee: number }

before(async () => {
  console.log(`hostile input seed: ${SEED}`)
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
  paidOrder = await placeOrder(cloud, 'victim-1')
  await simPay(cloud, paidOrder.outTradeNo)
  unpaidOrder = await placeOrder(cloud, 'victim-1')
  shippedOrder = await placeOrder(cloud, 'victim-1')
  await simPay(cloud, shippedOrder.outTradeNo)
  await shipOrder(cloud, shippedOrder.outTradeNo, { carrier: '顺丰速运', trackingNo: 'SF-hostile' })
})
after(() => cloud.stop())

async function fire(name: string, events: unknown[], openid: string): Promise<Array<{ status: number; body: unknown }>> {
  const results: Array<{ status: number; body: unknown }> = new Array(events.length)
  let next = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < events.length) {
        const i = next++
        const body = JSON.stringify(events[i])
        try {
          const res = await fetch(`${cloud.url}/api/functions/${name}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
            body,
          })
          results[i] = { status: res.status, body: await res.json() }
        } catch (error) {
          throw new Error(`${name} #${i}: ${String(error)} ${String((error as { cause?: unknown }).cause)} body ${body?.length} bytes: ${body?.slice(0, 120)}`)
        }
      }
    }),
  )
  return results
}

function snapshot(): string {
  return JSON.stringify(cloud.engine.find('orders', {}, { limit: 100_000, sort: { _id: 1 } }))
}

/** Every answer is a typed refusal (or, for replays of valid events, a success). */
function assertTyped(
  name: string,
  events: unknown[],
  results: Array<{ status: number; body: unknown }>,
  okAllowed: (event: unknown) => boolean,
): { refused: number; ok: number } {
  const stats = check(name, events, results, okAllowed)
  recordRow({
    area: 'hostile',
    what: `${name}: generated malformed events (seed ${SEED})`,
    mode: 'cloudpay',
    times: events.length,
    ordersLost: 0,
    doubleTransitions: 0,
    wrongStates: 0,
    other: { typedRefusals: stats.refused, validByContract: stats.ok, crashes: 0, untypedErrors: 0 },
  })
  return stats
}

function check(
  name: string,
  events: unknown[],
  results: Array<{ status: number; body: unknown }>,
  okAllowed: (event: unknown) => boolean,
): { refused: number; ok: number } {
  let refused = 0
  let ok = 0
  results.forEach(({ status, body }, i) => {
    const where = `${name} #${i} (seed ${SEED}): ${JSON.stringify(events[i])?.slice(0, 160)} → ${status} ${JSON.stringify(body).slice(0, 200)}`
    // Over 1 MB the gateway refuses before any function runs: typed too, and nothing written.
    if (status === 413) return void refused++
    assert.equal(status, 200, where)
    const result = body as { ok: boolean; error?: { code: string; message: string } }
    if (result.ok) {
      assert.ok(okAllowed(events[i]), `unexpected success: ${where}`)
      ok++
    } else {
      assert.ok(result.error && TYPED.has(result.error.code), `untyped or internal error: ${where}`)
      // Whatever the input, the caller reads shopper words, never English validation text.
      assertShopperWords(result.error.message, where)
      refused++
    }
  })
  return { refused, ok }
}

const nonObject = (r: Rng): unknown => pick(r, [null, [], 'x', 42, true, [{}], value(r)])
const badOutTradeNo = (r: Rng): unknown =>
  pick(r, [1, '', 'short', 'x'.repeat(33), 'has space 12345', '../../etc/x', { $ne: '' }, null, [], '咖啡咖啡咖啡咖啡', 'nul\u0000byte000'])
const badInt = (r: Rng): unknown => pick(r, [0, -1, 1.5, '1', '10', 1e308, null, true, {}, [], Number.MAX_SAFE_INTEGER + 2, -0.5])

describe(`hostile input (seed ${SEED})`, () => {
  test(`createOrder: ${PER_FUNCTION} malformed events, then replays of one valid request`, async () => {
    const r = rng(SEED)
    const line = { goodsId: 'goods-coffee', quantity: 1 }
    const valid = { items: [line], requestId: 'req-hostile-01', address: DELIVERY_ADDRESS }
    const breakers: Array<(r: Rng, v: Record<string, unknown>) => unknown> = [
      (r) => nonObject(r),
      (r, v) => ({ ...v, items: pick(r, [null, 'goods-coffee', 42, {}, { 0: line }, true]) }),
      (r, v) => ({ ...v, items: r() < 0.5 ? [] : Array.from({ length: int(r, 21, 300) }, (_, i) => ({ goodsId: `g${i}`, quantity: 1 })) }),
      (r, v) => ({ ...v, items: [{ ...line, quantity: badInt(r) === 1 ? 0 : pick(r, [0, -1, 100, 1.5, '1', null, 1e308, true, {}, []]) }] }),
      (r, v) => ({ ...v, items: [{ ...line, goodsId: pick(r, [12, '', 'x'.repeat(65), 'a b', '{"$gt":""}', { $gt: '' }, null, 'nul\u0000byte', '🙂']) }] }),
      (_r, v) => ({ ...v, items: [line, line] }),
      (r, v) => ({ ...v, requestId: pick(r, [1, '', 'short', 'x'.repeat(65), 'bad id!', {}, [], true]) }),
      (r, v) => ({
        ...v,
        address: pick(r, [
          null,
          'x',
          {},
          [],
          { ...DELIVERY_ADDRESS, mobile: '1' },
          { ...DELIVERY_ADDRESS, detail: 'a\nb' },
          { ...DELIVERY_ADDRESS, recipient: 7 },
        ]),
      }),
      (r, v) => withOwnKey({ ...v }, '__proto__', object(r)),
      (r, v) => ({ ...v, items: [withOwnKey({ ...line }, pick(r, ['__proto__', 'constructor', 'prototype']), { quantity: 2 })] }),
      (r, v) => ({ ...v, items: [pick(r, [null, 'goods-coffee', 1, [line], true])] }),
      (r, v) => ({ ...v, items: [{ ...line, goodsId: 'goods-retired' }], requestId: `req-${int(r, 10_000_000, 99_999_999)}` }),
    ]
    const events = Array.from({ length: PER_FUNCTION }, () => mutate(r, valid, breakers))
    const before = { orders: snapshot(), requests: cloud.engine.count('order_requests', {}) }
    const stats = assertTyped('createOrder', events, await fire('createOrder', events, 'fuzzer-1'), () => false)
    assert.equal(stats.refused, PER_FUNCTION)
    assert.equal(snapshot(), before.orders, 'no order written, none changed')
    assert.equal(cloud.engine.count('order_requests', {}), before.requests, 'no request id claimed')
    const replays = await fire(
      'createOrder',
      Array.from({ length: 20 }, () => valid),
      'fuzzer-1',
    )
    assert.equal(new Set(replays.map((x) => data(x.body as never as { ok: true; data: { outTradeNo: string } }).outTradeNo)).size, 1, 'replays make one order')
    assert.equal(cloud.engine.count('orders', { _openid: 'fuzzer-1' }), 1)
  })

  /**
   * Valid by the contract although generated: an object without forbidden keys whose `fields`
   * are all absent (or null); unknown keys are ignored by design.
   */
  type Check = (v: unknown) => boolean
  const validWith = (e: unknown, fields: Record<string, Check>, absent: string[] = []): boolean => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return false
    const o = e as Record<string, unknown>
    return (
      Object.keys(o).every((k) => !isForbiddenKey(k)) &&
      Object.entries(fields).every(([f, ok]) => o[f] === undefined || o[f] === null || ok(o[f])) &&
      absent.every((f) => o[f] === undefined)
    )
  }
  const intIn =
    (lo: number, hi: number): Check =>
    (v) =>
      typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi
  const matches =
    (re: RegExp): Check =>
    (v) =>
      typeof v === 'string' && re.test(v)
  const isListQuery = (e: unknown): boolean => validWith(e, { cursor: matches(/^[A-Za-z0-9_-]{6,32}$/), limit: intIn(1, 50) }, ['outTradeNo'])
  const validWithout = (e: unknown, fields: string[]): boolean =>
    validWith(
      e,
      Object.fromEntries(fields.map((f) => [f, f === 'cursor' ? matches(/^[A-Za-z0-9_-]{1,64}$/) : f === 'limit' ? intIn(1, 50) : intIn(0, 7 * 24 * 3600)])),
    )

  for (const name of ['queryOrder', 'confirmPayment', 'cancelOrder'] as const) {
    test(`${name}: ${PER_FUNCTION} malformed events and replays`, async () => {
      const r = rng(SEED + { queryOrder: 1, confirmPayment: 2, cancelOrder: 7 }[name])
      const target = name === 'cancelOrder' ? shippedOrder : paidOrder
      const valid = { outTradeNo: target.outTradeNo }
      const breakers: Array<(r: Rng, v: Record<string, unknown>) => unknown> = [
        (r) => nonObject(r),
        (r) => ({ outTradeNo: badOutTradeNo(r) }),
        (r) => withOwnKey({ outTradeNo: target.outTradeNo }, '__proto__', object(r)),
        (r) => (name === 'queryOrder' ? { limit: badInt(r) === 10 ? 0 : pick(r, [0, 51, -1, 1.5, '10', 1e9]) } : { outTradeNo: badOutTradeNo(r) }),
        (r) => (name === 'queryOrder' ? { cursor: badOutTradeNo(r) } : { outTradeNo: badOutTradeNo(r) }),
        (_r, v) => v, // a replay: the caller is not the owner, so ORDER_NOT_FOUND
      ]
      const events = Array.from({ length: PER_FUNCTION }, () => mutate(r, valid, breakers))
      const before = snapshot()
      assertTyped(name, events, await fire(name, events, 'fuzzer-2'), (e) => name === 'queryOrder' && isListQuery(e))
      // The owner's replays succeed and change nothing.
      const owner = await fire(
        name,
        Array.from({ length: 50 }, () => valid),
        'victim-1',
      )
      // Except that a shipped order cannot be cancelled: the owner is refused, and nothing changes.
      const ownerAnswer = (x: { body: unknown }): string => {
        const body = x.body as { ok: boolean; error?: { code: string } }
        return body.ok ? 'ok' : String(body.error?.code)
      }
      assert.deepEqual(new Set(owner.map(ownerAnswer)), new Set([name === 'cancelOrder' ? 'ORDER_STATE_CONFLICT' : 'ok']))
      assert.equal(snapshot(), before)
    })
  }

  test(`orderAction: ${PER_FUNCTION} malformed events; the owner's replays file one request`, async () => {
    const r = rng(SEED + 8)
    const valid = { action: 'afterSale', outTradeNo: shippedOrder.outTradeNo, reason: '肩带断了', requestId: 'as-hostile-01' }
    const breakers: Array<(r: Rng, v: Record<string, unknown>) => unknown> = [
      (r) => nonObject(r),
      (r, v) => ({ ...v, action: pick(r, [1, '', 'cancel', 'confirmreceipt', {}, null, ['afterSale']]) }),
      (r, v) => ({ ...v, outTradeNo: badOutTradeNo(r) }),
      (r, v) => ({ ...v, reason: pick(r, [1, '', '   ', '坏'.repeat(201), '坏了\n谢谢', 'a\u0000b', 'a\u2028b', {}, [], null, { $ne: '' }]) }),
      (r, v) => ({ ...v, requestId: pick(r, [1, '', 'short', 'x'.repeat(65), 'bad id!', {}, null, { $gt: '' }]) }),
      (r, v) => withOwnKey({ ...v }, pick(r, ['__proto__', 'constructor', '$set']), object(r)),
      (_r, v) => v, // a replay by someone else: ORDER_NOT_FOUND
    ]
    const events = Array.from({ length: PER_FUNCTION }, () => mutate(r, valid, breakers))
    const before = snapshot()
    const stats = assertTyped('orderAction', events, await fire('orderAction', events, 'fuzzer-4'), () => false)
    assert.equal(stats.refused, PER_FUNCTION)
    assert.equal(snapshot(), before, 'nothing written')
    const owner = await fire(
      'orderAction',
      Array.from({ length: 30 }, () => valid),
      'victim-1',
    )
    for (const { body } of owner) assert.equal((body as { ok: boolean }).ok, true)
    const stored = cloud.engine.getById('orders', shippedOrder.outTradeNo)?.doc
    assert.deepEqual(Object.keys(stored?.['afterSales'] as object), ['as-hostile-01'])
  })

  test(`listGoods: ${PER_FUNCTION} malformed events`, async () => {
    const r = rng(SEED + 3)
    const events = Array.from({ length: PER_FUNCTION }, () =>
      pick(r, [
        nonObject(r),
        { limit: pick(r, [0, 51, -1, 1.5, '10', {}]) },
        { cursor: pick(r, [1, '', 'x'.repeat(65), 'a b', {}]) },
        withOwnKey({}, '__proto__', object(r)),
      ]),
    )
    const results = await fire('listGoods', events, 'fuzzer-3')
    const stats = assertTyped('listGoods', events, results, (e) => validWithout(e, ['cursor', 'limit']))
    assert.ok(stats.refused > PER_FUNCTION / 2)
  })

  test(`refundOrder (as staff): ${PER_FUNCTION} malformed events and replays; no refund twice`, async () => {
    const r = rng(SEED + 4)
    const valid = { outTradeNo: paidOrder.outTradeNo, refundFee: 100, outRefundNo: 'RF-hostile-01' }
    const breakers: Array<(r: Rng, v: Record<string, unknown>) => unknown> = [
      (r) => nonObject(r),
      (r, v) => ({ ...v, outTradeNo: badOutTradeNo(r) }),
      (r, v) => ({ ...v, refundFee: badInt(r) }),
      (r, v) => ({ ...v, outRefundNo: pick(r, [1, '', 'short', 'x'.repeat(65), 'bad no!', {}, '咖啡咖啡咖啡']) }),
      (r, v) => ({ ...v, reason: pick(r, [1, {}, [], 'x'.repeat(81), true]) }),
      (r, v) => withOwnKey({ ...v }, '__proto__', object(r)),
      (_r, v) => ({ ...v, outTradeNo: unpaidOrder.outTradeNo }),
      (_r, v) => ({ ...v, refundFee: 10_000_000 }),
      (_r, v) => ({ ...v, refundFee: 101 }), // the same outRefundNo with another amount
    ]
    data(await call(cloud, 'refundOrder', valid, STAFF))
    const events = [...Array.from({ length: PER_FUNCTION }, () => mutate(r, valid, breakers)), ...Array.from({ length: 50 }, () => valid)]
    const isReplay = (e: unknown): boolean => JSON.stringify(e) === JSON.stringify(valid)
    const stats = assertTyped('refundOrder', events, await fire('refundOrder', events, STAFF), isReplay)
    assert.ok(stats.ok >= 50)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const refunds = simRefunds(cloud, paidOrder.outTradeNo)
    assert.deepEqual(
      refunds.map((x) => [x['outRefundNo'], x['refundFee']]),
      [['RF-hostile-01', 100]],
      'one refund at the gateway',
    )
    const stored = cloud.engine.getById('orders', paidOrder.outTradeNo)?.doc
    assert.equal(stored?.['refundReservedFee'], 100)
    assert.equal(Object.keys(stored?.['refunds'] as object).length, 1)
    // And as a shopper, every one of them is FORBIDDEN.
    const shopper = await fire('refundOrder', events.slice(0, 100), 'victim-1')
    assert.ok(
      shopper.every(
        (x) =>
          (x.body as { error?: { code: string } }).error?.code === 'FORBIDDEN' || (x.body as { error?: { code: string } }).error?.code === 'INVALID_ARGUMENT',
      ),
    )
  })

  test(`reconcile (as staff): ${PER_FUNCTION} malformed events`, async () => {
    const r = rng(SEED + 5)
    const events = Array.from({ length: PER_FUNCTION }, () =>
      pick(r, [nonObject(r), { olderThanSeconds: pick(r, [-1, 1.5, '60', {}, 1e12, true]) }, withOwnKey({}, '__proto__', object(r))]),
    )
    const before = snapshot()
    const stats = assertTyped('reconcile', events, await fire('reconcile', events, STAFF), (e) => validWithout(e, ['olderThanSeconds']))
    assert.ok(stats.refused > PER_FUNCTION / 2)
    assert.equal(snapshot(), before, 'nothing was due: no order changed')
  })

  test(`payNotify: ${PER_FUNCTION} forged events from a shopper, and ${PER_FUNCTION} malformed callbacks from WeChat Pay`, async () => {
    const r = rng(SEED + 6)
    const genuine = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      subMchId: '1900000109',
      outTradeNo: unpaidOrder.outTradeNo,
      transactionId: '4200000000202611270000009999',
      totalFee: unpaidOrder.totalFee,
      timeEnd: '20261127120000',
    }
    const forged = Array.from({ length: PER_FUNCTION }, () =>
      r() < 0.3
        ? genuine
        : mutate(r, genuine, [
            (r) => nonObject(r),
            (r, v) => ({ ...v, [pick(r, Object.keys(genuine))]: value(r) }),
            (r, v) => withOwnKey({ ...v }, '__proto__', object(r)),
          ]),
    )
    const eventsBefore = cloud.engine.count('payment_events', {})
    const before = snapshot()
    const fromShopper = await fire('payNotify', forged, 'mallory-9')
    assert.ok(fromShopper.every((x) => x.status === 413 || (x.status === 200 && JSON.stringify(x.body) === '{"errcode":403,"errmsg":"FORBIDDEN"}')))
    const delivered = fromShopper.filter((x) => x.status === 200).length
    const breakers: Array<(r: Rng, v: Record<string, unknown>) => unknown> = [
      (r) => nonObject(r),
      (r, v) => ({ ...v, totalFee: pick(r, [1, unpaidOrder.totalFee + 1, '1', 'x', -1, 1.5, null, {}, 1e308, String(unpaidOrder.totalFee + 1)]) }),
      (r, v) => ({ ...v, outTradeNo: badOutTradeNo(r) }),
      (r, v) => ({ ...v, subMchId: pick(r, ['1900000999', '', 1, null, 'abc', {}]) }),
      (r, v) => ({ ...v, resultCode: pick(r, ['FAIL', '', null, 1, 'success']) }),
      (r, v) => ({ ...v, returnCode: pick(r, ['FAIL', '', null]) }),
      (r, v) => ({ ...v, transactionId: pick(r, ['', null, 1, 'x'.repeat(65), 'has space']) }),
      (r, v) => ({ ...v, timeEnd: pick(r, ['2026', 'yesterday', 1, {}]) }),
      (r, v) => withOwnKey({ ...v, totalFee: 1 }, '__proto__', object(r)),
    ]
    const malformed = Array.from({ length: PER_FUNCTION }, () => mutate(r, genuine, breakers))
    let next = 0
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < malformed.length) {
          const event = JSON.parse(JSON.stringify(malformed[next++])) as unknown
          const outcome = await cloud.runner.invoke('payNotify', event, { source: 'wx_paycallback' })
          assert.ok(outcome.ok, JSON.stringify(outcome))
          assert.deepEqual(outcome.result, { errcode: 0, errmsg: 'OK' }, JSON.stringify(event)?.slice(0, 200))
        }
      }),
    )
    assert.equal(snapshot(), before, 'no order changed')
    recordRow({
      area: 'hostile',
      what: `payNotify: forged callbacks from a shopper, then malformed callbacks from WeChat Pay (seed ${SEED})`,
      mode: 'cloudpay',
      times: 2 * PER_FUNCTION,
      ordersLost: 0,
      doubleTransitions: 0,
      wrongStates: 0,
      other: { refused: 2 * PER_FUNCTION, crashes: 0 },
    })
    const added = cloud.engine.find('payment_events', {}, { limit: 100_000 }).slice(eventsBefore)
    assert.equal(added.length, PER_FUNCTION, 'every callback from WeChat Pay recorded')
    assert.ok(added.every((e) => e['decision'] === 'rejected'))
    // The shopper's forgeries are junk: counted per minute, not stored one by one.
    const counters = cloud.engine.find('payment_rejects', {}, { limit: 1000 })
    assert.ok(counters.length <= 2, `one counter a minute, got ${counters.length}`)
    assert.ok(counters.every((c) => c['reason'] === 'not_wechat_pay'))
    assert.equal(
      counters.reduce((n, c) => n + Number(c['count']), 0),
      delivered,
    )
  })

  test('hostile merchant XML is refused safely', async () => {
    const merchant = await startTestCloud({
      functionEnv: {
        PAY_MODE: 'merchant',
        WXPAY_APPID: 'wx0000000000test',
        WXPAY_MCH_ID: '1900000110',
        WXPAY_KEY: 'k'.repeat(32),
        WXPAY_NOTIFY_URL: '{{LOCAL_CLOUD_URL}}/api/http/payNotify',
        WXPAY_API_BASE: '{{LOCAL_CLOUD_URL}}',
        WXPAY_API_SIMULATOR: 'true',
      },
    })
    try {
      const bodies: Array<string | Buffer> = [
        '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><return_code>&b;</return_code></xml>',
        '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><a>&x;</a></xml>',
        `<xml>${'<a>1</a>'.repeat(2)}</xml>`,
        `<xml><return_code>SUCCESS</return_code><return_code>FAIL</return_code></xml>`,
        `<xml><a>${'x'.repeat(2_000_000)}</a></xml>`.slice(0, 1_000_000),
        '<xml><a><b>nested</b></a></xml>',
        '<xml a="attr"><b>1</b></xml>',
        '<xml><__proto__>1</__proto__></xml>',
        Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xc4, 0xe3, 0xba, 0xc3, 0x3c, 0x2f, 0x78, 0x6d, 0x6c, 0x3e]), // GBK bytes
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<xml><a>1</a></xml>', 'utf16le')]), // UTF-16LE with BOM
        Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xc0, 0xaf, 0x3c, 0x2f, 0x78, 0x6d, 0x6c, 0x3e]), // invalid UTF-8
        '<xml><return_code><![CDATA[SUCCESS]]></return_code><req_info><![CDATA[bm90IGVuY3J5cHRlZA==]]></req_info><mch_id>1900000110</mch_id><appid>wx0000000000test</appid></xml>',
        '',
        '   ',
        '<xml>',
      ]
      const before = merchant.engine.count('payment_events', {})
      for (const body of bodies) {
        const res = await fetch(`${merchant.url}/api/http/payNotify`, {
          method: 'POST',
          headers: { 'content-type': 'text/xml' },
          body: typeof body === 'string' ? body : new Uint8Array(body),
        })
        assert.equal(res.status, 200)
        assert.match(await res.text(), /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>/, typeof body === 'string' ? body.slice(0, 80) : body.toString('hex'))
      }
      // Nothing here can be authenticated: counted per minute and reason, nothing in payment_events.
      assert.equal(merchant.engine.count('payment_events', {}), before)
      const counters = merchant.engine.find('payment_rejects', {}, { limit: 1000 })
      assert.ok(counters.length <= 6, `one counter per minute and reason, got ${counters.length}`)
      assert.equal(
        counters.reduce((n, c) => n + Number(c['count']), 0),
        bodies.length,
      )
      assert.deepEqual([...new Set(counters.map((c) => String(c['reason'])))].sort(), ['bad_req_info', 'malformed_xml'])
      assert.equal(merchant.engine.count('orders', {}), 0)
      assert.equal((await fetch(`${merchant.url}/healthz`)).status, 200)
      recordRow({
        area: 'hostile',
        what: 'merchant notify XML: entities (billion laughs, external), duplicate fields, 1 MB body, nesting, attributes, GBK, UTF-16, invalid UTF-8, forged req_info, empty',
        mode: 'merchant',
        times: bodies.length,
        ordersLost: 0,
        doubleTransitions: 0,
        wrongStates: 0,
        other: { refused: bodies.length, crashes: 0 },
      })
    } finally {
      await merchant.stop()
    }
  })
})
