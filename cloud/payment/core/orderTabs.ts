import { ORDER_TABS, type OrderTab } from '../contracts'
import { AppError } from '../errors'
import type { AfterSaleEntry } from './afterSale'
import type { Fulfilment, FulfilmentState } from './fulfilment'
import { isPayable, ORDER_STATUSES, type OrderStatus } from './orderState'

export { ORDER_TABS, type OrderTab }

/**
 * Which of a shopper's orders a list holds, as plain conditions a database query can say:
 * every field present must hold. The repository turns it into one `where` (the same keyset
 * paging, newest first, for every tab).
 */
export type OrderFilter = {
  statuses?: readonly OrderStatus[]
  /** Only orders that expire after this instant. */
  expiresAfter?: Date
  fulfilment?: FulfilmentState
  /** Only orders in after-sale (`isInAfterSale`); stored as the `inAfterSale` mark. */
  inAfterSale?: true
}

const PAYABLE: readonly OrderStatus[] = ORDER_STATUSES.filter(isPayable)

/**
 * 全部 everything; 待付款 unpaid and still payable; 待发货 paid, not shipped; 待收货 shipped;
 * 退款售后 anything with a refund, a cancellation after payment or an after-sale request.
 */
export function tabFilter(tab: OrderTab, nowMs: number): OrderFilter {
  switch (tab) {
    case 'UNPAID':
      return { statuses: PAYABLE, expiresAfter: new Date(nowMs) }
    case 'TO_SHIP':
      return { statuses: ['SUCCESS'], fulfilment: 'PENDING' }
    case 'TO_RECEIVE':
      return { fulfilment: 'SHIPPED' }
    case 'AFTER_SALE':
      return { inAfterSale: true }
    default:
      return {}
  }
}

/** `tab` of a list request: absent is ALL, anything not in ORDER_TABS is refused. */
export function parseOrderTab(raw: unknown): OrderTab {
  if (raw === undefined || raw === null) return 'ALL'
  if (!(ORDER_TABS as readonly unknown[]).includes(raw))
    throw new AppError('INVALID_ARGUMENT', '订单分类有误，请刷新后重试', { detail: `tab must be one of ${ORDER_TABS.join(', ')}` })
  return raw as OrderTab
}

type TabOrder = {
  status: OrderStatus
  expireAt: Date
  refunds: Record<string, unknown>
  fulfilment?: Pick<Fulfilment, 'state'>
  afterSales: Record<string, Pick<AfterSaleEntry, 'state'>>
}

/**
 * In 退款售后: refunded (REFUND), any refund asked for, cancelled after payment, or any after-sale
 * request. Once in, always in: each of these is written in the update that makes it true, and
 * none is ever taken back, so a stored mark can stand for it.
 */
export function isInAfterSale(order: TabOrder): boolean {
  return (
    order.status === 'REFUND' || Object.keys(order.refunds).length > 0 || order.fulfilment?.state === 'CANCELLED' || Object.keys(order.afterSales).length > 0
  )
}

/** Whether an order is in a list: the meaning of each filter, for tests and the in-memory repository. */
export function matchesFilter(order: TabOrder, filter: OrderFilter): boolean {
  if (filter.statuses && !filter.statuses.includes(order.status)) return false
  if (filter.expiresAfter && order.expireAt.getTime() <= filter.expiresAfter.getTime()) return false
  if (filter.fulfilment && order.fulfilment?.state !== filter.fulfilment) return false
  return !filter.inAfterSale || isInAfterSale(order)
}
