import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { FUNCTION_CONFIG_VARIABLES } from '../../cloud/local/runner/functionEnv'
import { DECLARABLE, functionVariables, PAY_VARIABLES, payVariables, redactor, shown } from './variables'

const KEY = 'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lm'

describe('the pay variables are what loadPayConfig reads', () => {
  test('cloudpay: PAY_MODE and the sub-merchant; merchant: its eight', () => {
    assert.deepEqual(payVariables({ PAY_MODE: 'cloudpay', WXPAY_KEY: KEY }).names.sort(), ['PAY_MODE', 'WXPAY_SUB_MCH_ID'])
    assert.deepEqual(payVariables({}).names.sort(), ['PAY_MODE', 'WXPAY_SUB_MCH_ID'], 'no PAY_MODE is cloudpay')
    assert.deepEqual(payVariables({ PAY_MODE: 'merchant' }).names.sort(), [
      'PAY_MODE',
      'WXPAY_API_BASE',
      'WXPAY_API_SIMULATOR',
      'WXPAY_APPID',
      'WXPAY_CERT_P12_BASE64',
      'WXPAY_KEY',
      'WXPAY_MCH_ID',
      'WXPAY_NOTIFY_URL',
      'WXPAY_SIGN_TYPE',
    ])
  })

  test('every pay variable and every declarable one is in the local cloud’s allowlist (what runs locally is what deploys)', () => {
    for (const name of [...PAY_VARIABLES, ...DECLARABLE]) assert.ok(FUNCTION_CONFIG_VARIABLES.includes(name), name)
    assert.ok(DECLARABLE.includes('ADMIN_OPENIDS'))
    assert.ok(!DECLARABLE.includes('WXPAY_KEY') && !DECLARABLE.includes('SILENCE'))
  })

  test('its verdict, one problem per variable', () => {
    assert.deepEqual(payVariables({ PAY_MODE: 'cloudpay' }).problems, ['WXPAY_SUB_MCH_ID（缺少：与云开发环境绑定的微信支付商户号）'])
    assert.equal(payVariables({ PAY_MODE: 'merchant' }).problems.length, 4)
    assert.deepEqual(payVariables({ PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109' }).problems, [])
  })
})

describe('functionVariables', () => {
  const spec = { pay: true, required: ['ADMIN_OPENIDS'], optional: ['RECONCILE_UNPAID_AFTER_SECONDS', 'RECONCILE_REFUNDS_AFTER_SECONDS'] }

  test('deploys exactly the set variables it declares; unset optional ones are left out', () => {
    const values = {
      PAY_MODE: 'cloudpay',
      WXPAY_SUB_MCH_ID: '1900000109',
      ADMIN_OPENIDS: 'oA12345,oB12345',
      RECONCILE_UNPAID_AFTER_SECONDS: '900',
      WXPAY_KEY: KEY,
      PATH: '/bin',
    }
    assert.deepEqual(functionVariables(spec, values, 'tcb'), {
      values: { PAY_MODE: 'cloudpay', WXPAY_SUB_MCH_ID: '1900000109', ADMIN_OPENIDS: 'oA12345,oB12345', RECONCILE_UNPAID_AFTER_SECONDS: '900' },
      problems: [],
      warnings: [],
    })
  })

  test('a function that needs nothing gets nothing, whatever is set', () => {
    assert.deepEqual(functionVariables({ pay: false, required: [], optional: [] }, { PAY_MODE: 'merchant', WXPAY_KEY: KEY }, 'tcb'), {
      values: {},
      problems: [],
      warnings: [],
    })
  })

  test('the cloud-only checks do not apply to the local cloud', () => {
    const values = {
      PAY_MODE: 'merchant',
      WXPAY_APPID: 'wx0000000000local',
      WXPAY_MCH_ID: '1900000110',
      WXPAY_KEY: KEY,
      WXPAY_NOTIFY_URL: 'http://127.0.0.1:8787/api/http/payNotify',
      WXPAY_API_BASE: 'http://127.0.0.1:8787',
      WXPAY_API_SIMULATOR: 'true',
      ADMIN_OPENIDS: 'oA12345',
    }
    assert.deepEqual(functionVariables(spec, values, 'local').problems, [])
    assert.deepEqual(functionVariables(spec, values, 'tcb').problems, [
      'WXPAY_NOTIFY_URL (a loopback address: the cloud cannot reach this machine)',
      'WXPAY_API_BASE (a loopback address: the cloud cannot reach this machine)',
      'WXPAY_API_SIMULATOR (true means the local simulator: not in the cloud)',
    ])
  })

  test('values tcb’s {{env.X}} would mangle, though the function itself would take them', () => {
    const merchant = {
      PAY_MODE: 'merchant',
      WXPAY_APPID: 'wx1234567890abcdef',
      WXPAY_MCH_ID: '1230000109',
      WXPAY_KEY: KEY,
      WXPAY_NOTIFY_URL: 'https://pay.example.com/n',
    }
    const problems = (extra: Record<string, string>): string[] =>
      functionVariables({ pay: true, required: [], optional: [] }, { ...merchant, ...extra }, 'tcb').problems
    assert.deepEqual(problems({}), [])
    assert.deepEqual(problems({ WXPAY_NOTIFY_URL: 'https://pay.example.com/a\\b' }), [
      "WXPAY_NOTIFY_URL (holds a quote, a backslash or a control character, which tcb's {{env.WXPAY_NOTIFY_URL}} cannot carry)",
    ])
    assert.match(problems({ WXPAY_NOTIFY_URL: 'https://pay.example.com/"n"' }).join(), /quote/)
    assert.match(problems({ WXPAY_NOTIFY_URL: 'https://pay.example.com/\u0001' }).join(), /control character/)
    assert.deepEqual(problems({ WXPAY_CERT_P12_BASE64: 'null' }), ['WXPAY_CERT_P12_BASE64 (reads as JSON null: tcb would deploy it as such)'])
  })
})

describe('masking', () => {
  test('settings shown, anything that may be secret masked with its length', () => {
    assert.equal(shown('WXPAY_KEY', KEY), 'WXPAY_KEY=••••••(32)')
    assert.equal(shown('WXPAY_SUB_MCH_ID', '1900000109'), 'WXPAY_SUB_MCH_ID=••••••(10)')
    assert.equal(shown('SOMETHING_NEW', 'x'), 'SOMETHING_NEW=••••••(1)', 'unknown names are masked')
    assert.equal(shown('PAY_MODE', 'merchant'), 'PAY_MODE=merchant')
  })

  test('the redactor masks masked values wherever they appear, longest first', () => {
    const redact = redactor({ WXPAY_KEY: KEY, WXPAY_MCH_ID: '1230000109', PAY_MODE: 'merchant', ADMIN_OPENIDS: 'o1' })
    assert.equal(redact(`key ${KEY} mch 1230000109 mode merchant o1`), 'key ••••••(32) mch ••••••(10) mode merchant o1')
  })
})
