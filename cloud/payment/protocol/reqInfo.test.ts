import assert from 'node:assert/strict'
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { decryptReqInfo, encryptReqInfo } from './reqInfo'

const KEY = '192006250b4c09247ec02edce69f6a2d'
const PLAIN = '<root><out_refund_no><![CDATA[R1]]></out_refund_no><refund_status><![CDATA[SUCCESS]]></refund_status><note>退款</note></root>'

// WeChat Pay's rule, written out independently: AES-256-ECB, PKCS#7, keyed by the 32 characters
// of the lowercase hex MD5 of the merchant key, base64 on the wire.
const wechatKey = Buffer.from(createHash('md5').update(KEY).digest('hex'), 'ascii')
function wechatEncrypt(plain: string): string {
  const cipher = createCipheriv('aes-256-ecb', wechatKey, null)
  return Buffer.concat([cipher.update(Buffer.from(plain, 'utf8')), cipher.final()]).toString('base64')
}
function wechatDecrypt(sealed: string): string {
  const decipher = createDecipheriv('aes-256-ecb', wechatKey, null)
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8')
}

describe('req_info', () => {
  test('decrypts what WeChat Pay encrypts, Chinese included', () => {
    assert.equal(decryptReqInfo(wechatEncrypt(PLAIN), KEY), PLAIN)
  })

  test('encrypts exactly as WeChat Pay does', () => {
    assert.equal(encryptReqInfo(PLAIN, KEY), wechatEncrypt(PLAIN))
    assert.equal(wechatDecrypt(encryptReqInfo(PLAIN, KEY)), PLAIN)
  })

  test('is base64 of whole 16-byte blocks', () => {
    const sealed = encryptReqInfo('x', KEY)
    assert.equal(Buffer.from(sealed, 'base64').length, 16)
    assert.equal(Buffer.from(encryptReqInfo('x'.repeat(16), KEY), 'base64').length, 32)
  })

  test('refuses another key and a tampered text', () => {
    const sealed = encryptReqInfo(PLAIN, KEY)
    assert.throws(() => decryptReqInfo(sealed, KEY.toUpperCase()))
    const bytes = Buffer.from(sealed, 'base64')
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff
    assert.throws(() => decryptReqInfo(bytes.toString('base64'), KEY))
  })
})
