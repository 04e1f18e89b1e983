// Generators of hostile input for the functions: seeded, so a failure can be replayed.

export type Rng = () => number

/** mulberry32: small, fast, good enough to spread test cases. */
export function rng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1))

const STRINGS = [
  '',
  ' ',
  '1',
  '0',
  '-1',
  '1e3',
  '0x10',
  'NaN',
  'null',
  'true',
  '19.90',
  '¥19.90',
  '咖啡',
  '🙂🙃💳',
  '\u202eRTL\u202c',
  'zero\u200bwidth',
  'nul\u0000byte',
  'line\nbreak',
  "'; drop table orders; --",
  '<xml><a>1</a></xml>',
  '{"$gt":""}',
  '$where',
  '../../etc/passwd',
  'goods-coffee',
  '20261127090000abcdefABCDEF12',
  '\ud800',
]
const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '$gt',
  '$where',
  'a.b',
  '',
  'items',
  'outTradeNo',
  'quantity',
  'goodsId',
  'totalFee',
  'openid',
  '_openid',
  'priceFen',
  'refundFee',
  'limit',
  'cursor',
]

/** A JSON-able value of any type, sometimes large, sometimes deep. */
export function value(r: Rng, depth = 0): unknown {
  const roll = r()
  if (roll < 0.08) return null
  if (roll < 0.14) return r() < 0.5
  if (roll < 0.3) return pick(r, [0, -1, 1, 1.5, 99, 100, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2, int(r, -1000, 1000)])
  if (roll < 0.55) return r() < 0.1 && depth < 2 ? 'x'.repeat(int(r, 1000, 20_000)) : pick(r, STRINGS)
  // Long arrays hold only small values, so an event stays well under the 1 MB body limit.
  if (roll < 0.62 && depth < 2) return Array.from({ length: int(r, 21, 500) }, () => pick(r, [null, 0, 1, 'x', true, {}, []]))
  if (roll < 0.75 && depth < 6) return Array.from({ length: int(r, 0, 4) }, () => value(r, depth + 1))
  if (depth < 6) return object(r, depth + 1)
  return pick(r, STRINGS)
}

/** An object with hostile keys; `__proto__` becomes an own property, as JSON delivers it. */
export function object(r: Rng, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (let i = int(r, 0, 4); i > 0; i--) {
    Object.defineProperty(out, pick(r, KEYS), { value: value(r, depth + 1), enumerable: true, configurable: true, writable: true })
  }
  return out
}

/** A copy of `valid` with one field (or one nested field) replaced by something hostile. */
export function mutate(r: Rng, valid: Record<string, unknown>, breakers: Array<(r: Rng, v: Record<string, unknown>) => unknown>): unknown {
  return pick(r, breakers)(r, structuredClone(valid))
}

export function withOwnKey(target: Record<string, unknown>, key: string, v: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value: v, enumerable: true, configurable: true, writable: true })
  return target
}

export { int, pick }
