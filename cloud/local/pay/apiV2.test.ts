import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { APPID, MCH_ID, MERCHANT_KEY, harness, type Harness } from './fakes'
import { PaySimError } from './errors'
import { decryptReqInfo } from '../../payment/protocol/reqInfo'
import { sign, verifySign, type SignType } from '../../payment/protocol/sign'
import { buildXml, parseFlatXml } from '../../payment/protocol/xml'

const NOTIFY_URL = 'http://127.0.0.1:9/api/http/payNotify'

function orderFields(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    appid: APPID,
    mch_id: MCH_ID,
    nonce_str: 'abcdef123456',
    body: 'Tee',
    out_trade_no: 'M20240321000001',
    total_fee: '1990',
    spbill_create_ip: '127.0.0.1',
    notify_url: NOTIFY_URL,
    trade_type: 'JSAPI',
    openid: 'oMerchantUser_1',
    ...overrides,
  }
}

function signed(fields: Record<string, string | undefined>, signType: SignType = 'MD5', key = MERCHANT_KEY): string {
  const withType = signType === 'MD5' ? fields : { ...fields, sign_type: signType }
  return buildXml({ ...withType, sign: sign(withType, key, signType) })
}

async function call(h: Harness, path: string, xml: string): Promise<Record<string, string>> {
  return { ...parseFlatXml(await h.sim.apiV2(path, xml)) }
}

describe('APIv2 signature checks', () => {
  it('answers unifiedorder with a prepay_id, signed with the request sign type and without sign_type', async () => {
    for (const signType of ['MD5', 'HMAC-SHA256'] as const) {
      const h = harness()
      const answer = await call(h, '/pay/unifiedorder', signed(orderFields(), signType))
      assert.equal(answer.return_code, 'SUCCESS')
      assert.equal(answer.result_code, 'SUCCESS')
      assert.match(answer.prepay_id ?? '', /^wx/)
      assert.equal(answer.sign_type, undefined)
      assert.equal(verifySign(answer, MERCHANT_KEY, signType), true, signType)
    }
  })

  const forged: Array<[string, () => string, string]> = [
    ['signed with another key', () => signed(orderFields(), 'MD5', 'not-the-key'), '签名错误'],
    ['a field changed after signing', () => signed(orderFields()).replace('<![CDATA[1990]]>', '<![CDATA[1]]>'), '签名错误'],
    [
      'an MD5 signature declared as HMAC-SHA256',
      () => buildXml({ ...orderFields(), sign_type: 'HMAC-SHA256', sign: sign({ ...orderFields(), sign_type: 'HMAC-SHA256' }, MERCHANT_KEY, 'MD5') }),
      '签名错误',
    ],
    ['no sign at all', () => buildXml(orderFields()), '缺少参数'],
    ['an unknown sign_type', () => signed({ ...orderFields(), sign_type: 'SHA1' }), 'sign_type参数格式错误'],
    ['an unknown mch_id', () => signed(orderFields({ mch_id: '10000199' })), '商户号mch_id与appid不匹配'],
    ['another appid', () => signed(orderFields({ appid: 'wx0000000000000000' })), '商户号mch_id与appid不匹配'],
    ['no mch_id', () => signed(orderFields({ mch_id: undefined })), '缺少参数'],
    ['a duplicated total_fee', () => signed(orderFields()).replace('<total_fee>', '<total_fee>1</total_fee><total_fee>'), 'XML格式错误'],
    ['a DOCTYPE', () => `<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>${signed(orderFields())}`, 'XML_FORMAT'],
    ['an empty body', () => '', 'post数据为空'],
  ]
  for (const [name, body, returnMsg] of forged) {
    it(`refuses a request with ${name}, unsigned, as the real service does`, async () => {
      const h = harness()
      const answer = await call(h, '/pay/unifiedorder', body())
      assert.deepEqual(answer, { return_code: 'FAIL', return_msg: returnMsg === 'XML_FORMAT' ? 'XML格式错误' : returnMsg })
      assert.equal(h.store.collections.get('_sim_trades')?.size ?? 0, 0)
    })
  }

  it('checks business parameters only after the signature: notify_url, openid for JSAPI', async () => {
    const h = harness()
    assert.deepEqual(await call(h, '/pay/unifiedorder', signed(orderFields({ notify_url: undefined }))), { return_code: 'FAIL', return_msg: '缺少参数' })
    assert.deepEqual(await call(h, '/pay/unifiedorder', signed(orderFields({ openid: undefined }))), {
      return_code: 'FAIL',
      return_msg: 'JSAPI支付必须传openid',
    })
    assert.deepEqual(await call(h, '/pay/unifiedorder', signed(orderFields({ total_fee: '19.90' }))), {
      return_code: 'FAIL',
      return_msg: 'total_fee参数格式错误',
    })
  })

  it('signs business failures too (OUT_TRADE_NO_USED)', async () => {
    const h = harness()
    await call(h, '/pay/unifiedorder', signed(orderFields(), 'HMAC-SHA256'))
    const answer = await call(h, '/pay/unifiedorder', signed(orderFields({ total_fee: '2990' }), 'HMAC-SHA256'))
    assert.equal(answer.return_code, 'SUCCESS')
    assert.equal(answer.result_code, 'FAIL')
    assert.equal(answer.err_code, 'OUT_TRADE_NO_USED')
    assert.equal(verifySign(answer, MERCHANT_KEY, 'HMAC-SHA256'), true)
  })

  it('throws a typed error for a path it does not simulate', async () => {
    await assert.rejects(harness().sim.apiV2('/pay/micropay', '<xml/>'), (e: unknown) => e instanceof PaySimError && e.code === 'UNKNOWN_API')
  })
})

describe('APIv2 notifications', () => {
  it('posts the payment notify XML to notify_url, signed with the order sign type and without sign_type', async () => {
    const h = harness()
    await call(h, '/pay/unifiedorder', signed(orderFields({ attach: 'a&b' }), 'HMAC-SHA256'))
    await h.sim.simPay({ outTradeNo: 'M20240321000001', result: 'SUCCESS' })
    const post = h.poster.calls[0]
    assert.equal(post?.url, NOTIFY_URL)
    assert.equal(post?.contentType, 'text/xml')
    const notify = { ...parseFlatXml(post?.body ?? '') }
    assert.equal(notify.sign_type, undefined)
    assert.equal(notify.result_code, 'SUCCESS')
    assert.equal(notify.out_trade_no, 'M20240321000001')
    assert.equal(notify.total_fee, '1990')
    assert.equal(notify.openid, 'oMerchantUser_1')
    assert.equal(notify.attach, 'a&b')
    assert.equal(verifySign(notify, MERCHANT_KEY, 'HMAC-SHA256'), true)
    // The trap from docs/wechat-pay.md: wx-js-utils assumes MD5 when sign_type is absent.
    const { WXPay } = require('wx-js-utils/src/libs/WXPay') as { WXPay: new (c: object) => { isPayResultNotifySignatureValid(d: object): boolean } }
    const client = new WXPay({ appId: APPID, mchId: MCH_ID, key: MERCHANT_KEY, signType: 'HMAC-SHA256' })
    assert.equal(client.isPayResultNotifySignatureValid(notify), false)
    const [record] = await h.sim.listNotifications()
    assert.equal(record?.status, 'ACKNOWLEDGED')
  })

  it('counts a reply without return_code SUCCESS as unacknowledged and retries', async () => {
    const h = harness({ timeScale: 0.001 })
    const replies = [
      { status: 200, body: '<xml><return_code><![CDATA[FAIL]]></return_code></xml>' },
      { status: 500, body: 'oops' },
      { status: 200, body: 'success' },
      { status: 200, body: '<xml><return_code>SUCCESS</return_code><return_msg>OK</return_msg></xml>' },
    ]
    h.poster.reply = (_url, _body, n) => replies[n - 1]
    await call(h, '/pay/unifiedorder', signed(orderFields()))
    await h.sim.simPay({ outTradeNo: 'M20240321000001', result: 'SUCCESS' })
    await h.clock.advance(60_000)
    const [record] = await h.sim.listNotifications()
    assert.deepEqual(
      record?.attempts.map((a) => a.acknowledged),
      [false, false, false, true],
    )
    assert.match(record?.attempts[0]?.error ?? '', /return_code FAIL/)
    assert.match(record?.attempts[1]?.error ?? '', /HTTP 500/)
    assert.equal(record?.status, 'ACKNOWLEDGED')
    assert.equal(h.poster.calls.length, 4)
  })

  it('sends refund notifications with req_info encrypted under md5(key), unsigned', async () => {
    const h = harness({ timeScale: 0.001 })
    await call(h, '/pay/unifiedorder', signed(orderFields()))
    await h.sim.simPay({ outTradeNo: 'M20240321000001', result: 'SUCCESS' })
    const refundXml = signed({
      appid: APPID,
      mch_id: MCH_ID,
      nonce_str: 'r1',
      out_trade_no: 'M20240321000001',
      out_refund_no: 'MR1',
      total_fee: '1990',
      refund_fee: '990',
      notify_url: 'http://127.0.0.1:9/api/http/refundNotify',
    })
    const accepted = await call(h, '/secapi/pay/refund', refundXml)
    assert.equal(accepted.result_code, 'SUCCESS')
    assert.equal(verifySign(accepted, MERCHANT_KEY, 'MD5'), true)
    await h.clock.advance(1000)
    const post = h.poster.calls.find((c) => c.url.endsWith('/refundNotify'))
    const outer = { ...parseFlatXml(post?.body ?? '') }
    assert.equal(outer.return_code, 'SUCCESS')
    assert.equal(outer.sign, undefined)
    const inner = { ...parseFlatXml(decryptReqInfo(outer.req_info ?? '', MERCHANT_KEY), { root: 'root' }) }
    assert.equal(inner.out_refund_no, 'MR1')
    assert.equal(inner.refund_status, 'SUCCESS')
    assert.equal(inner.refund_fee, '990')
    assert.equal(inner.refund_id, accepted.refund_id)
    const query = await call(h, '/pay/refundquery', signed({ appid: APPID, mch_id: MCH_ID, nonce_str: 'q', out_refund_no: 'MR1' }))
    assert.equal(query.refund_status_0, 'SUCCESS')
    assert.equal(verifySign(query, MERCHANT_KEY, 'MD5'), true)
  })
})
