import type { FulfilmentState, OrderStatus, RefundStatus } from '../../cloud/payment/contracts'

// The one place an order's state becomes words for the shopper: every page (badge, list, detail,
// tabs) uses these, so an order never reads 已支付 in one place and 待发货 in another. The server's
// `tradeStateDesc` is the payment's own wording (支付成功) and is not what pages should show.

/** What the label is read from: an `OrderView`, or any part of one that has its `status`. */
export type OrderLabelInput = {
  status: OrderStatus
  fulfilment?: { state: FulfilmentState } | null
  refunds?: ReadonlyArray<{ status: RefundStatus }>
  refundedFee?: number
  totalFee?: number
}

/** The colour family of a label (StatusBadge.scss has one modifier per tone). */
export type OrderTone = 'unpaid' | 'failed' | 'closed' | 'paid' | 'to-ship' | 'to-receive' | 'done' | 'refunding' | 'refunded'

export type OrderLabel = { label: string; tone: OrderTone }

const LABELS: Record<OrderTone, string> = {
  unpaid: '待付款',
  failed: '支付失败',
  closed: '已取消',
  paid: '已支付',
  'to-ship': '待发货',
  'to-receive': '待收货',
  done: '已完成',
  refunding: '退款中',
  refunded: '已退款',
}

/** Everything paid has gone back (when the amounts are unknown, a REFUND status is taken to say so). */
function fullyRefunded(order: OrderLabelInput): boolean {
  if (order.refundedFee === undefined || order.totalFee === undefined) return order.status === 'REFUND'
  return order.refundedFee >= order.totalFee && order.refundedFee > 0
}

function toneOf(order: OrderLabelInput): OrderTone {
  if (order.status === 'NOTPAY') return 'unpaid'
  if (order.status === 'PAYERROR') return 'failed'
  // Closed unpaid: by the shopper, or when it expired.
  if (order.status === 'CLOSED') return 'closed'
  // Paid (SUCCESS, or REFUND: some or all of it sent back).
  if (order.refunds?.some((refund) => refund.status === 'PROCESSING')) return 'refunding'
  const state = order.fulfilment?.state
  // Cancelled before shipping is refunded in full; until the money is back it is on its way.
  if (state === 'CANCELLED') return fullyRefunded(order) ? 'refunded' : 'refunding'
  if (fullyRefunded(order)) return 'refunded'
  // A partial refund leaves the order going on: the goods' state says where it is.
  if (state === 'PENDING') return 'to-ship'
  if (state === 'SHIPPED') return 'to-receive'
  if (state === 'RECEIVED') return 'done'
  // Paid, where the goods are unknown (an order from before fulfilment, or no `fulfilment` given).
  return 'paid'
}

/** The shopper's one word for where an order is, with its colour family. */
export function orderStatus(order: OrderLabelInput): OrderLabel {
  const tone = toneOf(order)
  return { label: LABELS[tone], tone }
}

/** The shopper's one word for where an order is: 待付款, 待发货, 待收货, 已完成, 已取消, 退款中, 已退款, 支付失败 (已支付 while where the goods are is unknown). */
export function orderLabel(order: OrderLabelInput): string {
  return orderStatus(order).label
}
