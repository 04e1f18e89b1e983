// parseYuan / formatYuan / goodsPriceProblem / carrierName (staffContracts.ts): the one rule the staff goods form and
// the server share for a price a person types in yuan, stored as exact integer fen.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { carrierName, formatYuan, GOODS_LIMITS, GOODS_PIC, goodsPriceProblem, parseYuan } from './staffContracts'

describe('parseYuan', () => {
  test('whole yuan, one or two decimals, exactly', () => {
    const cases: Array<[string, number]> = [
      ['12', 1200],
      ['12.3', 1230],
      ['12.30', 1230],
      ['12.03', 1203],
      ['0.01', 1],
      ['0.1', 10],
      ['0', 0],
      ['0.00', 0],
      ['19.99', 1999],
      // Floating point would make these 1.1 * 100 = 110.00000000000001 or 0.29 * 100 = 28.999999999999996.
      ['1.10', 110],
      ['0.29', 29],
      ['4.35', 435],
      ['100000', 10_000_000],
      ['999999999.99', 99_999_999_999],
    ]
    for (const [text, fen] of cases) assert.equal(parseYuan(text), fen, text)
  })

  test('spaces around are forgiven; full-width digits and full stop are read as their ASCII twins', () => {
    assert.equal(parseYuan('  12.5 '), 1250)
    assert.equal(parseYuan('\t8\n'), 800)
    assert.equal(parseYuan('\u00a012\u3000'), 1200)
    assert.equal(parseYuan('１２'), 1200)
    assert.equal(parseYuan('１２．５'), 1250)
    assert.equal(parseYuan('１2.0５'), 1205)
  })

  test('anything else is refused, never rounded or guessed', () => {
    const refused = [
      '12.345',
      '0.001',
      '-1',
      '+1',
      '-0.01',
      '',
      '   ',
      'abc',
      '12元',
      '¥12',
      '1e3',
      '1E3',
      '0x10',
      'Infinity',
      'NaN',
      '1,000',
      '1 000',
      '012',
      '00.5',
      '.5',
      '12.',
      '.',
      '12..3',
      '12.3.4',
      '１２。５',
      '1234567890',
      '٣',
    ]
    for (const text of refused) assert.equal(parseYuan(text), null, JSON.stringify(text))
  })

  test('every two-decimal amount up to ¥100 reads back exactly through formatYuan', () => {
    for (let fen = 0; fen <= 10_000; fen++) {
      const text = formatYuan(fen)
      assert.equal(parseYuan(text), fen, text)
    }
  })
})

describe('formatYuan', () => {
  test('two decimals, no symbol', () => {
    assert.equal(formatYuan(1230), '12.30')
    assert.equal(formatYuan(5), '0.05')
    assert.equal(formatYuan(0), '0.00')
    assert.equal(formatYuan(10_000_000), '100000.00')
  })
  test('refuses what is not fen', () => {
    for (const bad of [1.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => formatYuan(bad), RangeError, String(bad))
  })
})

describe('goodsPriceProblem', () => {
  test('1 fen up to the cap is a price', () => {
    for (const fen of [1, 100, GOODS_LIMITS.maxPriceFen]) assert.equal(goodsPriceProblem(fen), null, String(fen))
  })
  test('zero, negative, fractional and over the cap are refused in staff words', () => {
    assert.equal(goodsPriceProblem(0), '价格应大于 0 元')
    assert.equal(goodsPriceProblem(-5), '价格应大于 0 元')
    assert.equal(goodsPriceProblem(1.5), '价格格式不正确，最多两位小数')
    assert.equal(goodsPriceProblem(Number.NaN), '价格格式不正确，最多两位小数')
    assert.equal(goodsPriceProblem(GOODS_LIMITS.maxPriceFen + 1), '价格不能超过 100000 元')
  })
})

describe('GOODS_PIC', () => {
  test('cloud file ids, https URLs and the shop pictures; nothing else', () => {
    for (const ok of ['cloud://env-1.bucket/goods/a.png', 'https://example.com/a.png', '/static/goods/coffee.png']) assert.ok(GOODS_PIC.test(ok), ok)
    for (const bad of ['http://example.com/a.png', 'javascript:alert(1)', '/static/goods/../x', 'cloud://a b', '', 'data:image/png;base64,AA'])
      assert.ok(!GOODS_PIC.test(bad), bad)
  })
})

test('carrierName: the name a shopper reads for each carrier and delivery way, anything else as it is', () => {
  assert.equal(carrierName('SF'), '顺丰速运')
  assert.equal(carrierName('JD'), '京东快递')
  assert.equal(carrierName('LOCAL'), '同城配送')
  assert.equal(carrierName('PICKUP'), '到店自提')
  assert.equal(carrierName('顺丰速运'), '顺丰速运')
  assert.equal(carrierName('toString'), 'toString', 'only own entries are codes')
})
