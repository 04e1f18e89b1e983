import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseYuan } from './yuan'

test('parseYuan reads typed yuan as integer fen, exactly', () => {
  const cases: Array<[string, number]> = [
    ['12', 1200],
    ['12.3', 1230],
    ['12.30', 1230],
    ['12.34', 1234],
    ['0.01', 1],
    ['0.1', 10],
    ['12.', 1200],
    [' ¥19.90 ', 1990],
    ['￥ 5', 500],
    ['0', 0],
    ['1.15', 115], // 1.15 * 100 is 114.99999999999999 in floats
    ['999999999.99', 99_999_999_999],
  ]
  for (const [text, fen] of cases) assert.equal(parseYuan(text), fen, text)
})

test('parseYuan refuses what is not an amount in yuan', () => {
  for (const text of ['', ' ', '-1', '1.234', '.5', '1e3', '1,000', '12元', 'abc', '1.2.3', '1000000000', '+1', 'NaN', 'Infinity', '0x10'])
    assert.equal(parseYuan(text), null, JSON.stringify(text))
})
