import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
// The key of the official signature vector (docs/wechat-pay.md).
const MERCHANT_KEY = '192006250b4c09247ec02edce69f6a2d'
import { paySign, sign, signingString, verifySign } from './sign'

// docs/wechat-pay.md, "Official vector".
const VECTOR = { appid: 'wxd930ea5d5a258f4f', body: 'test', device_info: '1000', mch_id: '10000100', nonce_str: 'ibuaiVcKdpRxkhJA' }

describe('APIv2 signature', () => {
  it('matches the official MD5 vector', () => {
    assert.equal(sign(VECTOR, MERCHANT_KEY, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7')
    assert.equal(sign(VECTOR, MERCHANT_KEY), '9A0A8659F005D6984697E2CA0A9CF3B7')
  })

  it('matches the official HMAC-SHA256 vector', () => {
    assert.equal(sign(VECTOR, MERCHANT_KEY, 'HMAC-SHA256'), '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6')
  })

  it('sorts names, skips empty values and the sign field, and appends the key', () => {
    const text = signingString({ nonce_str: 'n', sign: 'X', appid: 'a', attach: '', detail: undefined, total_fee: 1 }, 'K')
    assert.equal(text, 'appid=a&nonce_str=n&total_fee=1&key=K')
  })

  it('does not depend on the order fields arrive in', () => {
    const reversed = Object.fromEntries(Object.entries(VECTOR).reverse())
    assert.equal(sign(reversed, MERCHANT_KEY), sign(VECTOR, MERCHANT_KEY))
  })

  it('verifies a genuine signature and refuses forged, tampered, lowercase or missing ones', () => {
    const signed = { ...VECTOR, sign: sign(VECTOR, MERCHANT_KEY, 'HMAC-SHA256') }
    assert.equal(verifySign(signed, MERCHANT_KEY, 'HMAC-SHA256'), true)
    assert.equal(verifySign(signed, MERCHANT_KEY, 'MD5'), false)
    assert.equal(verifySign(signed, 'another-key', 'HMAC-SHA256'), false)
    assert.equal(verifySign({ ...signed, body: 'test2' }, MERCHANT_KEY, 'HMAC-SHA256'), false)
    assert.equal(verifySign({ ...signed, sign: signed.sign.toLowerCase() }, MERCHANT_KEY, 'HMAC-SHA256'), false)
    assert.equal(verifySign({ ...signed, sign: signed.sign.slice(1) }, MERCHANT_KEY, 'HMAC-SHA256'), false)
    assert.equal(verifySign(VECTOR, MERCHANT_KEY, 'MD5'), false)
  })

  it('agrees with wx-js-utils on both sign types', () => {
    const { WXPayUtil } = require('wx-js-utils/src/libs/WXPay') as {
      WXPayUtil: { generateSignature(data: object, key: string, signType: string): string }
    }
    const data = { ...VECTOR, total_fee: '1990', attach: '中文 & <xml>' }
    for (const signType of ['MD5', 'HMAC-SHA256'] as const) {
      assert.equal(sign(data, MERCHANT_KEY, signType), WXPayUtil.generateSignature(data, MERCHANT_KEY, signType))
    }
  })
})

describe('paySign for wx.requestPayment', () => {
  const payment = {
    appId: 'wxd930ea5d5a258f4f',
    nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    package: 'prepay_id=wx2017033010242291fcfe0db70013231072',
    signType: 'MD5' as const,
    timeStamp: '1490840662',
  }

  it('signs exactly appId, nonceStr, package, signType and timeStamp', () => {
    const text = `appId=${payment.appId}&nonceStr=${payment.nonceStr}&package=${payment.package}&signType=MD5&timeStamp=${payment.timeStamp}&key=${MERCHANT_KEY}`
    const expected = createHash('md5').update(text).digest('hex').toUpperCase()
    assert.equal(paySign(payment, MERCHANT_KEY), expected)
    assert.equal(paySign({ ...payment, ...{ extra: 'ignored' } }, MERCHANT_KEY), expected)
  })

  it('uses HMAC-SHA256 when the payment says so', () => {
    const hmac = paySign({ ...payment, signType: 'HMAC-SHA256' }, MERCHANT_KEY)
    assert.match(hmac, /^[0-9A-F]{64}$/)
  })
})
