// Junk sent to payNotify — through its public HTTP trigger, or called directly by a shopper — is
// counted per minute and reason in payment_rejects, never stored a document a call; authentic
// notifications, refused ones included, are still recorded in full in payment_events.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { encryptReqInfo } from '../payment/protocol/reqInfo'
import { sign } from '../payment/protocol/sign'
import { buildXml } from '../payment/protocol/xml'
import { startTestCloud, type TestCloud } from '../local/testing/harness'
import { APPID, MERCHANT_MCH_ID, merchantEnv, paymentEvents, placeOrder, storedOrder } from '../local/testing/shop'

const FAIL = /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>/
const SUCCESS = /<return_code><!\[CDATA\[SUCCESS\]\]><\/return_code>/
const REASONS = ['malformed_xml', 'bad_signature', 'other_merchant', 'bad_req_info', 'not_wechat_pay'] as const

describe('payNotify: junk is counted, authentic notifications are recorded', () => {
  const env = merchantEnv()
  const key = env['WXPAY_KEY']!
  let cloud: TestCloud
  before(async () => {
    cloud = await startTestCloud({ functionEnv: env })
  })
  after(() => cloud.stop())

  const rejects = () => cloud.engine.find('payment_rejects', {}, { limit: 1000 })
  const post = async (body: string): Promise<string> => {
    const res = await fetch(`${cloud.url}/api/http/payNotify`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body })
    assert.equal(res.status, 200)
    return res.text()
  }
  const paidFields = (outTradeNo: string, totalFee: number): Record<string, string> => ({
    appid: APPID,
    mch_id: MERCHANT_MCH_ID,
    nonce_str: 'n0nce',
    result_code: 'SUCCESS',
    return_code: 'SUCCESS',
    openid: 'olga-1',
    trade_type: 'JSAPI',
    bank_type: 'OTHERS',
    total_fee: String(totalFee),
    cash_fee: String(totalFee),
    transaction_id: '4200000000202611270000000777',
    out_trade_no: outTradeNo,
    time_end: '20261127120000',
  })

  test('30 junk posts to the HTTP trigger and 30 shopper calls: a few counters summing to 60, payment_events unchanged', async () => {
    const order = await placeOrder(cloud, 'olga-1')
    const genuine = paidFields(order.outTradeNo, order.totalFee)
    const refundXml = buildXml({ out_trade_no: order.outTradeNo, out_refund_no: 'R1', refund_fee: '1', refund_status: 'SUCCESS' }, 'root')
    const badSign = sign(genuine, 'f'.repeat(32), 'HMAC-SHA256')
    const junkBodies = [
      'not xml at all',
      buildXml({ ...genuine, sign: badSign }),
      buildXml({ return_code: 'SUCCESS', appid: APPID, mch_id: '1900000999', req_info: encryptReqInfo(refundXml, key) }),
      buildXml({ return_code: 'SUCCESS', appid: APPID, mch_id: MERCHANT_MCH_ID, req_info: encryptReqInfo(refundXml, 'e'.repeat(32)) }),
    ]
    const eventsBefore = paymentEvents(cloud).length
    const rejectsBefore = rejects().length
    const fromShopper = { ...genuine, outTradeNo: order.outTradeNo, totalFee: order.totalFee, subMchId: MERCHANT_MCH_ID }
    const replies = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => post(junkBodies[i % junkBodies.length]!)),
      ...Array.from({ length: 30 }, async () => {
        const res = await fetch(`${cloud.url}/api/functions/payNotify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-wx-openid': 'mallory-2' },
          body: JSON.stringify(fromShopper),
        })
        return JSON.stringify(await res.json())
      }),
    ])
    for (const reply of replies.slice(0, 30)) assert.match(reply, FAIL)
    for (const reply of replies.slice(30)) assert.equal(reply, '{"errcode":403,"errmsg":"FORBIDDEN"}')

    assert.equal(paymentEvents(cloud).length, eventsBefore, 'no junk in payment_events')
    assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'NOTPAY')
    const counters = rejects()
    assert.equal(rejectsBefore, 0)
    assert.ok(counters.length >= REASONS.length && counters.length <= 2 * REASONS.length, `one counter per minute and reason, got ${counters.length}`)
    const byReason = new Map<string, number>()
    for (const doc of counters) {
      const reason = String(doc['reason'])
      assert.ok((REASONS as readonly string[]).includes(reason), reason)
      assert.match(String(doc['_id']), new RegExp(`^junk:\\d{12}:${reason}$`))
      assert.equal(typeof doc['count'], 'number')
      byReason.set(reason, (byReason.get(reason) ?? 0) + Number(doc['count']))
      const sample = JSON.stringify(doc['sample'])
      assert.ok(sample.length < 4096, `a bounded sample: ${sample.length} characters`)
      assert.ok(!sample.includes(badSign) && !/req_info":"[A-Za-z0-9+/]{16}/.test(sample), `no signature or req_info kept: ${sample}`)
    }
    assert.deepEqual(Object.fromEntries([...byReason].sort()), {
      bad_req_info: 7,
      bad_signature: 8,
      malformed_xml: 8,
      not_wechat_pay: 30,
      other_merchant: 7,
    })
  })

  test('an authentic notification that is refused (valid signature, wrong amount) is recorded in full in payment_events', async () => {
    const order = await placeOrder(cloud, 'olga-1')
    const fields = { ...paidFields(order.outTradeNo, order.totalFee), total_fee: '1', cash_fee: '1' }
    const countersBefore = JSON.stringify(rejects())
    assert.match(await post(buildXml({ ...fields, sign: sign(fields, key, 'HMAC-SHA256') })), SUCCESS)
    const events = paymentEvents(cloud, order.outTradeNo)
    assert.equal(events.length, 1)
    assert.equal(events[0]?.['decision'], 'rejected')
    assert.match(String(events[0]?.['reason']), /amount mismatch/)
    const raw = events[0]?.['raw'] as Record<string, unknown>
    for (const name of ['out_trade_no', 'transaction_id', 'total_fee', 'mch_id', 'appid', 'time_end'])
      assert.equal(raw[name], fields[name as keyof typeof fields], name)
    assert.equal(storedOrder(cloud, order.outTradeNo)?.['status'], 'NOTPAY')
    assert.equal(JSON.stringify(rejects()), countersBefore, 'nothing counted as junk')
  })
})
