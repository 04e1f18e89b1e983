import { ORDER_STATUSES, type OrderStatus } from '../contracts'

export { ORDER_STATUSES, type OrderStatus }

/** What the pay gateway reports for a trade (APIv2 trade_state). */
export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR'
export const TRADE_STATES: readonly TradeState[] = ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']

/**
 * Every change of an order's status — and the only ones. Each is one conditional update whose
 * allowed source statuses come from this table (`sourcesOf`), so a duplicate or a racing writer
 * changes nothing and learns it lost.
 *
 *   NOTPAY   → SUCCESS    paid (a notification, or the gateway's answer to a query)
 *   NOTPAY   → CLOSED     closed at the gateway (expired unpaid, or the gateway says CLOSED/REVOKED)
 *   NOTPAY   → PAYERROR   the payment attempt failed
 *   PAYERROR → SUCCESS    paid with the same prepay after a failed attempt
 *   PAYERROR → CLOSED     closed after a failed attempt
 *   SUCCESS  → REFUND     everything paid has gone back
 *
 *   NOTPAY ──────────── paid ───────────► SUCCESS ── all refunded ──► REFUND
 *     │ │                                    ▲
 *     │ └── failed ──► PAYERROR ─── paid ────┘
 *     │                   │
 *     │ closed            │ closed
 *     ▼                   │
 *   CLOSED ◄──────────────┘
 *
 * A payment that arrives for a CLOSED order does not reopen it: it is kept on the order
 * (`latePayment`) to be refunded.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  NOTPAY: ['SUCCESS', 'CLOSED', 'PAYERROR'],
  PAYERROR: ['SUCCESS', 'CLOSED'],
  SUCCESS: ['REFUND'],
  REFUND: [],
  CLOSED: [],
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

/** The statuses an order may be in for a change to `to`: the condition of that update. */
export function sourcesOf(to: OrderStatus): readonly OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canTransition(from, to))
}

/** Every order starts here. */
export const INITIAL_STATUS: OrderStatus = 'NOTPAY'

/** Unpaid statuses in which a payment may still arrive and count. */
export function isPayable(status: OrderStatus): boolean {
  return canTransition(status, 'SUCCESS')
}

/** Paid, or moved on from paid (refunded): the money arrived for this order. */
export function isPaid(status: OrderStatus): boolean {
  return status === 'SUCCESS' || sourcesOf(status).includes('SUCCESS')
}

/** Final without ever being paid (CLOSED): a payment that still arrives is kept for a refund. */
export function isClosedUnpaid(status: OrderStatus): boolean {
  return TRANSITIONS[status].length === 0 && !isPaid(status)
}

const STATUS_OF_TRADE: Readonly<Record<TradeState, OrderStatus | undefined>> = {
  SUCCESS: 'SUCCESS',
  REFUND: 'REFUND',
  CLOSED: 'CLOSED',
  REVOKED: 'CLOSED',
  PAYERROR: 'PAYERROR',
  // Not yet decided: the shopper has not paid, or is paying right now.
  NOTPAY: undefined,
  USERPAYING: undefined,
}

/** The order status that a gateway trade state means, or undefined when it changes nothing yet. */
export function statusForTradeState(state: TradeState): OrderStatus | undefined {
  return STATUS_OF_TRADE[state]
}

export const TRADE_STATE_DESCRIPTIONS: Record<OrderStatus, string> = {
  NOTPAY: '待支付',
  SUCCESS: '支付成功',
  REFUND: '已退款',
  CLOSED: '已关闭',
  PAYERROR: '支付失败',
}

export function isTradeState(value: unknown): value is TradeState {
  return (TRADE_STATES as readonly unknown[]).includes(value)
}

export function isOrderStatus(value: unknown): value is OrderStatus {
  return (ORDER_STATUSES as readonly unknown[]).includes(value)
}
