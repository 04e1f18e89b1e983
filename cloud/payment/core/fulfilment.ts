import { AUTO_RECEIVE_DAYS, FULFILMENT_STATES, type FulfilmentState } from '../contracts'
import type { Fen } from './money'
import type { OrderStatus } from './orderState'
import { refundable } from './refund'

export { AUTO_RECEIVE_DAYS, FULFILMENT_STATES, type FulfilmentState }

/** A paid order's way to the shopper, as stored on the order (`fulfilment`). */
export type Fulfilment = {
  state: FulfilmentState
  carrier?: string
  trackingNo?: string
  shippedAt?: Date
  receivedAt?: Date
  /** Received by the reconcile timer, not confirmed by the shopper. */
  autoReceived?: boolean
  cancelledAt?: Date
}

/**
 * Every change of a paid order's fulfilment — and the only ones. Like the order status
 * (`orderState.ts`), each is one conditional update whose allowed source states come from this
 * table (`fulfilmentSourcesOf`), so a ship racing a cancel can never both win.
 *
 *   PENDING → SHIPPED    staff ship it (carrier and tracking number)
 *   PENDING → CANCELLED  the shopper cancels before shipping, and everything paid goes back
 *   SHIPPED → RECEIVED   the shopper confirms receipt, or the reconcile timer does it
 *                        AUTO_RECEIVE_DAYS after shipping
 *
 *   (paid) ──► PENDING ── shipped ──► SHIPPED ── received ──► RECEIVED
 *                 │
 *                 └───── cancelled, refunded ──► CANCELLED
 *
 * PENDING is written in the same update that marks the order paid; an unpaid order has none.
 */
export const FULFILMENT_TRANSITIONS: Readonly<Record<FulfilmentState, readonly FulfilmentState[]>> = {
  PENDING: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['RECEIVED'],
  RECEIVED: [],
  CANCELLED: [],
}

/** Where every paid order starts. */
export const INITIAL_FULFILMENT: FulfilmentState = 'PENDING'

export function canFulfil(from: FulfilmentState, to: FulfilmentState): boolean {
  return FULFILMENT_TRANSITIONS[from].includes(to)
}

/** The fulfilment states an order may be in for a change to `to`: the condition of that update. */
export function fulfilmentSourcesOf(to: FulfilmentState): readonly FulfilmentState[] {
  return FULFILMENT_STATES.filter((from) => canFulfil(from, to))
}

/**
 * The order statuses each change is allowed in, the other half of its condition. Shipping and
 * cancelling need the order SUCCESS: no goods for an order refunded in full, no second refund
 * in full. Receiving needs it paid, refunded since (an after-sale refund) included.
 */
const ORDER_STATUSES_FOR: Readonly<Record<FulfilmentState, readonly OrderStatus[]>> = {
  PENDING: [],
  SHIPPED: ['SUCCESS'],
  CANCELLED: ['SUCCESS'],
  RECEIVED: ['SUCCESS', 'REFUND'],
}

export function orderStatusesFor(to: FulfilmentState): readonly OrderStatus[] {
  return ORDER_STATUSES_FOR[to]
}

export const AUTO_RECEIVE_MS = AUTO_RECEIVE_DAYS * 24 * 60 * 60 * 1000

/** An order shipped at or before this instant counts as received at `nowMs`. */
export function autoReceiveCutoff(nowMs: number): Date {
  return new Date(nowMs - AUTO_RECEIVE_MS)
}

export function isFulfilmentState(value: unknown): value is FulfilmentState {
  return (FULFILMENT_STATES as readonly unknown[]).includes(value)
}

type CancellableOrder = {
  status: OrderStatus
  totalFee: Fen
  refundReservedFee: Fen
  latePayment?: { totalFee: Fen }
  fulfilment?: Pick<Fulfilment, 'state'>
}

export const SHIPPED_NO_CANCEL = '订单已发货，不能取消；如有问题请申请售后'
export const REFUNDING = '订单的退款正在处理中，请稍后查看'
export const REFUNDED = '订单已全额退款，无需取消'
export const PAID_NO_FULFILMENT = '订单已支付，暂时无法在线取消，请联系商家处理'

/**
 * Why a paid order cannot be cancelled for a refund in full now, in the shopper's words; null
 * when it can: SUCCESS, not shipped (PENDING), and something left to refund.
 */
export function cancelPaidRefusal(order: CancellableOrder): string | null {
  const state = order.fulfilment?.state
  if (state === 'SHIPPED' || state === 'RECEIVED') return SHIPPED_NO_CANCEL
  if (order.status === 'REFUND') return REFUNDED
  // Orders paid before fulfilment existed have none: staff handle those by hand.
  if (state !== 'PENDING' || order.status !== 'SUCCESS') return PAID_NO_FULFILMENT
  return refundable(order) > 0 ? null : REFUNDING
}

export const NOT_YET_SHIPPED = '订单还未发货，暂时不能确认收货'
export const CANCELLED_NO_RECEIPT = '订单已取消，无需确认收货'

const RECEIPT_REFUSALS: Readonly<Record<FulfilmentState, string | null>> = {
  PENDING: NOT_YET_SHIPPED,
  SHIPPED: null,
  // Confirming again answers the order as it is.
  RECEIVED: null,
  CANCELLED: CANCELLED_NO_RECEIPT,
}

/** Why the shopper cannot confirm receipt, in their words; null when shipped (or already received). */
export function receiptRefusal(state: FulfilmentState | undefined): string | null {
  return state === undefined ? NOT_YET_SHIPPED : RECEIPT_REFUSALS[state]
}
