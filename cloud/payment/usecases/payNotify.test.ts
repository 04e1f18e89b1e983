// Which notifications are junk (counted in payment_rejects) and which are authentic (recorded in
// full in payment_events, refused or not), with every port in memory.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { MerchantConfig } from '../config'
import type { JunkNotification, RejectCounter } from '../ports'
import { encryptReqInfo } from '../protocol/reqInfo'
import { sign } from '../protocol/sign'
import { buildXml } from '../protocol/xml'
import { memoryWorld, storedOrder } from '../testing/memory'
import { handleCloudPayNotify, handleMerchantNotify, type MerchantNotification } from './payNotify'

class MemoryRejects implements RejectCounter {
  readonly counted: JunkNotification[] = []
  failing = false
  async count(junk: JunkNotification): Promise<void> {
    if (this.failing) throw new Error('database down')
    this.counted.push(structuredClone(junk))
  }
}

const OUT_TRADE_NO = '20261128100000abcdefabcdefab'
const config: MerchantConfig = {
  mode: 'merchant',
  appid: 'wx0000000000test',
  mchId: '1900000110',
  key: 'k'.repeat(32),
  notifyUrl: 'http://127.0.0.1/notify',
  signType: 'HMAC-SHA256',
  apiBase: 'http://127.0.0.1',
  simulator: true,
}

function world(mode: 'cloudpay' | 'merchant') {
  const w = memoryWorld({ mode, mchId: mode === 'merchant' ? config.mchId : '1900000109' })
  w.orders.put(storedOrder({ outTradeNo: OUT_TRADE_NO, mode, mchId: w.gateway.mchId }, w.clock))
  const rejects = new MemoryRejects()
  return { ...w, rejects, deps: { ...w, rejects } }
}

const paid = (fields: Record<string, string> = {}): Record<string, string> => ({
  appid: config.appid,
  mch_id: config.mchId,
  nonce_str: 'n',
  return_code: 'SUCCESS',
  result_code: 'SUCCESS',
  out_trade_no: OUT_TRADE_NO,
  transaction_id: '4200000000202611280000000001',
  total_fee: '1990',
  time_end: '20261128100500',
  ...fields,
})
const signed = (fields: Record<string, string>, key = config.key): MerchantNotification => ({
  ok: true,
  fields: { ...fields, sign: sign(fields, key, 'HMAC-SHA256') },
})
// Built when a test runs, never at import: a mutant in xml.ts or sign.ts must fail a test, not the file.
const refundXml = (): string => buildXml({ out_trade_no: OUT_TRADE_NO, out_refund_no: 'R1', refund_fee: '1990', refund_status: 'SUCCESS' }, 'root')

describe('merchant notifications', () => {
  const junk: Array<[string, () => MerchantNotification, string, string]> = [
    ['malformed XML', () => ({ ok: false, error: 'XML_MALFORMED', excerpt: '<xml>' }), 'malformed_xml', '报文格式错误'],
    ['a bad signature', () => signed(paid(), 'f'.repeat(32)), 'bad_signature', '签名失败'],
    [
      'a refund for another merchant',
      () => ({ ok: true, fields: { return_code: 'SUCCESS', appid: config.appid, mch_id: '1900000999', req_info: encryptReqInfo(refundXml(), config.key) } }),
      'other_merchant',
      '商户号不匹配',
    ],
    [
      'a req_info that does not decrypt',
      () => ({
        ok: true,
        fields: { return_code: 'SUCCESS', appid: config.appid, mch_id: config.mchId, req_info: encryptReqInfo(refundXml(), 'e'.repeat(32)) },
      }),
      'bad_req_info',
      '解密失败',
    ],
  ]
  for (const [what, notification, reason, message] of junk) {
    test(`${what}: FAIL, counted as ${reason}, nothing in payment_events, the order untouched`, async () => {
      const w = world('merchant')
      assert.deepEqual(await handleMerchantNotify(w.deps, config, notification()), { ack: false, message })
      assert.deepEqual(w.events.events, [])
      assert.deepEqual(
        w.rejects.counted.map((j) => [j.reason, j.source, j.at]),
        [[reason, 'http_trigger', w.clock.now()]],
      )
      const sample = JSON.stringify(w.rejects.counted[0]?.sample)
      assert.ok(sample.length < 4096)
      assert.doesNotMatch(sample, /"(sign|req_info)":"(?!\[omitted\])/)
      assert.equal(w.orders.docs.get(OUT_TRADE_NO)?.status, 'NOTPAY')
    })
  }

  test('a merchant notification while PAY_MODE=cloudpay is junk (wrong_pay_mode)', async () => {
    const w = world('cloudpay')
    assert.deepEqual(await handleMerchantNotify(w.deps, undefined, signed(paid())), { ack: false, message: '商户未启用此通知' })
    assert.deepEqual(
      w.rejects.counted.map((j) => j.reason),
      ['wrong_pay_mode'],
    )
    assert.deepEqual(w.events.events, [])
  })

  test('authentic but refused (wrong amount, another appid): SUCCESS, recorded in full, nothing counted', async () => {
    const w = world('merchant')
    assert.deepEqual(await handleMerchantNotify(w.deps, config, signed(paid({ total_fee: '1' }))), { ack: true, message: 'OK' })
    assert.deepEqual(await handleMerchantNotify(w.deps, config, signed(paid({ appid: 'wx0000000000else' }))), { ack: true, message: 'OK' })
    assert.deepEqual(
      w.events.events.map((e) => [e.decision, e.outTradeNo, e.raw['total_fee'], e.raw['appid']]),
      [
        ['rejected', OUT_TRADE_NO, '1', config.appid],
        ['rejected', OUT_TRADE_NO, '1990', 'wx0000000000else'],
      ],
    )
    assert.match(w.events.events[0]!.reason, /amount mismatch/)
    assert.deepEqual(w.rejects.counted, [])
    assert.equal(w.orders.docs.get(OUT_TRADE_NO)?.status, 'NOTPAY')
  })

  test('the genuine notification is applied', async () => {
    const w = world('merchant')
    assert.deepEqual(await handleMerchantNotify(w.deps, config, signed(paid())), { ack: true, message: 'OK' })
    assert.equal(w.orders.docs.get(OUT_TRADE_NO)?.status, 'SUCCESS')
    assert.deepEqual(w.rejects.counted, [])
  })

  test('a temporary fault after authentication is recorded as failed and thrown, so that WeChat retries', async () => {
    const w = world('merchant')
    const down = new Error('database down')
    w.orders.markPaid = w.orders.get = async () => {
      throw down
    }
    await assert.rejects(handleMerchantNotify(w.deps, config, signed(paid())), down)
    assert.deepEqual(
      w.events.events.map((e) => [e.kind, e.decision, e.outTradeNo]),
      [['payment_notify', 'failed', OUT_TRADE_NO]],
    )
  })

  test('junk that cannot be counted is still refused', async () => {
    const w = world('merchant')
    w.rejects.failing = true
    assert.deepEqual(await handleMerchantNotify(w.deps, config, signed(paid(), 'f'.repeat(32))), { ack: false, message: '签名失败' })
    assert.deepEqual(w.events.events, [])
  })
})

describe('cloudPay callbacks', () => {
  const callback = {
    returnCode: 'SUCCESS',
    resultCode: 'SUCCESS',
    subMchId: '1900000109',
    outTradeNo: OUT_TRADE_NO,
    transactionId: '4200000000202611280000000002',
    totalFee: 1990,
  }

  test('a call that is not WeChat Pay (SOURCE≠wx_paycallback) is FORBIDDEN and counted, not recorded', async () => {
    const w = world('cloudpay')
    for (const source of ['wx_client', '', 'wx_http'])
      assert.deepEqual(await handleCloudPayNotify(w.deps, source, callback), { ack: false, message: 'FORBIDDEN' })
    assert.deepEqual(
      w.rejects.counted.map((j) => [j.reason, j.source]),
      [
        ['not_wechat_pay', 'wx_client'],
        ['not_wechat_pay', ''],
        ['not_wechat_pay', 'wx_http'],
      ],
    )
    assert.deepEqual(w.events.events, [])
    assert.equal(w.orders.docs.get(OUT_TRADE_NO)?.status, 'NOTPAY')
  })

  test('from WeChat Pay: refusals are recorded in full (also while PAY_MODE=merchant), the genuine one applied', async () => {
    const w = world('cloudpay')
    assert.deepEqual(await handleCloudPayNotify(w.deps, 'wx_paycallback', { ...callback, totalFee: 1 }), { ack: true, message: 'OK' })
    assert.deepEqual(await handleCloudPayNotify(w.deps, 'wx_paycallback', callback), { ack: true, message: 'OK' })
    assert.deepEqual(
      w.events.events.map((e) => e.decision),
      ['rejected', 'applied'],
    )
    const m = world('merchant')
    assert.deepEqual(await handleCloudPayNotify(m.deps, 'wx_paycallback', callback), { ack: true, message: 'OK' })
    assert.match(m.events.events[0]?.reason ?? '', /PAY_MODE=merchant/)
    assert.deepEqual([...w.rejects.counted, ...m.rejects.counted], [])
  })
})
