import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import { describe, test } from 'node:test'
import { isSignType, paySign, sign, signingString, SIGN_TYPES, verifySign } from './sign'

const KEY = '192006250b4c09247ec02edce69f6a2d'
const md5 = (text: string) => createHash('md5').update(text).digest('hex').toUpperCase()
const hmac = (text: string) => createHmac('sha256', KEY).update(text).digest('hex').toUpperCase()

describe('sign types', () => {
  test('are MD5 and HMAC-SHA256, spelled as WeChat Pay spells them', () => {
    assert.deepEqual([...SIGN_TYPES].sort(), ['HMAC-SHA256', 'MD5'])
    assert.equal(isSignType('MD5'), true)
    assert.equal(isSignType('HMAC-SHA256'), true)
    for (const other of ['md5', 'hmac-sha256', 'RSA', 'HMAC-SHA1', 'SHA256', '', undefined, null, ['MD5']])
      assert.equal(isSignType(other), false, String(other))
  })
})

describe('signingString', () => {
  test('leaves out null values but keeps a zero', () => {
    assert.equal(signingString({ b: null, a: 0, c: '1' }, 'K'), 'a=0&c=1&key=K')
  })

  test('leaves out only the field named exactly sign', () => {
    assert.equal(signingString({ sign: 'x', Sign: 'y', sign_type: 'MD5' }, 'K'), 'Sign=y&sign_type=MD5&key=K')
  })

  test('with nothing to sign it is the key alone', () => {
    assert.equal(signingString({}, 'K'), 'key=K')
    assert.equal(signingString({ a: '', b: undefined, c: null }, 'K'), 'key=K')
  })

  test('sorts by code unit, as WeChat Pay does (upper case before lower case, _ between)', () => {
    assert.equal(signingString({ b: '1', a_b: '2', aB: '3', A: '4', a: '5' }, 'K'), 'A=4&a=5&aB=3&a_b=2&b=1&key=K')
  })

  test('signs values as they are, without encoding them', () => {
    assert.equal(signingString({ body: '中文 & <x>=1' }, 'K'), 'body=中文 & <x>=1&key=K')
  })
})

describe('sign and verifySign', () => {
  const params = { appid: 'wx1', body: '中文商品', total_fee: 1990, nonce_str: 'n' }
  const text = `appid=wx1&body=中文商品&nonce_str=n&total_fee=1990&key=${KEY}`

  test('MD5 (the default) and HMAC-SHA256 of the signing string, in upper case hex, over UTF-8', () => {
    assert.equal(sign(params, KEY), md5(text))
    assert.equal(sign(params, KEY, 'MD5'), md5(text))
    assert.equal(sign(params, KEY, 'HMAC-SHA256'), hmac(text))
  })

  test('MD5 is the default for verifying too', () => {
    assert.equal(verifySign({ ...params, sign: md5(text) }, KEY), true)
    assert.equal(verifySign({ ...params, sign: hmac(text) }, KEY), false)
  })

  test('a sign that is missing, empty or not text is never valid', () => {
    for (const given of [undefined, null, '', 0, 123]) {
      assert.equal(verifySign({ ...params, sign: given }, KEY, 'MD5'), false, String(given))
    }
  })

  test('a sign of another length is refused, not an error', () => {
    assert.equal(verifySign({ ...params, sign: `${md5(text)}0` }, KEY, 'MD5'), false)
    assert.equal(verifySign({ ...params, sign: md5(text).slice(0, 31) }, KEY, 'MD5'), false)
    assert.equal(verifySign({ ...params, sign: '中'.repeat(32) }, KEY, 'MD5'), false)
  })
})

describe('paySign', () => {
  const payment = { appId: 'wx1', nonceStr: 'n', package: 'prepay_id=p1', signType: 'HMAC-SHA256' as const, timeStamp: '1490840662' }

  test('is the HMAC-SHA256 of the five fields when the payment says HMAC-SHA256', () => {
    assert.equal(paySign(payment, KEY), hmac(`appId=wx1&nonceStr=n&package=prepay_id=p1&signType=HMAC-SHA256&timeStamp=1490840662&key=${KEY}`))
  })

  test('changes with every one of the five fields', () => {
    const base = paySign(payment, KEY)
    const variants = [{ appId: 'wx2' }, { nonceStr: 'm' }, { package: 'prepay_id=p2' }, { timeStamp: '1490840663' }]
    for (const change of variants) assert.notEqual(paySign({ ...payment, ...change }, KEY), base, JSON.stringify(change))
  })
})
