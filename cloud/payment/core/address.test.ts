import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ADDRESS_LIMITS } from '../contracts'
import { AppError } from '../errors'
import { assertShopperWords } from '../testing/shopperWords'
import { MOBILE, parseAddress, parseNote } from './address'

const ADDRESS = { recipient: '张三', mobile: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路 1 号 2 栋 301' }

/** The refusal `run` throws: INVALID_ARGUMENT, in the shopper's words, with exactly these words and operator detail. */
function refused(run: () => unknown, message: string, detail: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error))
    assert.equal(error.code, 'INVALID_ARGUMENT')
    assertShopperWords(error.message)
    assert.equal(error.message, message)
    assert.equal(error.detail, detail)
    return true
  })
}

const LABELS = { recipient: '收货人', mobile: '手机号码', province: '省份', city: '城市', district: '区县', detail: '详细地址' } as const
const FIELDS = Object.keys(LABELS) as Array<keyof typeof LABELS>
const LONG_FIELDS = ['recipient', 'province', 'city', 'district', 'detail'] as const

describe('parseAddress', () => {
  test('answers the six fields, trimmed, and drops anything else', () => {
    const padded = Object.fromEntries(Object.entries(ADDRESS).map(([k, v]) => [k, ` \t${v}\n `]))
    assert.deepEqual(parseAddress({ ...padded, openid: 'x', extra: { a: 1 } }), ADDRESS)
  })

  test('the limits are 20 characters, 120 for the detail', () => {
    assert.deepEqual(ADDRESS_LIMITS, { recipient: 20, province: 20, city: 20, district: 20, detail: 120, note: 200 })
  })

  test('each field is required: missing, null, empty or blank', () => {
    for (const field of FIELDS) {
      for (const value of [undefined, null, '', '   \n\t']) {
        refused(() => parseAddress({ ...ADDRESS, [field]: value }), `请填写${LABELS[field]}`, `address.${field} is required`)
      }
    }
  })

  test('the first missing field in the form’s order is the one named', () => {
    refused(() => parseAddress({}), '请填写收货人', 'address.recipient is required')
    refused(() => parseAddress({ recipient: '张三' }), '请填写手机号码', 'address.mobile is required')
    refused(() => parseAddress({ recipient: '张三', mobile: 'x' }), '手机号码格式不正确', 'address.mobile is not a mainland mobile number')
  })

  test('a value that is not a string is refused, naming the field', () => {
    for (const field of FIELDS) {
      for (const value of [13800138000, true, ['张三'], { v: '张三' }]) {
        refused(() => parseAddress({ ...ADDRESS, [field]: value }), `${LABELS[field]}格式不正确`, `address.${field} must be a string`)
      }
    }
  })

  test('the mobile is a mainland mobile number: 11 digits, 13–19 first', () => {
    assert.equal(MOBILE.source, '^1[3-9]\\d{9}$')
    for (const mobile of ['13000000000', '19999999999', '15912345678']) assert.equal(parseAddress({ ...ADDRESS, mobile }).mobile, mobile)
    assert.equal(parseAddress({ ...ADDRESS, mobile: ' 13800138000 ' }).mobile, '13800138000')
    for (const mobile of [
      '12800138000',
      '10800138000',
      '23800138000',
      '1380013800',
      '138001380000',
      '138 0013 8000',
      '+8613800138000',
      '1380013800a',
      '１３８００１３８０００',
    ]) {
      refused(() => parseAddress({ ...ADDRESS, mobile }), '手机号码格式不正确', 'address.mobile is not a mainland mobile number')
    }
  })

  test('lengths count characters, so Chinese and emoji count one each, up to the limit', () => {
    for (const field of LONG_FIELDS) {
      const max = ADDRESS_LIMITS[field]
      for (const unit of ['字', 'a', '😀']) {
        assert.equal(parseAddress({ ...ADDRESS, [field]: unit.repeat(max) })[field], unit.repeat(max))
        refused(
          () => parseAddress({ ...ADDRESS, [field]: unit.repeat(max + 1) }),
          `${LABELS[field]}最多 ${max} 个字`,
          `address.${field} is longer than ${max} characters`,
        )
      }
      // Surrounding blanks do not count.
      assert.equal(parseAddress({ ...ADDRESS, [field]: ` ${'字'.repeat(max)} ` })[field], '字'.repeat(max))
    }
    refused(() => parseAddress({ ...ADDRESS, detail: '路'.repeat(121) }), '详细地址最多 120 个字', 'address.detail is longer than 120 characters')
    refused(() => parseAddress({ ...ADDRESS, recipient: '张'.repeat(21) }), '收货人最多 20 个字', 'address.recipient is longer than 20 characters')
  })

  test('no line breaks or control characters inside a field', () => {
    const bad = ['\n', '\r', '\u0000', '\u0001', '\u001f', '\u007f', '\u0080', '\u009f', '\u2028', '\u2029', '\t', '\u000b']
    for (const field of FIELDS) {
      for (const c of bad) {
        refused(
          () => parseAddress({ ...ADDRESS, [field]: `张${c}三` }),
          `${LABELS[field]}不能换行或包含特殊字符`,
          `address.${field} has a control character or line break`,
        )
      }
    }
    for (const fine of [' ', '\u0020', '\u00a0', '\u00a1', '~', '，', '#']) {
      assert.equal(parseAddress({ ...ADDRESS, detail: `1${fine}2` }).detail, `1${fine}2`, JSON.stringify(fine))
    }
  })

  test('an address that is not a plain object, or has a forbidden key, is a malformed request', () => {
    for (const raw of ['张三', 1, [], null, undefined, Object.create({ recipient: '张三' })]) {
      refused(() => parseAddress(raw), '请求参数有误，请刷新后重试', 'address must be an object')
    }
    refused(() => parseAddress({ ...ADDRESS, $where: '1' }), '请求参数有误，请刷新后重试', 'address has a forbidden key: $where')
    refused(() => parseAddress(JSON.parse(`{"__proto__": {}, "recipient": "张三"}`)), '请求参数有误，请刷新后重试', 'address has a forbidden key: __proto__')
  })
})

describe('parseNote', () => {
  test('is optional: absent, null, empty or blank is none', () => {
    for (const raw of [undefined, null, '', '  \n ']) assert.equal(parseNote(raw), undefined, JSON.stringify(raw))
  })

  test('is one trimmed line of at most 200 characters', () => {
    assert.equal(parseNote('  放门口，谢谢  '), '放门口，谢谢')
    assert.equal(parseNote('注'.repeat(200)), '注'.repeat(200))
    assert.equal(parseNote('😀'.repeat(200)), '😀'.repeat(200))
    refused(() => parseNote('注'.repeat(201)), '备注最多 200 个字', 'note is longer than 200 characters')
    refused(() => parseNote('a'.repeat(201)), '备注最多 200 个字', 'note is longer than 200 characters')
    for (const c of ['\n', '\r\n', '\u0000', '\u007f', '\u0085', '\u2028']) {
      refused(() => parseNote(`放门口${c}谢谢`), '备注不能换行或包含特殊字符', 'note has a control character or line break')
    }
    for (const raw of [1, false, ['放门口'], {}]) refused(() => parseNote(raw), '备注格式不正确', 'note must be a string')
  })
})
