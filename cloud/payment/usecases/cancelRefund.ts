import { refundable } from '../core/refund'
import { AppError } from '../errors'
import type { OrderRecord, RefundEntry } from '../ports'
import type { PayDeps } from './deps'
import { requireSameMode, reserveRefund, sendRefund } from './sendRefund'

/** Stored with the refund (`reason`), for staff reading the order. */
export const CANCEL_REFUND_REASON = '顾客在发货前取消订单'
/** How many times a reservation is tried when other refunds keep changing what is left. */
const RESERVE_TRIES = 3

/**
 * The number of the refund a cancel before shipping makes: one per order, derived from it, so a
 * retried cancel or reconcile finds that refund instead of making another.
 */
export function cancelRefundNo(outTradeNo: string): string {
  return `C${outTradeNo}`
}

/**
 * Finishes the refund of an order cancelled before shipping (fulfilment CANCELLED): reserves
 * everything still refundable under the order's cancel refund number — once: the reservation is
 * a conditional update on that number being new and the reserved sum staying within what was
 * paid — and sends it, again if need be (the gateway is idempotent on the number). The cancel
 * itself, a retried cancel and reconcile all call this, so a crash anywhere between the CANCELLED
 * update and the gateway's answer is finished by whichever comes next, and never refunds twice.
 */
export async function finishCancelRefund(deps: PayDeps, order: OrderRecord, source: string): Promise<OrderRecord> {
  const outRefundNo = cancelRefundNo(order.outTradeNo)
  let current = order
  let entry: RefundEntry | undefined = current.refunds[outRefundNo]
  let firstSend = false
  // Staff may refund part of what is left in between: then the reservation fails and the
  // amount is worked out again from the order as it is now.
  for (let tries = 0; !entry && tries < RESERVE_TRIES; tries++) {
    const left = refundable(current)
    if (left === 0) return current // nothing left to send back
    requireSameMode(deps, current)
    deps.gateway.assertCanRefund()
    ;({
      order: current,
      entry,
      reserved: firstSend,
    } = await reserveRefund(deps, current, { outRefundNo, refundFee: left, requestedBy: current._openid, reason: CANCEL_REFUND_REASON }, source))
  }
  if (!entry) {
    throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', {
      detail: `order ${order.outTradeNo}: the cancel refund could not be reserved in ${RESERVE_TRIES} tries`,
    })
  }
  if (entry.status !== 'PROCESSING') return current
  await sendRefund(deps, current, entry, firstSend, source)
  return (await deps.orders.get(order.outTradeNo)) ?? current
}
