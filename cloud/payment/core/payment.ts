import type { Fen } from './money'
import { isPaid, isPayable, type OrderStatus } from './orderState'

/** What WeChat Pay asserts about a successful payment, from a notification or a query. */
export type PaidFacts = { outTradeNo: string; transactionId: string; totalFee: Fen; mchId: string; timeEnd?: string }

export type OrderSnapshot = { status: OrderStatus; totalFee: Fen; mchId: string; transactionId?: string; latePayment?: { transactionId: string } }

export type PaidDecision = { kind: 'apply' } | { kind: 'late' } | { kind: 'duplicate'; reason: string } | { kind: 'reject'; reason: string }

/**
 * Whether a "paid" assertion may move the order to SUCCESS. Amount and merchant must match the
 * stored order; a repeat of what is already recorded is a duplicate and changes nothing.
 */
export function decidePaid(order: OrderSnapshot | null, facts: PaidFacts): PaidDecision {
  if (!order) return { kind: 'reject', reason: `unknown order ${facts.outTradeNo}` }
  if (facts.mchId !== order.mchId) return { kind: 'reject', reason: `merchant mismatch: paid to ${facts.mchId}, order belongs to ${order.mchId}` }
  if (facts.totalFee !== order.totalFee) return { kind: 'reject', reason: `amount mismatch: paid ${facts.totalFee} fen, order is ${order.totalFee} fen` }
  if (isPaid(order.status)) {
    if (facts.transactionId === order.transactionId) return { kind: 'duplicate', reason: `already ${order.status} with this transaction` }
    return { kind: 'reject', reason: `already paid with transaction ${order.transactionId ?? '?'}, not ${facts.transactionId}` }
  }
  if (isPayable(order.status)) return { kind: 'apply' }
  // Neither paid nor payable (CLOSED): the money arrived anyway. Keep it on the order for a
  // refund, never drop it.
  if (!order.latePayment) return { kind: 'late' }
  if (order.latePayment.transactionId === facts.transactionId) return { kind: 'duplicate', reason: 'late payment already recorded' }
  return { kind: 'reject', reason: `closed order already has late payment ${order.latePayment.transactionId}` }
}

/** The "paid" facts in a gateway query answer, if it says the trade is paid (or refunded since). */
export function paidFactsOf(
  outTradeNo: string,
  trade: { found: false } | { found: true; tradeState: string; mchId: string; totalFee?: Fen; transactionId?: string; timeEnd?: string },
): PaidFacts | undefined {
  if (!trade.found || (trade.tradeState !== 'SUCCESS' && trade.tradeState !== 'REFUND') || !trade.transactionId || trade.totalFee === undefined)
    return undefined
  return { outTradeNo, transactionId: trade.transactionId, totalFee: trade.totalFee, mchId: trade.mchId, ...(trade.timeEnd ? { timeEnd: trade.timeEnd } : {}) }
}
