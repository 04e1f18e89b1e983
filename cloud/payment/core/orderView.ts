import type { OrderView } from '../contracts'
import type { OrderRecord } from '../ports'
import { parseBeijingTimestamp } from './beijingTime'
import { isPayable, TRADE_STATE_DESCRIPTIONS } from './orderState'

/** What a shopper sees of their order. `payment` only while it can still be paid. */
export function toOrderView(order: OrderRecord, nowMs: number): OrderView {
  // A failed attempt (PAYERROR) can be paid again with the same prepay, until it expires.
  const payable = isPayable(order.status) && order.expireAt.getTime() > nowMs
  const paidMs = order.timeEnd ? parseBeijingTimestamp(order.timeEnd) : undefined
  return {
    outTradeNo: order.outTradeNo,
    items: order.items.map(({ goodsId, name, priceFen, quantity, pic }) => ({ goodsId, name, priceFen, quantity, pic })),
    totalFee: order.totalFee,
    status: order.status,
    tradeStateDesc: TRADE_STATE_DESCRIPTIONS[order.status],
    transactionId: order.transactionId ?? null,
    paidAt: paidMs === undefined ? null : new Date(paidMs).toISOString(),
    createdAt: order.createdAt.toISOString(),
    expireAt: order.expireAt.toISOString(),
    payment: payable ? (order.payment ?? null) : null,
    refundedFee: order.refundedFee,
    refunds: Object.values(order.refunds)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((r) => ({
        outRefundNo: r.outRefundNo,
        refundFee: r.refundFee,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
        settledAt: r.settledAt ? r.settledAt.toISOString() : null,
      })),
    address: order.address ? { ...order.address } : null,
    note: order.note ?? null,
  }
}

/** The `body` WeChat shows on the bill: short, one line. */
export function orderBody(lines: Array<{ name: string; quantity: number }>): string {
  const first = lines[0]?.name ?? '商品'
  const count = lines.reduce((sum, line) => sum + line.quantity, 0)
  const name = first.length > 24 ? `${first.slice(0, 24)}…` : first
  return count > 1 ? `${name} 等${count}件` : name
}
