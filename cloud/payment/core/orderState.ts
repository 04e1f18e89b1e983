/** An order's payment status. Transitions: NOTPAY → SUCCESS → REFUND, NOTPAY → CLOSED, NOTPAY → PAYERROR. */
export type OrderStatus = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR'

/** What the pay gateway reports for a trade (APIv2 trade_state). */
export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR'

const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  NOTPAY: ['SUCCESS', 'CLOSED', 'PAYERROR'],
  PAYERROR: ['SUCCESS', 'CLOSED'],
  SUCCESS: ['REFUND'],
  REFUND: [],
  CLOSED: [],
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

/** The order status that a gateway trade state means, or undefined when it changes nothing yet. */
export function statusForTradeState(state: TradeState): OrderStatus | undefined {
  switch (state) {
    case 'SUCCESS':
      return 'SUCCESS'
    case 'REFUND':
      return 'REFUND'
    case 'CLOSED':
    case 'REVOKED':
      return 'CLOSED'
    case 'PAYERROR':
      return 'PAYERROR'
    case 'NOTPAY':
    case 'USERPAYING':
      return undefined
  }
}

export const TRADE_STATE_DESCRIPTIONS: Record<OrderStatus, string> = {
  NOTPAY: '待支付',
  SUCCESS: '支付成功',
  REFUND: '已退款',
  CLOSED: '已关闭',
  PAYERROR: '支付失败',
}

export function isTradeState(value: unknown): value is TradeState {
  return typeof value === 'string' && ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR'].includes(value)
}
