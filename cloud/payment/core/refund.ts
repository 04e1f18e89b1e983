import { fen, type Fen } from './money'
import { isOutTradeNo } from './outTradeNo'
import { isPaid, type OrderStatus } from './orderState'

export const OUT_REFUND_NO = /^[A-Za-z0-9_-]{6,64}$/
export const MAX_REFUNDS = 50

/** What WeChat Pay says about one refund, from a refund notification or a refund query. */
export type RefundFacts = {
  outTradeNo: string
  outRefundNo: string
  refundFee: Fen
  status: 'SUCCESS' | 'CHANGE' | 'REFUNDCLOSE' | 'PROCESSING'
  mchId: string
}

export type ParsedRefund = { ok: true; facts: RefundFacts } | { ok: false; reason: string }

/** The fields of a refund notification: cloudPay camelCase numbers, or APIv2 req_info strings. */
export function parseRefundNotification(fields: {
  outTradeNo: unknown
  outRefundNo: unknown
  refundFee: unknown
  refundStatus: unknown
  mchId: unknown
}): ParsedRefund {
  if (!isOutTradeNo(fields.outTradeNo)) return { ok: false, reason: 'out_trade_no is missing or malformed' }
  if (typeof fields.outRefundNo !== 'string' || !OUT_REFUND_NO.test(fields.outRefundNo)) return { ok: false, reason: 'out_refund_no is missing or malformed' }
  const fee = typeof fields.refundFee === 'string' && /^\d{1,10}$/.test(fields.refundFee) ? Number(fields.refundFee) : fields.refundFee
  if (!Number.isSafeInteger(fee) || Number(fee) <= 0) return { ok: false, reason: 'refund_fee is missing or malformed' }
  const status = fields.refundStatus
  if (status !== 'SUCCESS' && status !== 'CHANGE' && status !== 'REFUNDCLOSE') return { ok: false, reason: `refund_status is ${String(status)}` }
  const mchId = typeof fields.mchId === 'number' ? String(fields.mchId) : fields.mchId
  if (typeof mchId !== 'string' || !/^\d{1,32}$/.test(mchId)) return { ok: false, reason: 'mch_id is missing or malformed' }
  return { ok: true, facts: { outTradeNo: fields.outTradeNo, outRefundNo: fields.outRefundNo, refundFee: fen(Number(fee)), status, mchId } }
}

type RefundableOrder = { status: OrderStatus; totalFee: Fen; refundReservedFee: Fen; latePayment?: { totalFee: Fen } }

/**
 * What the shopper paid for this order: its total once paid (or refunded since), the late
 * payment kept on a closed order, nothing otherwise. The one rule for how much can ever go back.
 */
export function paidAmount(order: Omit<RefundableOrder, 'refundReservedFee'>): Fen {
  if (isPaid(order.status)) return order.totalFee
  if (order.status === 'CLOSED' && order.latePayment) return order.latePayment.totalFee
  return fen(0)
}

/** How much of an order can still be refunded: what was paid less what is already reserved. */
export function refundable(order: RefundableOrder): Fen {
  return fen(Math.max(0, paidAmount(order) - order.refundReservedFee))
}
