import { beijingTimestamp } from './beijingTime'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const RANDOM_CHARS = 14
export const OUT_TRADE_NO = /^[A-Za-z0-9_-]{6,32}$/

/**
 * `yyyyMMddHHmmss` (Beijing time) + 14 random base62 characters: 28 characters of
 * `[A-Za-z0-9]`, sortable by creation second, ~83 random bits per second.
 * `randomBytes` is injected so the core stays pure.
 */
export function newOutTradeNo(nowMs: number, randomBytes: (n: number) => Uint8Array): string {
  let suffix = ''
  while (suffix.length < RANDOM_CHARS) {
    // Stryker disable next-line ArithmeticOperator: how many bytes are drawn at a time changes how often randomBytes is called, not which characters its stream makes
    for (const byte of randomBytes(RANDOM_CHARS * 2)) {
      // 248 = 4 × 62: rejecting the rest keeps every character equally likely.
      if (byte < 248 && suffix.length < RANDOM_CHARS) suffix += ALPHABET[byte % 62]
    }
  }
  return `${beijingTimestamp(nowMs)}${suffix}`
}

export function isOutTradeNo(value: unknown): value is string {
  return typeof value === 'string' && OUT_TRADE_NO.test(value)
}
