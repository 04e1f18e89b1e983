import type { Fen } from '../core/money'
import { paidAmount } from '../core/refund'
import { AppError, explain, isUncertain } from '../errors'
import type { OrderRecord, RefundEntry } from '../ports'
import type { PayDeps } from './deps'

/**
 * A trade goes back the way it came: a cloudPay payment only through cloudPay, an APIv2 one
 * only through the merchant API (docs/wechat-pay.md).
 */
export function requireSameMode(deps: PayDeps, order: OrderRecord): void {
  if (order.mode !== deps.gateway.mode) {
    throw new AppError('REFUND_NOT_ALLOWED', '该订单的支付方式与当前退款通道不一致，暂时无法退款', {
      detail: `order ${order.outTradeNo} was paid in ${order.mode} mode, PAY_MODE is now ${deps.gateway.mode}`,
    })
  }
}

export type NewRefund = { outRefundNo: string; refundFee: Fen; requestedBy: string; reason?: string }

/**
 * Reserves a new refund on the order — one conditional update that adds it only under a new
 * number and keeps the reserved sum within what was paid — records the request, and reads the
 * order back. `reserved` is false when that update changed nothing (the number was taken
 * already, or what was left to refund changed in between); `entry` is then whatever holds the
 * number now, if anything.
 */
export async function reserveRefund(
  deps: PayDeps,
  order: OrderRecord,
  refund: NewRefund,
  source: string,
): Promise<{ order: OrderRecord; entry: RefundEntry | undefined; reserved: boolean }> {
  const candidate: RefundEntry = { ...refund, status: 'PROCESSING', createdAt: new Date(deps.clock.now()) }
  const reserved = await deps.orders.reserveRefund(order.outTradeNo, candidate, { status: order.status, paidFee: paidAmount(order) })
  const latest = (await deps.orders.get(order.outTradeNo)) ?? order
  if (reserved)
    await deps.events.record({
      kind: 'refund_request',
      mode: deps.gateway.mode,
      source,
      outTradeNo: order.outTradeNo,
      decision: 'applied',
      reason: `refund ${refund.outRefundNo} of ${refund.refundFee} fen requested by ${refund.requestedBy}`,
      raw: { outRefundNo: refund.outRefundNo, refundFee: refund.refundFee },
    })
  return { order: latest, entry: latest.refunds[refund.outRefundNo], reserved }
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
