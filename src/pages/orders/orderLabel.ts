import type { OrderView } from '../../../cloud/payment/contracts'
import { orderStatus, type OrderLabel, type OrderLabelInput } from '../../components/orderStatus'

// What My orders and the order page read off an order besides the server's `actions`. The label
// itself is the shop's one (components/orderStatus.ts); the one thing added here is the clock.

const unpaid = (order: Pick<OrderView, 'status'>): boolean => order.status === 'NOTPAY' || order.status === 'PAYERROR'

/** Unpaid and past paying: the server took `payment` away (it expired), whatever the status says yet. */
export const isExpiredUnpaid = (order: Pick<OrderView, 'status' | 'payment'>): boolean => unpaid(order) && order.payment === null

/**
 * What the badge reads from: an unpaid order that can no longer be paid is closed for the shopper
 * (已取消, as the reconcile timer will soon record it) rather than 待付款 / 支付失败 with nothing to pay.
 */
export const badgeInput = (order: OrderView): OrderLabelInput => (isExpiredUnpaid(order) ? { status: 'CLOSED' } : order)

export const shopperStatus = (order: OrderView): OrderLabel => orderStatus(badgeInput(order))

/** Money was taken for it (paid, refunded since or not). */
export const paidFor = (order: Pick<OrderView, 'status'>): boolean => order.status === 'SUCCESS' || order.status === 'REFUND'

/** The word before the amount: 实付 once paid, 应付 while it can be paid, 合计 on a closed order (nothing is due). */
export const amountLabel = (order: Pick<OrderView, 'status' | 'payment'>): string => (paidFor(order) ? '实付' : order.payment ? '应付' : '合计')

/** How many kinds of goods the order holds (not how many pieces): "等 N 种商品". */
export const kindsOf = (order: Pick<OrderView, 'items'>): number => new Set(order.items.map((item) => item.goodsId)).size
