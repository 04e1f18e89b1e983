// Hostile and mistaken input to the payment functions: forged callbacks, bad signatures,
// other shoppers, malformed events, missing configuration. Nothing may change an order wrongly.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { buildXml } from '../payment/protocol/xml'
import { sign } from '../payment/protocol/sign'
import { captureOutput } from '../local/testing/functionOutput'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { assertShopperWords } from '../payment/testing/shopperWords'
import {
  APPID,
  call,
  cloudPayEnv,
  DELIVERY_ADDRESS,
  MERCHANT_MCH_ID,
  merchantEnv,
  paymentEvents,
  placeOrder,
  storedOrder,
  SUB_MCH_ID,
  type OrderView,
} from '../local/testing/shop'

function code(result: { ok: boolean; error?: { code: string } }): string | undefined {
  return result.ok ? 'ok' : result.error?.code
}

describe('cloudpay mode', () => {
  let cloud: TestCloud
  before(async () => {
    cloud = await startTestCloud({ functionEnv: cloudPayEnv() })
  })
  after(() => cloud.stop())

  test('a shopper calling payNotify with a perfect-looking callback is refused; the order stays unpaid', async () => {
    const order = await placeOrder(cloud, 'mallory-1')
    const forged = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      appid: 'wx0000000000c1dpay',
      mchId: '1900000000',
      subMchId: SUB_MCH_ID,
      outTradeNo: order.outTradeNo,
      transactionId: '4200000000202611270000000001',
      totalFee: order.totalFee,
      cashFee: order.totalFee,
      timeEnd: '20261127120000',
      tradeType: 'JSAPI',
    }
    const res = await fetch(`${cloud.url}/api/functions/payNotify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': 'mallory-1' },
      body: JSON.stringify(forged),
    })
    assert.deepEqual(await res.json(), { errcode: 403, errmsg: 'FORBIDDEN' })
    assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'NOTPAY')
    // Anyone can call it: counted per minute in payment_rejects, not stored a document a call.
    assert.deepEqual(paymentEvents(cloud, order.outTradeNo), [])
    const [counter] = cloud.engine.find('payment_rejects', { reason: 'not_wechat_pay' }, { limit: 10 })
    assert.equal(counter?.['count'], 1)
    assert.match(String((counter?.['sample'] as { detail?: unknown } | undefined)?.detail), /SOURCE=wx_client/)
  })

  test('a genuine-source callback with the wrong amount or merchant is recorded as rejected and changes nothing', async () => {
    const order = await placeOrder(cloud, 'erin-1')
    const genuine = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      subMchId: SUB_MCH_ID,
      outTradeNo: order.outTradeNo,
      transactionId: '4200000000202611270000000002',
      totalFee: order.totalFee,
      timeEnd: '20261127120000',
    }
    const replies = []
    for (const event of [
      { ...genuine, totalFee: 1 },
      { ...genuine, subMchId: '1900000999' },
      { ...genuine, outTradeNo: '20261127000000unknownunknown' },
      { ...genuine, totalFee: '1e3' },
    ]) {
      const outcome = await cloud.runner.invoke('payNotify', event, { source: 'wx_paycallback' })
      assert.ok(outcome.ok)
      replies.push(outcome.result)
    }
    assert.deepEqual(replies, Array(4).fill({ errcode: 0, errmsg: 'OK' }))
    assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'NOTPAY')
    const reasons = paymentEvents(cloud, order.outTradeNo).map((e) => `${String(e['decision'])}: ${String(e['reason'])}`)
    assert.equal(reasons.length, 3)
    assert.match(reasons[0]!, /^rejected: amount mismatch/)
    assert.match(reasons[1]!, /^rejected: merchant mismatch/)
    assert.match(reasons[2]!, /^rejected: total_fee/)
    assert.equal(paymentEvents(cloud, '20261127000000unknownunknown')[0]?.['reason'], 'unknown order 20261127000000unknownunknown')
  })

  test("another shopper's order is ORDER_NOT_FOUND, for reading and for confirming", async () => {
    const order = await placeOrder(cloud, 'frank-1')
    assert.equal(code(await call(cloud, 'queryOrder', { outTradeNo: order.outTradeNo }, 'grace-1')), 'ORDER_NOT_FOUND')
    assert.equal(code(await call(cloud, 'confirmPayment', { outTradeNo: order.outTradeNo }, 'grace-1')), 'ORDER_NOT_FOUND')
    const list = await call<{ items: OrderView[] }>(cloud, 'queryOrder', {}, 'grace-1')
    assert.deepEqual(list.ok && list.data.items, [])
  })

  test('a price, a total or an openid in the event is ignored', async () => {
    const result = await call<{ outTradeNo: string; totalFee: number }>(
      cloud,
      'createOrder',
      {
        items: [{ goodsId: 'goods-mug', quantity: 1, priceFen: 1, price: 0.01 }],
        totalFee: 1,
        openid: 'victim-1',
        _openid: 'victim-1',
        address: DELIVERY_ADDRESS,
      },
      'henry-1',
    )
    assert.ok(result.ok)
    assert.equal(result.data.totalFee, 4500)
    const stored = storedOrder(cloud, result.data.outTradeNo)
    assert.equal(stored?.['_openid'], 'henry-1')
    assert.equal(stored?.['totalFee'], 4500)
  })

  test('goods that are off sale or unknown are GOODS_NOT_FOUND and create no order', async () => {
    const before = cloud.engine.count('orders', {})
    assert.equal(
      code(await call(cloud, 'createOrder', { items: [{ goodsId: 'goods-retired', quantity: 1 }], address: DELIVERY_ADDRESS }, 'ivy-1')),
      'GOODS_NOT_FOUND',
    )
    assert.equal(
      code(
        await call(
          cloud,
          'createOrder',
          {
            items: [
              { goodsId: 'goods-coffee', quantity: 1 },
              { goodsId: 'nope', quantity: 1 },
            ],
            address: DELIVERY_ADDRESS,
          },
          'ivy-1',
        ),
      ),
      'GOODS_NOT_FOUND',
    )
    assert.equal(cloud.engine.count('orders', {}), before)
  })

  test('malformed events are INVALID_ARGUMENT and write nothing', async () => {
    const line = { goodsId: 'goods-coffee', quantity: 1 }
    const createEvents: unknown[] = [
      null,
      [],
      'items',
      42,
      {},
      { items: null },
      { items: 'goods-coffee' },
      { items: [] },
      { items: Array.from({ length: 21 }, (_, i) => ({ goodsId: `g${i}`, quantity: 1 })) },
      { items: Array.from({ length: 20_000 }, () => line) }, // ~0.8 MB, under the 1 MB body limit
      { items: [{ ...line, quantity: '1' }] },
      { items: [{ ...line, quantity: 0 }] },
      { items: [{ ...line, quantity: 100 }] },
      { items: [{ ...line, quantity: 1.5 }] },
      { items: [{ ...line, quantity: -1 }] },
      { items: [{ ...line, quantity: 1e308 }] },
      { items: [{ goodsId: 12, quantity: 1 }] },
      { items: [{ goodsId: '', quantity: 1 }] },
      { items: [{ goodsId: 'x'.repeat(65), quantity: 1 }] },
      { items: [{ goodsId: 'goods-coffee;drop', quantity: 1 }] },
      { items: [{ goodsId: { $gt: '' }, quantity: 1 }] },
      { items: [{ quantity: 1 }] },
      { items: [line, line] },
      { items: [null] },
      { items: [[line]] },
    ]
    const queryEvents: unknown[] = [
      null,
      [],
      { outTradeNo: 1 },
      { outTradeNo: '' },
      { outTradeNo: 'short' },
      { outTradeNo: 'x'.repeat(33) },
      { outTradeNo: { $ne: '' } },
      { limit: 0 },
      { limit: 51 },
      { limit: '10' },
      { cursor: { $gt: '' } },
    ]
    const before = { orders: cloud.engine.count('orders', {}), events: cloud.engine.count('payment_events', {}) }
    // With an address, so that each is refused for its cart, not for the missing address.
    const withAddress = (event: unknown): unknown =>
      typeof event === 'object' && event !== null && !Array.isArray(event) ? { ...event, address: DELIVERY_ADDRESS } : event
    for (const event of createEvents)
      assert.equal(code(await call(cloud, 'createOrder', withAddress(event), 'judy-1')), 'INVALID_ARGUMENT', JSON.stringify(event)?.slice(0, 80))
    for (const event of queryEvents) {
      assert.equal(code(await call(cloud, 'queryOrder', event, 'judy-1')), 'INVALID_ARGUMENT', JSON.stringify(event))
      if (event === null || Array.isArray(event) || (typeof event === 'object' && 'outTradeNo' in event)) {
        assert.equal(code(await call(cloud, 'confirmPayment', event, 'judy-1')), 'INVALID_ARGUMENT', JSON.stringify(event))
      }
    }
    // A `__proto__` key, as JSON delivers it: an own property named __proto__.
    for (const body of [
      '{"__proto__":{"items":[{"goodsId":"goods-coffee","quantity":1}]}}',
      '{"items":[{"goodsId":"goods-coffee","quantity":1,"__proto__":{"quantity":2}}]}',
      '{"constructor":{"prototype":{}},"items":[]}',
    ]) {
      const res = await fetch(`${cloud.url}/api/functions/createOrder`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wx-openid': 'judy-1' },
        body,
      })
      assert.equal(code((await res.json()) as { ok: boolean; error?: { code: string } }), 'INVALID_ARGUMENT', body)
    }
    assert.deepEqual({ orders: cloud.engine.count('orders', {}), events: cloud.engine.count('payment_events', {}) }, before)
    assert.equal(({} as Record<string, unknown>)['quantity'], undefined)
  })
})

describe('merchant mode notifications', () => {
  const env = merchantEnv()
  const key = env['WXPAY_KEY']!
  let cloud: TestCloud
  before(async () => {
    cloud = await startTestCloud({ functionEnv: env })
  })
  after(() => cloud.stop())

  const notify = async (fields: Record<string, string>, signWith = key, signType: 'HMAC-SHA256' | 'MD5' = 'HMAC-SHA256'): Promise<string> => {
    const xml = buildXml({ ...fields, sign: sign(fields, signWith, signType) })
    const res = await fetch(`${cloud.url}/api/http/payNotify`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml })
    return res.text()
  }

  test('wrong signature, wrong amount, wrong merchant, unknown order: refused, counted or recorded, order untouched', async () => {
    const order = await placeOrder(cloud, 'kim-1')
    const genuine = {
      appid: APPID,
      mch_id: MERCHANT_MCH_ID,
      nonce_str: 'n0nce',
      result_code: 'SUCCESS',
      return_code: 'SUCCESS',
      openid: 'kim-1',
      trade_type: 'JSAPI',
      bank_type: 'OTHERS',
      total_fee: String(order.totalFee),
      cash_fee: String(order.totalFee),
      transaction_id: '4200000000202611270000000003',
      out_trade_no: order.outTradeNo,
      time_end: '20261127120000',
    }
    const fail = /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>/
    assert.match(await notify(genuine, 'f'.repeat(32)), fail) // signed with another key
    assert.match(await notify(genuine, key, 'MD5'), fail) // signed with the wrong sign type
    assert.match(await notify({ ...genuine, sign_type: 'MD5' }, key, 'MD5'), fail) // claiming MD5 does not change what is checked
    await notify({ ...genuine, total_fee: '1', cash_fee: '1' })
    await notify({ ...genuine, mch_id: '1900000999' })
    await notify({ ...genuine, out_trade_no: '20261127000000unknownunknown' })
    assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'NOTPAY')
    // Unauthenticated (bad signatures): counted in payment_rejects; authentic refusals: recorded in full.
    const badSignatures = cloud.engine.find('payment_rejects', { reason: 'bad_signature' }, { limit: 10 })
    assert.equal(
      badSignatures.reduce((n, doc) => n + Number(doc['count']), 0),
      3,
    )
    const reasons = paymentEvents(cloud, order.outTradeNo).map((e) => `${String(e['decision'])}: ${String(e['reason'])}`)
    assert.equal(reasons.length, 2, reasons.join('\n'))
    assert.match(reasons[0]!, /^rejected: amount mismatch/)
    assert.match(reasons[1]!, /^rejected: merchant mismatch/)
    assert.match(String(paymentEvents(cloud, '20261127000000unknownunknown')[0]?.['reason']), /unknown order/)

    // …and the genuine one, without sign_type (as WeChat sends it), is accepted.
    assert.match(await notify(genuine), /<return_code><!\[CDATA\[SUCCESS\]\]><\/return_code>/)
    assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'SUCCESS')
  })

  test('malformed and hostile XML is refused without a crash', async () => {
    for (const body of [
      '',
      'not xml',
      '<xml><a>1</a>',
      '<!DOCTYPE x [<!ENTITY e "boom">]><xml><a>&e;</a></xml>',
      `<xml>${'<a>1</a>'.repeat(3)}</xml>`,
      `<xml><a>${'x'.repeat(200_000)}</a></xml>`,
    ]) {
      const res = await fetch(`${cloud.url}/api/http/payNotify`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body })
      assert.equal(res.status, 200)
      assert.match(await res.text(), /FAIL/)
    }
    assert.equal((await fetch(`${cloud.url}/healthz`)).status, 200)
  })
})

describe('configuration', () => {
  test('missing configuration answers CONFIG_ERROR naming every missing variable, and writes nothing', async () => {
    for (const [functionEnv, names] of [
      [{ PAY_MODE: 'merchant' }, ['WXPAY_APPID', 'WXPAY_MCH_ID', 'WXPAY_KEY', 'WXPAY_NOTIFY_URL']],
      [{ PAY_MODE: 'cloudpay' }, ['WXPAY_SUB_MCH_ID']],
      [{ PAY_MODE: 'paypal', WXPAY_SUB_MCH_ID: SUB_MCH_ID }, ['PAY_MODE']],
      [
        {
          PAY_MODE: 'merchant',
          WXPAY_APPID: APPID,
          WXPAY_MCH_ID: MERCHANT_MCH_ID,
          WXPAY_KEY: 'short',
          WXPAY_NOTIFY_URL: 'http://127.0.0.1/x',
          WXPAY_SIGN_TYPE: 'SHA1',
        },
        ['WXPAY_KEY', 'WXPAY_SIGN_TYPE'],
      ],
    ] as const) {
      const cloud = await startTestCloud({ functionEnv: { ...functionEnv } })
      try {
        for (const name of ['createOrder', 'confirmPayment']) {
          const result = await call(
            cloud,
            name,
            name === 'createOrder'
              ? { items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: DELIVERY_ADDRESS }
              : { outTradeNo: '20261127000000abcdefabcdefab' },
            'leo-1',
          )
          assert.equal(code(result), 'CONFIG_ERROR')
          // The caller reads shopper words; the variables to fix are in the operator's log.
          const message = result.ok ? '' : result.error.message
          assertShopperWords(message, names.join(','))
          assert.doesNotMatch(message, /short/) // never echo a secret's value
        }
        assert.equal(cloud.engine.count('orders', {}), 0)
      } finally {
        await cloud.stop()
      }
    }
  })

  test('a sub merchant not bound to the environment: PAY_GATEWAY_ERROR in words, what to fix in the logs, nothing written', async () => {
    const cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), SIM_BOUND_SUB_MCH_IDS: '1900000999' } })
    const output = captureOutput()
    try {
      const result = await call(cloud, 'createOrder', { items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: DELIVERY_ADDRESS }, 'mia-1')
      assert.equal(code(result), 'PAY_GATEWAY_ERROR')
      assertShopperWords(result.ok ? '' : result.error.message)
      // What to fix is for the operator: in the logs, never in the answer. The prepay comes
      // before the order is written, so a refused one leaves no order behind.
      assert.match(output.text(), /prepay failed: .*未与当前云开发环境绑定.*WXPAY_SUB_MCH_ID/)
      assert.doesNotMatch(JSON.stringify(result), /WXPAY_SUB_MCH_ID/)
      assert.equal(cloud.engine.count('orders', { _openid: 'mia-1' }), 0)
      const list = await call<{ items: OrderView[] }>(cloud, 'queryOrder', {}, 'mia-1')
      assert.ok(list.ok)
      assert.equal(list.data.items.length, 0)
    } finally {
      output.restore()
      await cloud.stop()
    }
  })
})
