import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeCommApiData, encodeCommApiData, encodeCommOpenApiResp, ProtobufError } from './protobuf'

describe('open API protobuf codec', () => {
  it('reads back the pairs of a CommApiData', () => {
    const data = {
      apiType: 1,
      appid: 'wx0000000000test',
      pairs: [
        { key: 'order_key', value: Buffer.from('{"order_number_type":2}') },
        { key: 'payer', value: Buffer.from('{"openid":"o-1"}') },
      ],
    }
    assert.deepEqual(decodeCommApiData(encodeCommApiData(data)), data)
  })

  it('encodes a negative errorCode as a ten-byte varint, as protobufjs does for int32', () => {
    const bytes = encodeCommOpenApiResp({ respData: Buffer.alloc(0), contentType: '', errorCode: -604101 })
    // field 1 (empty), field 2 (empty), then tag 0x18 and ten varint bytes
    assert.equal(bytes.length, 2 + 2 + 1 + 10)
    assert.equal(bytes[4], 0x18)
  })

  it('refuses a truncated message', () => {
    const whole = encodeCommApiData({ apiType: 1, appid: 'wx1', pairs: [{ key: 'k', value: Buffer.from('1') }] })
    assert.throws(() => decodeCommApiData(whole.subarray(0, whole.length - 2)), ProtobufError)
  })
})
