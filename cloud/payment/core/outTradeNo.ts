import { beijingTimestamp } from './beijingTime'

const RANDOM_DIGITS = 14
/** Any merchant order number WeChat Pay accepts: what older orders (14 random base62 characters) have too. */
export const OUT_TRADE_NO = /^[A-Za-z0-9_-]{6,32}$/

/**
 * `yyyyMMddHHmmss` (Beijing time) + 14 random digits: 28 digits, sortable by creation second,
 * and a number a shopper can read out over the phone (no O/0 or l/1 to confuse). 10^14 per
 * second is ~46.5 random bits, plenty for one shop. `randomBytes` is injected so the core stays pure.
 */
export function newOutTradeNo(nowMs: number, randomBytes: (n: number) => Uint8Array): string {
  let suffix = ''
  while (suffix.length < RANDOM_DIGITS) {
    // Stryker disable next-line ArithmeticOperator: how many bytes are drawn at a time changes how often randomBytes is called, not which digits its stream makes
    for (const byte of randomBytes(RANDOM_DIGITS * 2)) {
      // 250 = 25 × 10: rejecting the rest keeps every digit equally likely.
      if (byte < 250 && suffix.length < RANDOM_DIGITS) suffix += String(byte % 10)
    }
  }
  return `${beijingTimestamp(nowMs)}${suffix}`
}

export function isOutTradeNo(value: unknown): value is string {
  return typeof value === 'string' && OUT_TRADE_NO.test(value)
}
