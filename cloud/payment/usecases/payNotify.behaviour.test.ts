// payNotify end to end over the in-memory ports, with notifications built as WeChat Pay builds
// them: signed XML fields, refund facts encrypted in req_info with the merchant key. Each test
// checks the reply, the stored order, what payment_events holds and what payment_rejects counted.
import assert from 'node:assert/strict'
import { createCipheriv, createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import type { MerchantConfig } from '../config'
import { fen } from '../core/money'
import type { JunkNotification, OrderRecord, PaymentEvent, PayMode, RejectCounter } from '../ports'
import { sign, type SignType } from '../protocol/sign'
import { buildXml } from '../protocol/xml'
import { captureConsole } from '../testing/assertions'
import { memoryWorld, storedOrder } from '../testing/memory'
import { handleCloudPayNotify, handleMerchantNotify, type MerchantNotification, type NotifyOutcome } from './payNotify'

const NO = '20261128100000abcdefabcdefab'
const KEY = '192006250b4c09247ec02edce69f6a2d'
const APPID = 'wx0000000000test'
const MCH = '1900000110'
const CLOUD_MCH = '1900000109'
const SOURCE = 'http_trigger'
const OK: NotifyOutcome = { ack: true, message: 'OK' }

function merchant(signType: SignType = 'HMAC-SHA256'): MerchantConfig {
  return { mode: 'merchant', appid: APPID, mchId: MCH, key: KEY, notifyUrl: 'http://127.0.0.1/notify', signType, apiBase: 'http://127.0.0.1', simulator: true }
}

class CountedRejects implements RejectCounter {
  readonly counted: JunkNotification[] = []
  failure: unknown = undefined
  async count(junk: JunkNotification): Promise<void> {
    if (this.failure !== undefined) throw this.failure
    this.counted.push(structuredClone(junk))
  }
}

function setup(mode: PayMode, order: Partial<OrderRecord> = {}) {
  const world = memoryWorld({ mode, mchId: mode === 'merchant' ? MCH : CLOUD_MCH })
  world.orders.put(storedOrder({ outTradeNo: NO, mode, mchId: world.gateway.mchId, ...order }, world.clock))
  const rejects = new CountedRejects()
  return { world, rejects, deps: { ...world, rejects } }
}

/** A paid order with one refund of all of it sent and not yet settled. */
function refunding(mode: PayMode) {
  return setup(mode, {
    status: 'SUCCESS',
    tradeState: 'SUCCESS',
    transactionId: '4200000000202611280000000001',
    refundReservedFee: fen(1990),
    refundsPending: 1,
    refunds: { RF000001: { outRefundNo: 'RF000001', refundFee: fen(1990), status: 'PROCESSING', requestedBy: 'staff-1', createdAt: new Date(0) } },
  })
}

function order(world: ReturnType<typeof setup>['world']): OrderRecord {
  const doc = world.orders.docs.get(NO)
  assert.ok(doc)
  return doc
}

function untouched(world: ReturnType<typeof setup>['world'], status: OrderRecord['status'] = 'NOTPAY'): void {
  assert.equal(order(world).status, status)
  assert.deepEqual(
    world.orders.writes.filter((w) => w.changed),
    [],
  )
}

function paidFields(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    appid: APPID,
    mch_id: MCH,
    nonce_str: 'n0nce',
    return_code: 'SUCCESS',
    result_code: 'SUCCESS',
    out_trade_no: NO,
    transaction_id: '4200000000202611280000000001',
    total_fee: '1990',
    time_end: '20261128100500',
    ...overrides,
  }
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/** Signed as WeChat Pay signs: every field but `sign`, with no `sign_type` unless given. */
function signed(fields: Record<string, string>, signType: SignType = 'HMAC-SHA256', key = KEY): MerchantNotification {
  return { ok: true, fields: { ...fields, sign: sign(fields, key, signType) } }
}

// WeChat Pay's rule, written out here: AES-256-ECB with PKCS#7, keyed by the lowercase hex md5 of the key, base64.
function encrypt(plain: string, key = KEY): string {
  const cipher = createCipheriv('aes-256-ecb', Buffer.from(createHash('md5').update(key).digest('hex'), 'ascii'), null)
  return Buffer.concat([cipher.update(Buffer.from(plain, 'utf8')), cipher.final()]).toString('base64')
}

function refundInfo(overrides: Record<string, string> = {}): Record<string, string> {
  return { out_trade_no: NO, out_refund_no: 'RF000001', refund_fee: '1990', refund_status: 'SUCCESS', refund_id: '50000000002026112800000001', ...overrides }
}

function refundFields(reqInfo: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  return paidFields({
    result_code: undefined,
    out_trade_no: undefined,
    transaction_id: undefined,
    total_fee: undefined,
    time_end: undefined,
    req_info: reqInfo,
    ...overrides,
  })
}

const refundNotification = (info = refundInfo(), overrides: Record<string, string | undefined> = {}): MerchantNotification => ({
  ok: true,
  fields: refundFields(encrypt(buildXml(info, 'root')), overrides),
})

function event(fields: Omit<PaymentEvent, 'mode' | 'source'> & Partial<PaymentEvent>): PaymentEvent {
  return { mode: 'merchant', source: SOURCE, ...fields }
}

function junk(reason: JunkNotification['reason'], detail: string, sample: Record<string, unknown>, source = SOURCE): Omit<JunkNotification, 'at'> {
  return { reason, source, detail, sample }
}

function counted(rejects: CountedRejects, at: number): Array<Omit<JunkNotification, 'at'>> {
  return rejects.counted.map(({ at: when, ...rest }) => {
    assert.equal(when, at)
    return rest
  })
}

function withoutUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter((entry) => entry[1] !== undefined))
}

const mine = (lines: string[]): string[] => lines.filter((line) => line.startsWith('payNotify'))

describe('merchant payment notifications', () => {
  for (const signType of ['HMAC-SHA256', 'MD5'] as const) {
    test(`signed with the configured ${signType} and no sign_type: applied, recorded with the fields as received`, async (t) => {
      captureConsole(t)
      const { world, rejects, deps } = setup('merchant')
      const notification = signed(paidFields(), signType)
      assert.deepEqual(await handleMerchantNotify(deps, merchant(signType), notification), OK)
      const paid = order(world)
      assert.deepEqual(
        [paid.status, paid.tradeState, paid.transactionId, paid.timeEnd],
        ['SUCCESS', 'SUCCESS', '4200000000202611280000000001', '20261128100500'],
      )
      assert.ok(notification.ok)
      assert.deepEqual(world.events.events, [
        event({
          kind: 'payment_notify',
          outTradeNo: NO,
          decision: 'applied',
          reason: 'paid',
          raw: notification.fields,
          transition: { from: 'NOTPAY', to: 'SUCCESS' },
        }),
      ])
      assert.deepEqual(rejects.counted, [])
    })
  }

  test('a signature of another type, another key or other fields is junk, whatever sign_type claims', async (t) => {
    const logs = captureConsole(t)
    const { world, rejects, deps } = setup('merchant')
    const md5 = signed(paidFields({ sign_type: 'MD5' }), 'MD5')
    const otherKey = signed(paidFields(), 'HMAC-SHA256', 'f'.repeat(32))
    const good = signed(paidFields())
    const tampered: MerchantNotification = { ok: true, fields: { ...(good.ok ? good.fields : {}), total_fee: '1' } }
    const unsigned: MerchantNotification = { ok: true, fields: paidFields() }
    for (const notification of [md5, otherKey, tampered, unsigned])
      assert.deepEqual(await handleMerchantNotify(deps, merchant('HMAC-SHA256'), notification), { ack: false, message: '签名失败' })
    const omitted = (n: MerchantNotification) => ({ ...(n.ok ? n.fields : {}), ...(n.ok && n.fields['sign'] ? { sign: '[omitted]' } : {}) })
    assert.deepEqual(
      counted(rejects, world.clock.now()),
      [md5, otherKey, tampered, unsigned].map((n) => junk('bad_signature', 'bad signature (checked as HMAC-SHA256)', omitted(n))),
    )
    assert.deepEqual(mine(logs.warn), Array(4).fill('payNotify refused (http_trigger, bad_signature): bad signature (checked as HMAC-SHA256)'))
    assert.deepEqual(world.events.events, [])
    untouched(world)
  })

  test('an authentic notification for another app (or none) is recorded as rejected and acknowledged', async (t) => {
    const logs = captureConsole(t)
    const { world, rejects, deps } = setup('merchant')
    const other = signed(paidFields({ appid: 'wx0000000000else' }))
    const none = signed(paidFields({ appid: undefined }))
    assert.deepEqual(await handleMerchantNotify(deps, merchant(), other), OK)
    assert.deepEqual(await handleMerchantNotify(deps, merchant(), none), OK)
    assert.deepEqual(world.events.events, [
      event({ kind: 'payment_notify', outTradeNo: NO, decision: 'rejected', reason: 'appid mismatch: wx0000000000else', raw: other.ok ? other.fields : {} }),
      event({ kind: 'payment_notify', outTradeNo: NO, decision: 'rejected', reason: 'appid mismatch: none', raw: none.ok ? none.fields : {} }),
    ])
    assert.deepEqual(mine(logs.warn), [
      'payNotify rejected (http_trigger): appid mismatch: wx0000000000else',
      'payNotify rejected (http_trigger): appid mismatch: none',
    ])
    assert.deepEqual(rejects.counted, [])
    untouched(world)
  })

  const refusals: Array<[Record<string, string | undefined>, string, string | null]> = [
    [{ return_code: 'FAIL' }, 'return_code is FAIL', NO],
    [{ result_code: 'FAIL' }, 'result_code is FAIL: not a successful payment', NO],
    [{ out_trade_no: 'bad!' }, 'out_trade_no is missing or malformed', 'bad!'],
    [{ out_trade_no: undefined }, 'out_trade_no is missing or malformed', null],
    [{ out_trade_no: 'x'.repeat(80) }, 'out_trade_no is missing or malformed', 'x'.repeat(64)],
    [{ transaction_id: undefined }, 'transaction_id is missing or malformed', NO],
    [{ mch_id: undefined }, 'mch_id is missing or malformed', NO],
    [{ total_fee: '19.90' }, 'total_fee is missing or malformed', NO],
    [{ time_end: 'yesterday' }, 'time_end is malformed', NO],
  ]
  for (const [overrides, reason, outTradeNo] of refusals) {
    test(`authentic but not a payment to apply (${reason}): recorded as rejected, acknowledged`, async (t) => {
      captureConsole(t)
      const { world, rejects, deps } = setup('merchant')
      const notification = signed(paidFields(overrides))
      assert.deepEqual(await handleMerchantNotify(deps, merchant(), notification), OK)
      assert.deepEqual(world.events.events, [
        event({ kind: 'payment_notify', outTradeNo, decision: 'rejected', reason, raw: notification.ok ? notification.fields : {} }),
      ])
      assert.deepEqual(rejects.counted, [])
      untouched(world)
    })
  }

  test('a notification without time_end is applied without one', async (t) => {
    captureConsole(t)
    const { world, deps } = setup('merchant')
    assert.deepEqual(await handleMerchantNotify(deps, merchant(), signed(paidFields({ time_end: undefined }))), OK)
    assert.equal(order(world).status, 'SUCCESS')
    assert.equal(order(world).timeEnd, undefined)
  })
})

describe('merchant refund notifications (req_info)', () => {
  test('unsigned, its facts decrypted with the key: the refund is settled and recorded with req_info replaced by what it said', async (t) => {
    captureConsole(t)
    const { world, rejects, deps } = refunding('merchant')
    const notification = refundNotification()
    assert.deepEqual(await handleMerchantNotify(deps, merchant(), notification), OK)
    const after = order(world)
    assert.deepEqual([after.status, after.refundedFee, after.refundsPending, after.refunds['RF000001']?.status], ['REFUND', 1990, 0, 'SUCCESS'])
    assert.deepEqual(world.events.events, [
      event({
        kind: 'refund_notify',
        outTradeNo: NO,
        decision: 'applied',
        reason: 'refund RF000001 SUCCESS',
        raw: { ...refundFields('[decrypted]'), ...refundInfo() },
        transition: { from: 'SUCCESS', to: 'REFUND' },
      }),
    ])
    assert.deepEqual(rejects.counted, [])
  })

  test('the same facts under MD5 merchants: the sign type plays no part in req_info', async (t) => {
    captureConsole(t)
    const { world, deps } = refunding('merchant')
    assert.deepEqual(await handleMerchantNotify(deps, merchant('MD5'), refundNotification(refundInfo({ refund_status: 'REFUNDCLOSE' }))), OK)
    assert.deepEqual([order(world).refunds['RF000001']?.status, order(world).refundReservedFee, order(world).status], ['FAILED', 0, 'SUCCESS'])
  })

  // Refused refund notifications are recorded as refund notifications, whichever rule refused them.
  const refusals: Array<[string, Record<string, string>, string]> = [
    ['an unknown refund status', refundInfo({ refund_status: 'BOGUS' }), 'refund_status is BOGUS'],
    ['a malformed refund number', refundInfo({ out_refund_no: 'R1' }), 'out_refund_no is missing or malformed'],
    ['another amount', refundInfo({ refund_fee: '100' }), 'amount mismatch: refund of 100 fen, requested 1990 fen'],
  ]
  for (const [what, info, reason] of refusals) {
    test(`authentic but refused (${what}): recorded as rejected, acknowledged, the refund still pending`, async (t) => {
      captureConsole(t)
      const { world, rejects, deps } = refunding('merchant')
      assert.deepEqual(await handleMerchantNotify(deps, merchant(), refundNotification(info)), OK)
      assert.deepEqual(world.events.events, [
        {
          kind: 'refund_notify',
          mode: 'merchant',
          source: SOURCE,
          outTradeNo: NO,
          decision: 'rejected',
          reason,
          raw: { ...refundFields('[decrypted]'), ...info },
        },
      ])
      assert.equal(order(world).refunds['RF000001']?.status, 'PROCESSING')
      assert.deepEqual(rejects.counted, [])
      untouched(world, 'SUCCESS')
    })
  }

  test('for another merchant or app (or none said): junk, counted with req_info omitted', async (t) => {
    const logs = captureConsole(t)
    const { world, rejects, deps } = refunding('merchant')
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ mch_id: '1900000999' }, '1900000999 / wx0000000000test'],
      [{ appid: 'wx0000000000else' }, '1900000110 / wx0000000000else'],
      [{ mch_id: undefined, appid: undefined }, '? / ?'],
    ]
    for (const [overrides] of cases)
      assert.deepEqual(await handleMerchantNotify(deps, merchant(), refundNotification(refundInfo(), overrides)), { ack: false, message: '商户号不匹配' })
    assert.deepEqual(
      counted(rejects, world.clock.now()),
      cases.map(([overrides, who]) => junk('other_merchant', `refund notification for another merchant or app (${who})`, refundFields('[omitted]', overrides))),
    )
    assert.equal(
      mine(logs.warn)[0],
      'payNotify refused (http_trigger, other_merchant): refund notification for another merchant or app (1900000999 / wx0000000000test)',
    )
    assert.deepEqual(world.events.events, [])
    untouched(world, 'SUCCESS')
  })

  test('a req_info that does not decrypt to refund XML with the key: junk (bad_req_info), nothing recorded', async (t) => {
    captureConsole(t)
    const { world, rejects, deps } = refunding('merchant')
    const sealed = [
      encrypt(buildXml(refundInfo(), 'root'), 'e'.repeat(32)),
      'bm90IGFuIEFFUyBibG9jaw==',
      encrypt(buildXml(refundInfo(), 'xml')),
      encrypt(buildXml(refundInfo({ padding: 'p'.repeat(64 * 1024) }), 'root')),
    ]
    for (const reqInfo of sealed)
      assert.deepEqual(await handleMerchantNotify(deps, merchant(), { ok: true, fields: refundFields(reqInfo) }), { ack: false, message: '解密失败' })
    const details = counted(rejects, world.clock.now()).map((j) => {
      assert.deepEqual([j.reason, j.source, j.sample], ['bad_req_info', SOURCE, refundFields('[omitted]')])
      return j.detail
    })
    assert.equal(details.length, 4)
    for (const detail of details) assert.match(detail, /^req_info does not decrypt with the merchant key: ./)
    assert.match(details[2] ?? '', /expected <root>/)
    assert.match(details[3] ?? '', /over 65536 bytes/)
    assert.deepEqual(world.events.events, [])
    untouched(world, 'SUCCESS')
  })

  test('a req_info of up to 64 KiB is read', async (t) => {
    captureConsole(t)
    const { world, deps } = refunding('merchant')
    const info = refundInfo()
    const room = 64 * 1024 - buildXml({ ...info, padding: '' }, 'root').length
    assert.deepEqual(await handleMerchantNotify(deps, merchant(), refundNotification({ ...info, padding: 'p'.repeat(room) })), OK)
    assert.equal(order(world).refunds['RF000001']?.status, 'SUCCESS')
  })

  test('a temporary fault once decrypted: recorded as a failed refund_notify and thrown, so that WeChat retries', async (t) => {
    captureConsole(t)
    const { world, deps } = refunding('merchant')
    const down = new Error('database down')
    world.orders.get = async () => {
      throw down
    }
    await assert.rejects(handleMerchantNotify(deps, merchant(), refundNotification()), (error) => error === down)
    assert.deepEqual(world.events.events, [
      event({
        kind: 'refund_notify',
        outTradeNo: NO,
        decision: 'failed',
        reason: 'temporary failure: database down',
        raw: { ...refundFields('[decrypted]'), ...refundInfo() },
      }),
    ])
  })
})

describe('temporary faults after authentication', () => {
  const faults: Array<[string, unknown, string]> = [
    ['an Error', new Error('database down'), 'temporary failure: database down'],
    ['a long message', new Error('x'.repeat(300)), `temporary failure: ${'x'.repeat(200)}`],
    ['a string', 'dropped', 'temporary failure: dropped'],
    ['null', null, 'temporary failure: null'],
  ]
  for (const [what, fault, reason] of faults) {
    test(`${what} is recorded as failed and thrown as it was`, async (t) => {
      captureConsole(t)
      const { world, rejects, deps } = setup('merchant')
      world.orders.markPaid = world.orders.get = async () => {
        throw fault
      }
      const notification = signed(paidFields())
      await assert.rejects(handleMerchantNotify(deps, merchant(), notification), (error) => error === fault)
      assert.deepEqual(world.events.events, [
        event({ kind: 'payment_notify', outTradeNo: NO, decision: 'failed', reason, raw: notification.ok ? notification.fields : {} }),
      ])
      assert.deepEqual(rejects.counted, [])
    })
  }

  test('when the event log is what failed, the fault itself is thrown', async (t) => {
    captureConsole(t)
    const { world, deps } = setup('merchant')
    const down = new Error('database down')
    world.orders.markPaid = world.orders.get = async () => {
      throw down
    }
    world.events.record = async () => {
      throw new Error('event log down')
    }
    await assert.rejects(handleMerchantNotify(deps, merchant(), signed(paidFields())), (error) => error === down)
  })
})

describe('junk', () => {
  test('malformed XML: counted with a short excerpt, the log line bounded', async (t) => {
    const logs = captureConsole(t)
    const { world, rejects, deps } = setup('merchant')
    const error = `XML_MALFORMED ${'e'.repeat(300)}`
    const excerpt = `<xml>${'a'.repeat(500)}`
    assert.deepEqual(await handleMerchantNotify(deps, merchant(), { ok: false, error, excerpt }), { ack: false, message: '报文格式错误' })
    assert.deepEqual(counted(rejects, world.clock.now()), [junk('malformed_xml', `malformed notification XML: ${error}`, { body: excerpt.slice(0, 128) })])
    assert.deepEqual(mine(logs.warn), [`payNotify refused (http_trigger, malformed_xml): ${`malformed notification XML: ${error}`.slice(0, 200)}`])
    assert.deepEqual(world.events.events, [])
  })

  test('a merchant notification while PAY_MODE=cloudpay: counted with its first 20 fields, secrets omitted', async (t) => {
    captureConsole(t)
    const { world, rejects, deps } = setup('cloudpay')
    const extra = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extra_${String(i).padStart(2, '0')}`, `v${i}`]))
    const notification = signed({ ...paidFields(), ...extra, req_info: 'c2VhbGVk' })
    assert.deepEqual(await handleMerchantNotify(deps, undefined, notification), { ack: false, message: '商户未启用此通知' })
    const fields = Object.entries(notification.ok ? notification.fields : {})
    assert.equal(fields.length, 26)
    const sample = Object.fromEntries(fields.slice(0, 20))
    assert.deepEqual(counted(rejects, world.clock.now()), [junk('wrong_pay_mode', 'a merchant notification while PAY_MODE=cloudpay', sample)])
    assert.deepEqual(world.events.events, [])
    untouched(world)
  })

  test('not from WeChat Pay: FORBIDDEN, counted with a bounded sample (paySign omitted, numbers kept)', async (t) => {
    const logs = captureConsole(t)
    const { world, rejects, deps } = setup('cloudpay')
    const call = { outTradeNo: NO, totalFee: 1990, paid: true, paySign: 'ABCDEF', note: '备'.repeat(200) }
    for (const source of ['wx_client', '']) assert.deepEqual(await handleCloudPayNotify(deps, source, call), { ack: false, message: 'FORBIDDEN' })
    const sample = { outTradeNo: NO, totalFee: 1990, paid: true, paySign: '[omitted]', note: '备'.repeat(128) }
    assert.deepEqual(counted(rejects, world.clock.now()), [
      junk('not_wechat_pay', 'not a WeChat Pay callback (SOURCE=wx_client)', sample, 'wx_client'),
      junk('not_wechat_pay', 'not a WeChat Pay callback (SOURCE=none)', sample, ''),
    ])
    assert.deepEqual(mine(logs.warn), [
      'payNotify refused (wx_client, not_wechat_pay): not a WeChat Pay callback (SOURCE=wx_client)',
      'payNotify refused (, not_wechat_pay): not a WeChat Pay callback (SOURCE=none)',
    ])
    assert.deepEqual(world.events.events, [])
    untouched(world)
  })

  test('when it cannot be counted, the refusal stands and the operators are told', async (t) => {
    const logs = captureConsole(t)
    const { world, rejects, deps } = setup('merchant')
    rejects.failure = new Error('database down')
    assert.deepEqual(await handleMerchantNotify(deps, merchant(), signed(paidFields(), 'MD5')), { ack: false, message: '签名失败' })
    assert.deepEqual(logs.error, ['payNotify: could not count a refused notification Error: database down'])
    assert.deepEqual(world.events.events, [])
    untouched(world)
  })
})

describe('cloudPay callbacks', () => {
  // A callback event as cloudPay delivers it; an override of `undefined` leaves the field out.
  const paidCall = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
    withoutUndefined({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      subMchId: CLOUD_MCH,
      outTradeNo: NO,
      transactionId: '4200000000202611280000000002',
      totalFee: 1990,
      timeEnd: '20261128100500',
      ...overrides,
    })
  const refundCall = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
    withoutUndefined({
      returnCode: 'SUCCESS',
      subMchId: CLOUD_MCH,
      outTradeNo: NO,
      outRefundNo: 'RF000001',
      refundFee: 1990,
      refundStatus: 'SUCCESS',
      ...overrides,
    })
  const cloud = (fields: Omit<PaymentEvent, 'mode' | 'source'>): PaymentEvent => ({ mode: 'cloudpay', source: 'wx_paycallback', ...fields })

  test('a genuine payment is applied and recorded as received', async (t) => {
    captureConsole(t)
    const { world, rejects, deps } = setup('cloudpay')
    assert.deepEqual(await handleCloudPayNotify(deps, 'wx_paycallback', paidCall()), OK)
    const paid = order(world)
    assert.deepEqual([paid.status, paid.transactionId, paid.timeEnd], ['SUCCESS', '4200000000202611280000000002', '20261128100500'])
    assert.deepEqual(world.events.events, [
      cloud({ kind: 'payment_notify', outTradeNo: NO, decision: 'applied', reason: 'paid', raw: paidCall(), transition: { from: 'NOTPAY', to: 'SUCCESS' } }),
    ])
    assert.deepEqual(rejects.counted, [])
  })

  const refusals: Array<[Record<string, unknown>, string, string | null]> = [
    [{ returnCode: 'FAIL' }, 'return_code is FAIL', NO],
    [{ resultCode: 'FAIL' }, 'result_code is FAIL: not a successful payment', NO],
    [{ outTradeNo: 12345 }, 'out_trade_no is missing or malformed', null],
    [{ transactionId: undefined }, 'transaction_id is missing or malformed', NO],
    [{ subMchId: undefined }, 'mch_id is missing or malformed', NO],
    [{ totalFee: '1990' }, 'total_fee is missing or malformed', NO],
    [{ timeEnd: 20261128100500 }, 'time_end is malformed', NO],
  ]
  for (const [overrides, reason, outTradeNo] of refusals) {
    test(`a payment refused (${reason}) is recorded, acknowledged, the order untouched`, async (t) => {
      const logs = captureConsole(t)
      const { world, rejects, deps } = setup('cloudpay')
      const call = paidCall(overrides)
      assert.deepEqual(await handleCloudPayNotify(deps, 'wx_paycallback', call), OK)
      assert.deepEqual(
        world.events.events.map((e) => [e.kind, e.mode, e.source, e.outTradeNo, e.decision, e.reason]),
        [['payment_notify', 'cloudpay', 'wx_paycallback', outTradeNo, 'rejected', reason]],
      )
      assert.deepEqual(world.events.events[0]?.raw, call)
      if (outTradeNo === null) assert.deepEqual(mine(logs.warn), [`payNotify rejected (wx_paycallback): ${reason}`])
      assert.deepEqual(rejects.counted, [])
      untouched(world)
    })
  }

  test('a refund is settled and recorded as a refund_notify', async (t) => {
    captureConsole(t)
    const { world, rejects, deps } = refunding('cloudpay')
    assert.deepEqual(await handleCloudPayNotify(deps, 'wx_paycallback', refundCall()), OK)
    assert.deepEqual([order(world).status, order(world).refundedFee, order(world).refunds['RF000001']?.status], ['REFUND', 1990, 'SUCCESS'])
    assert.deepEqual(world.events.events, [
      cloud({
        kind: 'refund_notify',
        outTradeNo: NO,
        decision: 'applied',
        reason: 'refund RF000001 SUCCESS',
        raw: refundCall(),
        transition: { from: 'SUCCESS', to: 'REFUND' },
      }),
    ])
    assert.deepEqual(rejects.counted, [])
  })

  test('a refund callback is known by outRefundNo or by refundStatus alone', async (t) => {
    captureConsole(t)
    const { world, deps } = refunding('cloudpay')
    assert.deepEqual(await handleCloudPayNotify(deps, 'wx_paycallback', refundCall({ outRefundNo: undefined })), OK)
    assert.deepEqual(await handleCloudPayNotify(deps, 'wx_paycallback', refundCall({ refundStatus: undefined })), OK)
    assert.deepEqual(await handleCloudPayNotify(deps, 'wx_paycallback', refundCall({ refundFee: 100 })), OK)
    assert.deepEqual(
      world.events.events.map((e) => [e.kind, e.outTradeNo, e.decision, e.reason]),
      [
        ['refund_notify', NO, 'rejected', 'out_refund_no is missing or malformed'],
        ['refund_notify', NO, 'rejected', 'refund_status is undefined'],
        ['refund_notify', NO, 'rejected', 'amount mismatch: refund of 100 fen, requested 1990 fen'],
      ],
    )
    untouched(world, 'SUCCESS')
  })

  test('while PAY_MODE=merchant, payments and refunds alike are recorded as rejected and acknowledged', async (t) => {
    const logs = captureConsole(t)
    const { world, rejects, deps } = refunding('merchant')
    assert.deepEqual(await handleCloudPayNotify(deps, 'wx_paycallback', paidCall()), OK)
    assert.deepEqual(await handleCloudPayNotify(deps, 'wx_paycallback', refundCall()), OK)
    const reason = 'a cloudPay callback while PAY_MODE=merchant'
    assert.deepEqual(
      world.events.events.map((e) => [e.kind, e.mode, e.source, e.outTradeNo, e.decision, e.reason, e.raw]),
      [
        ['payment_notify', 'merchant', 'wx_paycallback', NO, 'rejected', reason, paidCall()],
        ['refund_notify', 'merchant', 'wx_paycallback', NO, 'rejected', reason, refundCall()],
      ],
    )
    assert.deepEqual(mine(logs.warn), [`payNotify rejected (wx_paycallback): ${reason}`, `payNotify rejected (wx_paycallback): ${reason}`])
    assert.deepEqual(rejects.counted, [])
    untouched(world, 'SUCCESS')
  })

  for (const [what, call, kind] of [
    ['payment', paidCall, 'payment_notify'],
    ['refund', refundCall, 'refund_notify'],
  ] as const) {
    test(`a temporary fault on a ${what} is recorded as a failed ${kind} and thrown`, async (t) => {
      captureConsole(t)
      const { world, deps } = refunding('cloudpay')
      const down = new Error('database down')
      world.orders.get = async () => {
        throw down
      }
      await assert.rejects(handleCloudPayNotify(deps, 'wx_paycallback', call()), (error) => error === down)
      assert.deepEqual(world.events.events, [cloud({ kind, outTradeNo: NO, decision: 'failed', reason: 'temporary failure: database down', raw: call() })])
    })
  }
})
