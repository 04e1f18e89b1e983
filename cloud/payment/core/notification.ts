import { fen } from './money'
import { isOutTradeNo } from './outTradeNo'
import type { PaidFacts } from './payment'

export type ParsedNotification = { ok: true; facts: PaidFacts } | { ok: false; reason: string }

const TRANSACTION_ID = /^[0-9A-Za-z_-]{1,64}$/
const TIME_END = /^\d{14}$/
const MCH_ID = /^\d{1,32}$/

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/**
 * The fields of a successful-payment notification, from a cloudPay callback event (camelCase,
 * numbers as numbers) or merchant XML (snake_case, everything a string).
 */
export function parsePaidNotification(
  fields: {
    returnCode: unknown
    resultCode: unknown
    outTradeNo: unknown
    transactionId: unknown
    totalFee: unknown
    mchId: unknown
    timeEnd: unknown
  },
  /** cloudPay events carry numbers as JSON numbers; APIv2 XML carries every value as text. */
  encoding: 'json' | 'xml',
): ParsedNotification {
  if (text(fields.returnCode) !== 'SUCCESS') return { ok: false, reason: `return_code is ${String(fields.returnCode)}` }
  if (text(fields.resultCode) !== 'SUCCESS') return { ok: false, reason: `result_code is ${String(fields.resultCode)}: not a successful payment` }
  if (!isOutTradeNo(fields.outTradeNo)) return { ok: false, reason: 'out_trade_no is missing or malformed' }
  const transactionId = text(fields.transactionId)
  if (!transactionId || !TRANSACTION_ID.test(transactionId)) return { ok: false, reason: 'transaction_id is missing or malformed' }
  const mchId = text(fields.mchId)
  if (!mchId || !MCH_ID.test(mchId)) return { ok: false, reason: 'mch_id is missing or malformed' }
  const totalFee =
    encoding === 'xml' ? (typeof fields.totalFee === 'string' && /^\d{1,10}$/.test(fields.totalFee) ? Number(fields.totalFee) : undefined) : fields.totalFee
  if (
    !Number.isSafeInteger(totalFee) ||
    // Stryker disable next-line ConditionalExpression: Number.isSafeInteger is already false for anything but a number; this test only narrows the type for `totalFee <= 0`
    typeof totalFee !== 'number' ||
    totalFee <= 0
  )
    return { ok: false, reason: 'total_fee is missing or malformed' }
  if (fields.timeEnd !== undefined && (typeof fields.timeEnd !== 'string' || !TIME_END.test(fields.timeEnd)))
    return { ok: false, reason: 'time_end is malformed' }
  const timeEnd = text(fields.timeEnd)
  return { ok: true, facts: { outTradeNo: fields.outTradeNo, transactionId, totalFee: fen(totalFee), mchId, ...(timeEnd ? { timeEnd } : {}) } }
}

/** A bounded copy of what arrived, for payment_events: primitives only, no prototype keys. */
export function snapshotOf(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out['value'] = typeof value === 'string' ? value.slice(0, 2000) : typeof value
    return out
  }
  let count = 0
  for (const [key, item] of Object.entries(value)) {
    if (count++ >= 60) {
      out['_truncated'] = true
      break
    }
    if (!/^[A-Za-z0-9_]{1,64}$/.test(key)) continue
    if (typeof item === 'string') out[key] = item.slice(0, 512)
    else if (typeof item === 'number' || typeof item === 'boolean' || item === null) out[key] = item
    else out[key] = `[${Array.isArray(item) ? 'array' : typeof item}]`
  }
  return out
}
