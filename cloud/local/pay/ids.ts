// Identifiers and times in the shapes the real service uses.
import { createHash, randomBytes, randomInt } from 'node:crypto'
import { beijingTimestamp as beijingCompact, parseBeijingTimestamp } from '../../payment/core/beijingTime'

const BEIJING_OFFSET_MS = 8 * 3600 * 1000

function digits(count: number): string {
  let out = ''
  while (out.length < count) out += String(randomInt(0, 1_000_000_000)).padStart(9, '0')
  return out.slice(0, count)
}

function beijingParts(ms: number): [string, string, string, string, string, string] {
  const d = new Date(ms + BEIJING_OFFSET_MS)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return [pad(d.getUTCFullYear(), 4), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), pad(d.getUTCHours()), pad(d.getUTCMinutes()), pad(d.getUTCSeconds())]
}

// `yyyyMMddHHmmss` in Beijing time (UTC+8), as in time_end / time_expire: the payment module's.
export { beijingCompact, parseBeijingTimestamp as parseBeijingCompact }

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, as in a refund's success_time. */
export function beijingDateTime(ms: number): string {
  const [y, mo, d, h, mi, s] = beijingParts(ms)
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`
}

export function nonceStr(): string {
  return randomBytes(16).toString('hex')
}

/** `wx` + creation time + 20 hex chars, 36 characters like the real ones. */
export function newPrepayId(nowMs: number): string {
  return `wx${beijingCompact(nowMs)}${randomBytes(10).toString('hex')}`
}

/** 28 digits: `4200` + 6 digits + Beijing date + 10 digits. */
export function newTransactionId(nowMs: number): string {
  return `4200${digits(6)}${beijingCompact(nowMs).slice(0, 8)}${digits(10)}`
}

/** 29 digits: `503` + 10 digits + Beijing date + 8 digits. */
export function newRefundId(nowMs: number): string {
  return `503${digits(10)}${beijingCompact(nowMs).slice(0, 8)}${digits(8)}`
}

/** A stable stand-in for the openid the cloudPay service provider's appid sees for a user. */
export function providerOpenid(providerAppid: string, openid: string): string {
  return `o${createHash('sha256').update(`${providerAppid}\n${openid}`).digest('base64url').slice(0, 27)}`
}
