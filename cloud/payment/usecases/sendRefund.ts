import { paidAmount } from '../core/refund'
import { AppError, explain, isUncertain } from '../errors'
import type { OrderRecord, RefundEntry } from '../ports'
import type { PayDeps } from './deps'

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
      totalFee: paidAmount(order),
      refundFee: entry.refundFee,
    })
  } catch (error) {
    const definite = firstSend && error instanceof AppError && error.code === 'PAY_GATEWAY_ERROR' && !isUncertain(error)
    if (definite) {
      await deps.orders.settleRefund(order.outTradeNo, entry.outRefundNo, entry.refundFee, { status: 'FAILED', failure: explain(error) })
      await deps.events.record({
        kind: 'refund_request',
        mode: deps.gateway.mode,
        source,
        outTradeNo: order.outTradeNo,
        decision: 'rejected',
        reason: explain(error),
        raw: { outRefundNo: entry.outRefundNo, refundFee: entry.refundFee },
      })
      throw error
    }
    const reason = explain(error)
    throw new AppError('PAY_GATEWAY_ERROR', `退款 ${entry.outRefundNo} 已登记，但提交微信支付的结果未知：请用同一退款单号重试，或等待自动对账`, {
      detail: reason,
      cause: error,
      uncertain: true,
    })
  }
}
