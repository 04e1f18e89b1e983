import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadPayConfig } from './config'

test('cloudpay is the default mode and needs only the sub merchant id', () => {
  const result = loadPayConfig({ WXPAY_SUB_MCH_ID: '1900000109' })
  assert.deepEqual(result, { ok: true, config: { mode: 'cloudpay', subMchId: '1900000109' } })
})

test('merchant mode defaults to HMAC-SHA256 and the official API base', () => {
  const result = loadPayConfig({
    PAY_MODE: 'merchant',
    WXPAY_APPID: 'wx0000000000test',
    WXPAY_MCH_ID: '1900000110',
    WXPAY_KEY: 'a'.repeat(32),
    WXPAY_NOTIFY_URL: 'https://example.com/pay',
  })
  assert.ok(result.ok)
  assert.equal(result.config.mode === 'merchant' && result.config.signType, 'HMAC-SHA256')
  assert.equal(result.config.mode === 'merchant' && result.config.apiBase, 'https://api.mch.weixin.qq.com')
})

test('one CONFIG_ERROR names every problem and never echoes a value', () => {
  const result = loadPayConfig({ PAY_MODE: 'merchant', WXPAY_KEY: 'secret-but-too-short', WXPAY_API_BASE: 'ftp://x' })
  assert.equal(result.ok, false)
  const message = result.ok ? '' : result.error.message
  for (const name of ['WXPAY_APPID', 'WXPAY_MCH_ID', 'WXPAY_KEY', 'WXPAY_NOTIFY_URL', 'WXPAY_API_BASE']) assert.match(message, new RegExp(name))
  assert.doesNotMatch(message, /secret-but-too-short/)
  assert.equal(result.ok ? '' : result.error.code, 'CONFIG_ERROR')
})
