import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadPayConfig } from './config'
import { assertShopperWords } from './testing/shopperWords'

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

test('one CONFIG_ERROR: shopper words for the caller, every problem named for the operator, no value echoed', () => {
  const result = loadPayConfig({ PAY_MODE: 'merchant', WXPAY_KEY: 'secret-but-too-short', WXPAY_API_BASE: 'ftp://x' })
  assert.equal(result.ok, false)
  const error = result.ok ? undefined : result.error
  assert.equal(error?.code, 'CONFIG_ERROR')
  assertShopperWords(error?.message ?? '')
  const detail = error?.detail ?? ''
  for (const name of ['WXPAY_APPID', 'WXPAY_MCH_ID', 'WXPAY_KEY', 'WXPAY_NOTIFY_URL', 'WXPAY_API_BASE']) assert.match(detail, new RegExp(name))
  assert.doesNotMatch(`${error?.message} ${detail}`, /secret-but-too-short/)
})

const merchant = {
  PAY_MODE: 'merchant',
  WXPAY_APPID: 'wx0000000000test',
  WXPAY_MCH_ID: '1900000110',
  WXPAY_KEY: 'a'.repeat(32),
  WXPAY_NOTIFY_URL: 'https://example.com/pay',
}

test('the simulator is said explicitly, never guessed from the API base, and only for a loopback base', () => {
  const backup = loadPayConfig({ ...merchant, WXPAY_API_BASE: 'https://api2.mch.weixin.qq.com' })
  assert.ok(backup.ok && backup.config.mode === 'merchant')
  assert.equal(backup.config.simulator, false) // WeChat's own backup domain is not a simulator
  const local = loadPayConfig({ ...merchant, WXPAY_API_BASE: 'http://127.0.0.1:8787', WXPAY_API_SIMULATOR: 'true' })
  assert.ok(local.ok && local.config.mode === 'merchant')
  assert.equal(local.config.simulator, true)
  const localUnsaid = loadPayConfig({ ...merchant, WXPAY_API_BASE: 'http://127.0.0.1:8787' })
  assert.ok(localUnsaid.ok && localUnsaid.config.mode === 'merchant')
  assert.equal(localUnsaid.config.simulator, false)
  for (const base of ['https://api.mch.weixin.qq.com', 'https://api2.mch.weixin.qq.com', 'http://evil.example']) {
    const refused = loadPayConfig({ ...merchant, WXPAY_API_BASE: base, WXPAY_API_SIMULATOR: 'true' })
    assert.equal(refused.ok, false, base)
    assert.match(refused.ok ? '' : (refused.error.detail ?? ''), /WXPAY_API_SIMULATOR/)
  }
  assert.equal(loadPayConfig({ ...merchant, WXPAY_API_SIMULATOR: 'yes' }).ok, false)
})
