import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  buildShippingRequest,
  classifyShippingAnswer,
  maskPhone,
  rfc3339Beijing,
  uploadShippingInfo,
  type ShipmentInput,
  type ShippingOpenApi,
} from './shippingInfo'

const AT = new Date('2026-01-02T03:04:05.678Z')
const EXPRESS: ShipmentInput = {
  order: { transactionId: '4200000000202601020000000001' },
  payerOpenid: 'o-shopper',
  logistics: 'express',
  itemDesc: '微信红包抱枕*1个',
  trackingNo: 'YT6728388910274',
  expressCompany: 'YTO',
  uploadedAt: AT,
}

describe('buildShippingRequest', () => {
  it('builds a unified express shipment keyed by transaction id', () => {
    const built = buildShippingRequest(EXPRESS)
    assert.ok('request' in built)
    assert.deepEqual(built.request, {
      order_key: { order_number_type: 2, transaction_id: '4200000000202601020000000001' },
      logistics_type: 1,
      delivery_mode: 1,
      shipping_list: [{ item_desc: '微信红包抱枕*1个', tracking_no: 'YT6728388910274', express_company: 'YTO' }],
      upload_time: '2026-01-02T11:04:05.678+08:00',
      payer: { openid: 'o-shopper' },
    })
  })

  it('keys by merchant and out_trade_no, and leaves tracking out of a pickup', () => {
    const built = buildShippingRequest({
      ...EXPRESS,
      order: { mchId: '1900000109', outTradeNo: 'ORD_123456' },
      logistics: 'pickup',
      trackingNo: undefined,
      expressCompany: undefined,
    })
    assert.ok('request' in built)
    assert.deepEqual(built.request['order_key'], { order_number_type: 1, mchid: '1900000109', out_trade_no: 'ORD_123456' })
    assert.equal(built.request['logistics_type'], 4)
    assert.deepEqual(built.request['shipping_list'], [{ item_desc: '微信红包抱枕*1个' }])
  })

  it('refuses SF without a contact, and unmasked contacts', () => {
    assert.deepEqual(buildShippingRequest({ ...EXPRESS, expressCompany: 'SF' }), { invalid: 'SF shipments need a masked contact' })
    assert.ok('invalid' in buildShippingRequest({ ...EXPRESS, receiverContact: '13800001234' }))
    const sf = buildShippingRequest({ ...EXPRESS, expressCompany: 'SF', receiverContact: maskPhone('13800001234') })
    assert.ok('request' in sf)
    assert.deepEqual((sf.request['shipping_list'] as Array<Record<string, unknown>>)[0]!['contact'], { receiver_contact: '138****1234' })
  })

  it('refuses express without tracking, an empty or long item description', () => {
    assert.ok('invalid' in buildShippingRequest({ ...EXPRESS, trackingNo: undefined }))
    assert.ok('invalid' in buildShippingRequest({ ...EXPRESS, itemDesc: '  ' }))
    assert.ok('invalid' in buildShippingRequest({ ...EXPRESS, itemDesc: 'x'.repeat(121) }))
  })
})

describe('helpers', () => {
  it('masks phones keeping the last four digits', () => {
    assert.equal(maskPhone('13800001234'), '138****1234')
    assert.equal(maskPhone('+86 177 0000 1234'), '861******1234')
    assert.equal(maskPhone('1234'), '****1234')
  })

  it('writes RFC 3339 in Beijing time', () => {
    assert.equal(rfc3339Beijing(new Date('2026-12-31T20:00:00.000Z')), '2027-01-01T04:00:00.000+08:00')
  })
})

describe('classifyShippingAnswer', () => {
  const thrown = (errCode: number) => ({ error: Object.assign(new Error('x'), { errCode, errMsg: `openapi:fail ${errCode}` }) })

  it('sorts answers and thrown SDK errors', () => {
    assert.deepEqual(classifyShippingAnswer({ answer: { errCode: 0, errMsg: 'openapi.wxa.sec.order.uploadShippingInfo:ok' } }), { kind: 'ok' })
    assert.deepEqual(classifyShippingAnswer(thrown(10060003)), { kind: 'already_uploaded', code: 10060003 })
    assert.equal(classifyShippingAnswer(thrown(-1)).kind, 'temporary')
    assert.equal(classifyShippingAnswer(thrown(-501001)).kind, 'temporary')
    assert.equal(classifyShippingAnswer({ error: new Error('socket hang up') }).kind, 'temporary')
    const cases: Array<[number, string]> = [
      [10060001, 'order_not_found'],
      [10060004, 'not_shippable'],
      [10060031, 'payer_mismatch'],
      [47001, 'bad_request'],
      [-604101, 'no_permission'],
      [12345, 'unknown'],
    ]
    for (const [code, reason] of cases) {
      const outcome = classifyShippingAnswer(thrown(code))
      assert.ok(outcome.kind === 'permanent', `${code}`)
      assert.equal(outcome.reason, reason)
      assert.equal(outcome.code, code)
    }
  })

  it('reads a raw platform answer too', () => {
    assert.equal(classifyShippingAnswer({ answer: { errcode: 10060001, errmsg: '支付单不存在' } }).kind, 'permanent')
  })
})

describe('uploadShippingInfo', () => {
  it('calls the open API with the built request and never throws', async () => {
    const sent: Array<Record<string, unknown>> = []
    const api = (impl: () => Promise<unknown>): ShippingOpenApi => ({
      wxa: {
        sec: {
          order: {
            uploadShippingInfo: (request) => {
              sent.push(request)
              return impl()
            },
          },
        },
      },
    })
    assert.deepEqual(
      await uploadShippingInfo(
        api(async () => ({ errCode: 0 })),
        EXPRESS,
      ),
      { kind: 'ok' },
    )
    assert.equal(sent.length, 1)
    const failed = await uploadShippingInfo(
      api(() => Promise.reject(Object.assign(new Error('busy'), { errCode: -1 }))),
      EXPRESS,
    )
    assert.equal(failed.kind, 'temporary')
    const invalid = await uploadShippingInfo(
      api(async () => ({})),
      { ...EXPRESS, expressCompany: 'SF' },
    )
    assert.ok(invalid.kind === 'permanent' && invalid.reason === 'invalid_input')
    assert.equal(sent.length, 2, 'invalid input is never sent')
  })
})
