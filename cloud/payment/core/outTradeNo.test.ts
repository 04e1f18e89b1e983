import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { randomBytes } from 'node:crypto'
import { isOutTradeNo, newOutTradeNo, OUT_TRADE_NO } from './outTradeNo'

/** A random source that plays back `bytes` as one stream, however it is asked. */
function playback(bytes: number[]): (n: number) => Uint8Array {
  let next = 0
  return (n) => Uint8Array.from({ length: n }, () => bytes[next++ % bytes.length] ?? 0)
}

describe('newOutTradeNo', () => {
  test('is the Beijing second of creation followed by 14 digits drawn from the bytes, byte mod 10', () => {
    const bytes = [0, 9, 10, 19, 25, 99, 100, 123, 200, 249, 1, 2, 38, 47]
    const suffix = bytes.map((b) => String(b % 10)).join('')
    assert.equal(suffix, '09095903091287')
    assert.equal(newOutTradeNo(Date.UTC(2026, 0, 2, 3, 4, 5), playback(bytes)), `20260102110405${suffix}`)
  })

  test('is 28 digits only, which a shopper can read out', () => {
    const out = newOutTradeNo(Date.UTC(2026, 10, 27, 1, 2, 3), randomBytes)
    assert.match(out, /^20261127090203\d{14}$/)
    assert.equal(out.length, 28)
    assert.equal(isOutTradeNo(out), true)
  })

  test('skips bytes 250 to 255, which would make the digits 0 to 5 likelier', () => {
    const out = newOutTradeNo(0, playback([250, 255, 251, 7, 252, 8, 253, 254]))
    assert.equal(out, `19700101080000${'78'.repeat(7)}`)
    // 249 is the last byte kept.
    assert.equal(newOutTradeNo(0, playback([249])), `19700101080000${'9'.repeat(14)}`)
  })

  test('keeps drawing until it has 14 digits, and stops there', () => {
    const out = newOutTradeNo(0, playback([...Array<number>(29).fill(255), 9]))
    assert.equal(out, `19700101080000${'9'.repeat(14)}`)
    assert.equal(newOutTradeNo(0, playback([1])), `19700101080000${'1'.repeat(14)}`)
  })

  test('10,000 made in the same second are all different', () => {
    const now = Date.UTC(2026, 10, 27, 1, 2, 3)
    const ids = new Set(Array.from({ length: 10_000 }, () => newOutTradeNo(now, randomBytes)))
    assert.equal(ids.size, 10_000)
    for (const id of ids) assert.match(id, /^20261127090203\d{14}$/)
  })

  test('every digit comes up about as often (the rejection keeps them uniform)', () => {
    const counts = Array<number>(10).fill(0)
    for (let i = 0; i < 2000; i++) for (const d of newOutTradeNo(0, randomBytes).slice(14)) counts[Number(d)]! += 1
    // 28,000 digits: 2,800 expected each; ±400 is far beyond chance (sd ≈ 50).
    for (const [digit, count] of counts.entries()) assert.ok(Math.abs(count - 2800) < 400, `digit ${digit}: ${count}`)
  })
})

describe('isOutTradeNo', () => {
  test('accepts 6 to 32 letters, digits, _ and -: the new digits-only numbers and older orders’ base62 ones', () => {
    for (const good of [
      'abcdef',
      'A'.repeat(32),
      '09AZaz',
      'a_b-c1',
      '------',
      '______',
      'Zz9_-0',
      '20261128100000AbCdEfGhIjKlMn',
      '2026112810000012345678901234',
    ])
      assert.equal(isOutTradeNo(good), true, good)
  })

  test('refuses other lengths, other characters and other types', () => {
    for (const bad of ['abcde', 'A'.repeat(33), '', 'abcdef!', '!abcdef', 'abc def', 'abcdéf', 'abc.def', 'abcdef\n'])
      assert.equal(isOutTradeNo(bad), false, JSON.stringify(bad))
    for (const bad of [12345678, null, undefined, ['abcdefgh'], { toString: () => 'abcdefgh' }]) assert.equal(isOutTradeNo(bad), false, String(bad))
  })

  test('the exported pattern is the same rule', () => {
    assert.equal(OUT_TRADE_NO.test('abcdef'), true)
    assert.equal(OUT_TRADE_NO.test('abcde'), false)
  })
})
