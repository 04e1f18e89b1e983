// wx-js-utils' WXPay, unmodified, as the client of the APIv2 endpoints over loopback HTTP.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { APPID, MCH_ID, MERCHANT_KEY, harness, type Harness } from './fakes'

// `request` honours proxy variables; nothing here may leave 127.0.0.1.
process.env.NO_PROXY = '127.0.0.1'
delete process.env.HTTP_PROXY
delete process.env.http_proxy

type Answer = Record<string, string>
interface WXPayClient {
  unifiedOrder(data: Record<string, string>): Promise<Answer>
  orderQuery(data: Record<string, string>): Promise<Answer>
  closeOrder(data: Record<string, string>): Promise<Answer>
  refund(data: Record<string, string>): Promise<Answer>
  refundQuery(data: Record<string, string>): Promise<Answer>
}
const wxpay = require('wx-js-utils/src/libs/WXPay') as {
  WXPay: new (config: Record<string, unknown>) => WXPayClient
  WXPayConstants: Record<string, string>
}

const ROUTES: Record<string, string> = {
  UNIFIEDORDER_URL: '/pay/unifiedorder',
  ORDERQUERY_URL: '/pay/orderquery',
  CLOSEORDER_URL: '/pay/closeorder',
  REFUND_URL: '/secapi/pay/refund',
  REFUNDQUERY_URL: '/pay/refundquery',
}

describe('wx-js-utils WXPay against the simulator', () => {
  let h: Harness
  let server: Server
  const seen: string[] = []
  const original = { ...wxpay.WXPayConstants }

  before(async () => {
    h = harness()
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        seen.push(req.url ?? '')
        h.sim
          .apiV2(req.url ?? '', Buffer.concat(chunks).toString('utf8'))
          .then((xml) => {
            res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
            res.end(xml)
          })
          .catch(() => {
            res.writeHead(404)
            res.end()
          })
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    // WXPay reads these mutable constants at call time.
    for (const [name, path] of Object.entries(ROUTES)) wxpay.WXPayConstants[name] = `http://127.0.0.1:${port}${path}`
  })

  after(async () => {
    Object.assign(wxpay.WXPayConstants, original)
    h.sim.stop()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  for (const signType of ['MD5', 'HMAC-SHA256'] as const) {
    it(`places, queries and closes an order with ${signType}`, async () => {
      const client = new wxpay.WXPay({ appId: APPID, mchId: MCH_ID, key: MERCHANT_KEY, signType })
      const outTradeNo = `W${signType === 'MD5' ? 'md5' : 'hmac'}20240321001`
      const placed = await client.unifiedOrder({
        body: '测试商品',
        out_trade_no: outTradeNo,
        total_fee: '1990',
        spbill_create_ip: '127.0.0.1',
        notify_url: 'http://127.0.0.1:9/api/http/payNotify',
        trade_type: 'JSAPI',
        openid: 'oMerchantUser_1',
      })
      assert.equal(placed.return_code, 'SUCCESS')
      assert.equal(placed.result_code, 'SUCCESS')
      assert.match(placed.prepay_id ?? '', /^wx/)

      const queried = await client.orderQuery({ out_trade_no: outTradeNo })
      assert.equal(queried.trade_state, 'NOTPAY')
      assert.equal(queried.total_fee, '1990')

      const early = await client.closeOrder({ out_trade_no: outTradeNo })
      assert.equal(early.result_code, 'FAIL')
      await h.clock.advance(5 * 60_000)
      const closed = await client.closeOrder({ out_trade_no: outTradeNo })
      assert.equal(closed.result_code, 'SUCCESS')
      assert.equal((await client.orderQuery({ out_trade_no: outTradeNo })).trade_state, 'CLOSED')
    })
  }

  it('refunds a paid order and queries the refund', async () => {
    const client = new wxpay.WXPay({ appId: APPID, mchId: MCH_ID, key: MERCHANT_KEY, signType: 'HMAC-SHA256' })
    await client.unifiedOrder({
      body: 'Tee',
      out_trade_no: 'Wrefund20240321001',
      total_fee: '500',
      spbill_create_ip: '127.0.0.1',
      notify_url: 'http://127.0.0.1:9/api/http/payNotify',
      trade_type: 'JSAPI',
      openid: 'oMerchantUser_1',
    })
    await h.sim.simPay({ outTradeNo: 'Wrefund20240321001', result: 'SUCCESS' })
    const refund = await client.refund({ out_trade_no: 'Wrefund20240321001', out_refund_no: 'WR1', total_fee: '500', refund_fee: '200' })
    assert.equal(refund.result_code, 'SUCCESS')
    const query = await client.refundQuery({ out_trade_no: 'Wrefund20240321001' })
    assert.equal(query.refund_count, '1')
    assert.equal(query.out_refund_no_0, 'WR1')
  })

  it('hands back the unsigned FAIL answer for a client with the wrong key', async () => {
    const client = new wxpay.WXPay({ appId: APPID, mchId: MCH_ID, key: 'k'.repeat(32) })
    const answer = await client.orderQuery({ out_trade_no: 'Wmd520240321001' })
    assert.deepEqual({ ...answer }, { return_code: 'FAIL', return_msg: '签名错误' })
    assert.ok(seen.length > 0 && seen.every((path) => Object.values(ROUTES).includes(path)))
  })
})
