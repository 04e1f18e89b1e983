import { fen } from '../core/money'
import { isOutTradeNo, newOutTradeNo } from '../core/outTradeNo'
import { MAX_REFUNDS, OUT_REFUND_NO, refundable } from '../core/refund'
import { toOrderView } from '../core/orderView'
import type { RefundOrderData, RefundView } from '../contracts'
import { AppError } from '../errors'
import { optionalString, parseObject } from '../parse'
import type { OrderRecord } from '../ports'
import type { StaffDeps } from './deps'
import { requireSameMode, reserveRefund, sendRefund } from './sendRefund'

export function requireStaff(admins: ReadonlySet<string>, openid: string): void {
  if (!admins.has(openid)) throw new AppError('FORBIDDEN', '仅商家工作人员可以操作', { detail: "the caller's OPENID is not in ADMIN_OPENIDS" })
}

function viewOf(order: OrderRecord, outRefundNo: string, now: number): RefundView {
  const refund = toOrderView(order, now).refunds.find((r) => r.outRefundNo === outRefundNo)
  if (!refund) throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: `refund ${outRefundNo} vanished` })
  return refund
}

/**
 * Staff refunds a paid order, fully or in part. The refund is reserved on the order first (a
 * conditional update that keeps the reserved sum within what was paid), then sent to the
 * gateway; the callback settles it. The same `outRefundNo` again is the same refund.
 */
export async function refundOrder(deps: StaffDeps, staffOpenid: string, event: unknown): Promise<RefundOrderData> {
  requireStaff(deps.admins, staffOpenid)
  const input = parseObject(event)
  const outTradeNo = input['outTradeNo']
  if (!isOutTradeNo(outTradeNo)) throw new AppError('INVALID_ARGUMENT', '订单号有误', { detail: 'outTradeNo is not valid' })
  const fee = input['refundFee']
  if (!Number.isSafeInteger(fee) || Number(fee) <= 0)
    throw new AppError('INVALID_ARGUMENT', '退款金额应为正整数（单位：分）', { detail: 'refundFee must be a positive integer number of fen' })
  const refundFee = Number(fee)
  const outRefundNo = optionalString(input, 'outRefundNo', OUT_REFUND_NO) ?? `R${newOutTradeNo(deps.clock.now(), deps.randomBytes)}`
  // Counted in characters, as the message says and the staff console counts (an emoji is one, not two UTF-16 units).
  const reason = input['reason'] === undefined ? undefined : typeof input['reason'] === 'string' && [...input['reason']].length <= 80 ? input['reason'] : null
  if (reason === null) throw new AppError('INVALID_ARGUMENT', '退款原因最多 80 个字', { detail: 'reason must be text of at most 80 characters' })

  let order = await deps.orders.get(outTradeNo)
  if (!order) throw new AppError('ORDER_NOT_FOUND', '订单不存在', { detail: `order ${outTradeNo} not found` })
  requireSameMode(deps, order)
  let entry = order.refunds[outRefundNo]
  let firstSend = false
  if (!entry) {
    if (Object.keys(order.refunds).length >= MAX_REFUNDS) throw new AppError('REFUND_NOT_ALLOWED', `一个订单最多退款 ${MAX_REFUNDS} 次`)
    const left = refundable(order)
    if (refundFee > left) throw new AppError('REFUND_NOT_ALLOWED', left === 0 ? '订单没有可退的金额' : `退款金额超过可退金额（最多 ${left} 分）`)
    deps.gateway.assertCanRefund() // e.g. a missing API certificate: found before anything is reserved
    const refund = { outRefundNo, refundFee: fen(refundFee), requestedBy: staffOpenid, ...(reason ? { reason } : {}) }
    ;({ order, entry, reserved: firstSend } = await reserveRefund(deps, order, refund, 'refundOrder'))
    if (!firstSend && !entry) throw new AppError('REFUND_NOT_ALLOWED', '退款金额超过可退金额，或订单状态已变化')
  }
  if (!entry) throw new AppError('INTERNAL', '服务暂时不可用，请稍后重试', { detail: `refund entry ${outRefundNo} missing` })
  if (entry.refundFee !== refundFee) throw new AppError('INVALID_ARGUMENT', `退款单号 ${outRefundNo} 已用于 ${entry.refundFee} 分的退款`)
  if (entry.status === 'PROCESSING') {
    await sendRefund(deps, order, entry, firstSend, 'refundOrder')
    order = (await deps.orders.get(outTradeNo)) ?? order
  }
  return { outTradeNo, refund: viewOf(order, outRefundNo, deps.clock.now()) }
}
