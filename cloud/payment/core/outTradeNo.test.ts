import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isOutTradeNo, newOutTradeNo, OUT_TRADE_NO } from './outTradeNo'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A random source that plays back `bytes` as one stream, however it is asked. */
function playback(bytes: number[]): (n: number) => Uint8Array {
  let next = 0
  return (n) => Uint8Array.from({ length: n }, () => bytes[next++ % bytes.length] ?? 0)
}

describe('newOutTradeNo', () => {
  test('is the Beijing second of creation followed by 14 characters drawn from the bytes, byte mod 62', () => {
    const bytes = [0, 9, 10, 35, 36, 61, 62, 123, 124, 185, 186, 247, 1, 2]
    const suffix = bytes.map((b) => ALPHABET[b % 62]).join('')
    assert.equal(suffix, '09AZaz0z0z0z12')
    assert.equal(newOutTradeNo(Date.UTC(2026, 0, 2, 3, 4, 5), playback(bytes)), `20260102110405${suffix}`)
  })

  test('skips bytes 248 to 255, which would make the first eight characters likelier', () => {
    const out = newOutTradeNo(0, playback([248, 255, 250, 7, 249, 8, 251, 252, 253, 254]))
    assert.equal(out, `19700101080000${'78'.repeat(7)}`)
  })

  test('keeps drawing until it has 14 characters, and stops there', () => {
    const out = newOutTradeNo(
      0,
      playback([
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 61,
      ]),
    )
    assert.equal(out, `19700101080000${'z'.repeat(14)}`)
    assert.equal(newOutTradeNo(0, playback([1])), `19700101080000${'1'.repeat(14)}`)
  })
})

describe('isOutTradeNo', () => {
  test('accepts 6 to 32 letters, digits, _ and -', () => {
    for (const good of ['abcdef', 'A'.repeat(32), '09AZaz', 'a_b-c1', '------', '______', 'Zz9_-0']) assert.equal(isOutTradeNo(good), true, good)
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
