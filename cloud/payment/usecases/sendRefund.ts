import { AppError, isUncertain } from '../errors'
import type { OrderRecord, RefundEntry } from '../ports'
import type { PayDeps } from './deps'

/** What the order was paid with: its total, or a payment that arrived after it was closed. */
export function paidAmount(order: OrderRecord): number {
  return order.status === 'CLOSED' && order.latePayment ? order.latePayment.totalFee : order.totalFee
}

/**
 * Sends a reserved (PROCESSING) refund to the gateway — again, if need be: the gateway is
 * idempotent on out_refund_no, so a repeat never pays twice. The reservation is released only
 * on a definite refusal of the first send; any other failure leaves the refund PROCESSING for a
 * retry or for reconcile to ask about, because the money may already be on its way back.
 */
export async function sendRefund(deps: PayDeps, order: OrderRecord, entry: RefundEntry, firstSend: boolean, source: string): Promise<void> {
  try {
    await deps.gateway.refund({
      outTradeNo: order.outTradeNo,
      outRefundNo: entry.outRefundNo,
      totalFee: paidAmount(order) as OrderRecord['totalFee'],
      refundFee: entry.refundFee,
    })
  } catch (error) {
    const definite = firstSend && error instanceof AppError && error.code === 'PAY_GATEWAY_ERROR' && !isUncertain(error)
    if (definite) {
      await deps.orders.settleRefund(order.outTradeNo, entry.outRefundNo, entry.refundFee, { status: 'FAILED', failure: error.message })
      await deps.events.record({
        kind: 'refund_request',
        mode: deps.gateway.mode,
        source,
        outTradeNo: order.outTradeNo,
        decision: 'rejected',
        reason: error.message,
        raw: { outRefundNo: entry.outRefundNo, refundFee: entry.refundFee },
      })
      throw error
    }
    const reason = error instanceof AppError ? error.message : String(error)
    throw new AppError('PAY_GATEWAY_ERROR', `退款 ${entry.outRefundNo} 已登记，但提交微信支付的结果未知（${reason}）：请用同一退款单号重试，或等待自动对账`, {
      cause: error,
      uncertain: true,
    })
  }
}
