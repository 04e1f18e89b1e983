import type { AfterSaleView, FulfilmentView, OrderActions, OrderView } from '../contracts'
import type { OrderRecord } from '../ports'
import { carrierName } from '../staffContracts'
import { afterSaleRefusal } from './afterSale'
import { parseBeijingTimestamp } from './beijingTime'
import { cancelPaidRefusal } from './fulfilment'
import { isPayable, TRADE_STATE_DESCRIPTIONS } from './orderState'

/** What a shopper sees of their order. `payment` only while it can still be paid. */
export function toOrderView(order: OrderRecord, nowMs: number): OrderView {
  // A failed attempt (PAYERROR) can be paid again with the same prepay, until it expires.
  const payable = isPayable(order.status) && order.expireAt.getTime() > nowMs
  const paidMs = order.timeEnd ? parseBeijingTimestamp(order.timeEnd) : undefined
  const payment = payable ? (order.payment ?? null) : null
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
    payment,
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
    fulfilment: fulfilmentView(order),
    afterSales: Object.values(order.afterSales)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .map((a): AfterSaleView => ({
        id: a.id,
        reason: a.reason,
        state: a.state,
        createdAt: a.createdAt.toISOString(),
        decidedAt: a.decidedAt ? a.decidedAt.toISOString() : null,
        reply: a.reply ?? null,
      })),
    actions: orderActions(order, payment !== null),
  }
}

function fulfilmentView({ fulfilment: f }: OrderRecord): FulfilmentView | null {
  if (!f) return null
  return {
    state: f.state,
    // Stored as staff picked it (`SF`, `LOCAL`): the shopper reads 顺丰速运, 同城配送.
    carrier: f.carrier ? carrierName(f.carrier) : null,
    trackingNo: f.trackingNo ?? null,
    shippedAt: f.shippedAt ? f.shippedAt.toISOString() : null,
    receivedAt: f.receivedAt ? f.receivedAt.toISOString() : null,
    autoReceived: f.autoReceived === true,
  }
}

/**
 * What the shopper may do now, from the same rules the functions enforce: pay while a payment
 * can be made, cancel while unpaid, cancel for a refund in full before shipping, ask for
 * after-sale once shipped, confirm receipt while shipped.
 */
function orderActions(order: OrderRecord, payable: boolean): OrderActions {
  return {
    pay: payable,
    cancel: isPayable(order.status),
    refund: cancelPaidRefusal(order) === null,
    afterSale: afterSaleRefusal(order) === null,
    confirmReceipt: order.fulfilment?.state === 'SHIPPED',
  }
}

/** The `body` WeChat shows on the bill: short, one line. */
export function orderBody(lines: Array<{ name: string; quantity: number }>): string {
  const first = lines[0]?.name ?? '商品'
  const count = lines.reduce((sum, line) => sum + line.quantity, 0)
  const name = first.length > 24 ? `${first.slice(0, 24)}…` : first
  return count > 1 ? `${name} 等${count}件` : name
}
