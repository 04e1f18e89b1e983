// Gateway faults seen by the real clients: wx-server-sdk's cloudPay (in this process and inside
// the built createOrder function) and signed APIv2 XML over HTTP.
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { callFunction, startTestCloud, type TestCloud } from '../testing/harness'
import { APPID, cloudPayEnv, DELIVERY_ADDRESS, merchantEnv, MERCHANT_MCH_ID } from '../testing/shop'
import { verifySign } from '../../payment/protocol/sign'
import { apiV2, clearFaults, listFaults, newOutTradeNo, orderParams, postFaults, rejection, sdkAs, simTrade, type Sdk } from './testkit'

describe('gateway faults on cloudPay (wx-server-sdk)', () => {
  let cloud: TestCloud
  let sdk: Sdk
  before(async () => {
    cloud = await startTestCloud({ functionEnv: cloudPayEnv() })
    sdk = sdkAs(cloud, 'gw-alice')
  })
  afterEach(() => clearFaults(cloud.url))
  after(() => cloud.stop())

  const order = (outTradeNo: string) => sdk.cloudPay.unifiedOrder(orderParams(outTradeNo))

  test('reset: the call fails and the simulator never saw it', async () => {
    await postFaults(cloud.url, { gateway: [{ api: 'unifiedOrder', fault: 'reset' }] })
    const no = newOutTradeNo()
    const error = await rejection(order(no))
    assert.match(error.message, /socket hang up|ECONNRESET/)
    assert.equal(simTrade(cloud, no), undefined)
  })

  test('lost_answer: the call fails but the simulator HAS the trade', async () => {
    await postFaults(cloud.url, { gateway: [{ api: 'unifiedOrder', fault: 'lost_answer', mode: 'cloudpay' }] })
    const no = newOutTradeNo()
    await rejection(order(no))
    assert.equal(simTrade(cloud, no)?.['tradeState'], 'NOTPAY')
    // Asking again (same parameters) is answered with the same prepay: the trade was really made.
    const again = await order(no)
    assert.equal(again['resultCode'], 'SUCCESS')
    assert.equal(again['prepayId'], simTrade(cloud, no)?.['prepayId'])
  })

  test('http500: the call fails with the status, nothing processed', async () => {
    await postFaults(cloud.url, { gateway: [{ api: '*', fault: 'http500' }] })
    const no = newOutTradeNo()
    const error = await rejection(order(no))
    assert.match(error.message, /500/)
    assert.equal(simTrade(cloud, no), undefined)
  })

  test('systemerror: a well-formed SYSTEMERROR answer, nothing processed', async () => {
    await postFaults(cloud.url, { gateway: [{ api: 'unifiedOrder', fault: 'systemerror' }] })
    const no = newOutTradeNo()
    const answer = await order(no)
    assert.equal(answer['returnCode'], 'SUCCESS')
    assert.equal(answer['resultCode'], 'FAIL')
    assert.equal(answer['errCodeDes'], '系统繁忙，请稍后再试')
    assert.equal(answer['subMchId'], '1900000109')
    assert.equal(simTrade(cloud, no), undefined)
  })

  test('timeout: held for holdMs, then the socket dies; nothing processed', async () => {
    await postFaults(cloud.url, { gateway: [{ api: 'unifiedOrder', fault: 'timeout', holdMs: 300 }] })
    const no = newOutTradeNo()
    const started = Date.now()
    await rejection(order(no))
    assert.ok(Date.now() - started >= 290, `failed after ${Date.now() - started} ms`)
    assert.equal(simTrade(cloud, no), undefined)
  })

  test('orderpaid: closeOrder answers ORDERPAID and the trade stays open; other APIs are not hit', async () => {
    await postFaults(cloud.url, { gateway: [{ api: '*', fault: 'orderpaid' }] })
    const no = newOutTradeNo()
    assert.equal((await order(no))['resultCode'], 'SUCCESS')
    const closed = await sdk.cloudPay.closeOrder({ subMchId: '1900000109', nonceStr: 'n', outTradeNo: no })
    assert.equal(closed['resultCode'], 'FAIL')
    assert.equal(closed['errCodeDes'], '订单已支付')
    assert.equal(simTrade(cloud, no)?.['tradeState'], 'NOTPAY')
    const [fault] = await listFaults(cloud.url)
    assert.equal(fault?.fired, 1)
  })

  test('times: the fault hits that many calls, then stops', async () => {
    await postFaults(cloud.url, { gateway: [{ api: 'queryOrder', fault: 'reset', times: 2 }] })
    const no = newOutTradeNo()
    await order(no)
    const query = () => sdk.cloudPay.queryOrder({ subMchId: '1900000109', nonceStr: 'n', outTradeNo: no })
    await rejection(query())
    assert.deepEqual(
      (await listFaults(cloud.url)).map((f) => [f.remaining, f.fired, f.active]),
      [[1, 1, true]],
    )
    await rejection(query())
    assert.equal((await query())['tradeState'], 'NOTPAY')
    assert.deepEqual(
      (await listFaults(cloud.url)).map((f) => [f.remaining, f.fired, f.active]),
      [[0, 2, false]],
    )
  })

  test('a fault for the other mode or another API does not hit', async () => {
    await postFaults(cloud.url, {
      gateway: [
        { api: '*', fault: 'reset', mode: 'merchant' },
        { api: 'refund', fault: 'reset' },
      ],
    })
    assert.equal((await order(newOutTradeNo()))['resultCode'], 'SUCCESS')
    assert.deepEqual(
      (await listFaults(cloud.url)).map((f) => f.fired),
      [0, 0],
    )
  })

  // createOrder prepays first and writes the order once, with its payment details: a prepay that
  // fails or whose answer is lost leaves no order (docs/architecture.md, "createOrder").
  test('through the built createOrder: reset fails the call and leaves no order and no trade', async () => {
    await postFaults(cloud.url, { gateway: [{ api: 'unifiedOrder', fault: 'reset', times: 50 }] })
    const trades = cloud.engine.find('_sim_trades', {}).length
    const { status, body } = await callFunction(
      cloud.url,
      'createOrder',
      { items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: DELIVERY_ADDRESS },
      'gw-reset',
    )
    assert.ok(status !== 200 || (body as { ok: boolean }).ok === false, JSON.stringify(body))
    assert.deepEqual(cloud.engine.find('orders', { _openid: 'gw-reset' }), [], 'nothing is written when the prepay fails')
    assert.equal(cloud.engine.find('_sim_trades', {}).length, trades, 'the reset came before the simulator took it')
    assert.ok(((await listFaults(cloud.url))[0]?.fired ?? 0) >= 1)
  })

  test('through the built createOrder: lost_answer fails the call; the trade it made is never shown to anyone and stays unpaid', async () => {
    await postFaults(cloud.url, { gateway: [{ api: 'unifiedOrder', fault: 'lost_answer', times: 50 }] })
    const before = new Set(cloud.engine.find('_sim_trades', {}).map((t) => String(t['outTradeNo'])))
    const { status, body } = await callFunction(
      cloud.url,
      'createOrder',
      { items: [{ goodsId: 'goods-coffee', quantity: 1 }], address: DELIVERY_ADDRESS },
      'gw-lost',
    )
    assert.ok(status !== 200 || (body as { ok: boolean }).ok === false, JSON.stringify(body))
    assert.deepEqual(cloud.engine.find('orders', { _openid: 'gw-lost' }), [], 'no order: the shopper never got its payment parameters')
    const made = cloud.engine.find('_sim_trades', {}).filter((t) => !before.has(String(t['outTradeNo'])))
    assert.equal(made.length, 1, 'the simulator did take the prepay')
    assert.equal(made[0]?.['tradeState'], 'NOTPAY')
  })
})

describe('gateway faults on APIv2 (signed XML over HTTP)', () => {
  let cloud: TestCloud
  let key: string
  before(async () => {
    const env = merchantEnv()
    key = env['WXPAY_KEY'] ?? ''
    cloud = await startTestCloud({ functionEnv: env })
  })
  afterEach(() => clearFaults(cloud.url))
  after(() => cloud.stop())

  const unifiedOrder = (outTradeNo: string) =>
    apiV2(
      cloud.url,
      '/pay/unifiedorder',
      {
        appid: APPID,
        mch_id: MERCHANT_MCH_ID,
        body: 'Fault test',
        out_trade_no: outTradeNo,
        total_fee: 100,
        spbill_create_ip: '127.0.0.1',
        notify_url: `${cloud.url}/api/http/payNotify`,
        trade_type: 'JSAPI',
        openid: 'oMerchantFault',
      },
      key,
    )
  const closeOrder = (outTradeNo: string) => apiV2(cloud.url, '/pay/closeorder', { appid: APPID, mch_id: MERCHANT_MCH_ID, out_trade_no: outTradeNo }, key)

  test('systemerror: signed XML with SYSTEMERROR, nothing processed', async () => {
    await postFaults(cloud.url, { gateway: [{ api: 'unifiedOrder', fault: 'systemerror', mode: 'merchant' }] })
    const no = newOutTradeNo()
    const { status, fields } = await unifiedOrder(no)
    assert.equal(status, 200)
    assert.equal(fields['return_code'], 'SUCCESS')
    assert.equal(fields['result_code'], 'FAIL')
    assert.equal(fields['err_code'], 'SYSTEMERROR')
    assert.equal(fields['err_code_des'], '系统繁忙，请稍后再试')
    assert.equal(fields['mch_id'], MERCHANT_MCH_ID)
    assert.ok(verifySign(fields, key, 'HMAC-SHA256'), 'signed with the merchant key and the request sign_type')
    assert.equal(simTrade(cloud, no), undefined)
  })

  test('orderpaid: a signed ORDERPAID answer to closeorder', async () => {
    const no = newOutTradeNo()
    assert.equal((await unifiedOrder(no)).fields['result_code'], 'SUCCESS')
    await postFaults(cloud.url, { gateway: [{ api: 'closeOrder', fault: 'orderpaid' }] })
    const { fields } = await closeOrder(no)
    assert.equal(fields['err_code'], 'ORDERPAID')
    assert.equal(fields['err_code_des'], '订单已支付')
    assert.ok(verifySign(fields, key, 'HMAC-SHA256'))
  })

  test('reset and lost_answer: the request fails; only lost_answer made the trade', async () => {
    await postFaults(cloud.url, { gateway: [{ api: 'unifiedOrder', fault: 'reset' }] })
    const reset = newOutTradeNo()
    await rejection(unifiedOrder(reset))
    assert.equal(simTrade(cloud, reset), undefined)
    await postFaults(cloud.url, { gateway: [{ api: 'unifiedOrder', fault: 'lost_answer' }] })
    const lost = newOutTradeNo()
    await rejection(unifiedOrder(lost))
    assert.equal(simTrade(cloud, lost)?.['mode'], 'merchant')
  })

  test('http500 and timeout', async () => {
    await postFaults(cloud.url, {
      gateway: [
        { api: 'unifiedOrder', fault: 'http500' },
        { api: 'unifiedOrder', fault: 'timeout', holdMs: 200 },
      ],
    })
    const first = newOutTradeNo()
    const answer = await unifiedOrder(first)
    assert.equal(answer.status, 500)
    assert.equal(simTrade(cloud, first), undefined)
    const second = newOutTradeNo()
    const started = Date.now()
    await rejection(unifiedOrder(second))
    assert.ok(Date.now() - started >= 190)
    assert.equal(simTrade(cloud, second), undefined)
    // Both spent: the next call goes through.
    assert.equal((await unifiedOrder(newOutTradeNo())).fields['result_code'], 'SUCCESS')
  })

  test('a cloudpay-only fault does not hit APIv2', async () => {
    await postFaults(cloud.url, { gateway: [{ api: '*', fault: 'reset', mode: 'cloudpay' }] })
    assert.equal((await unifiedOrder(newOutTradeNo())).fields['result_code'], 'SUCCESS')
  })
})
