import { AFTER_SALE_REASON_MAX, AFTER_SALE_STATES, type AfterSaleState } from '../contracts'
import { AppError } from '../errors'
import type { Fulfilment, FulfilmentState } from './fulfilment'
import type { Fen } from './money'
import type { OrderStatus } from './orderState'
import { refundable } from './refund'

export { AFTER_SALE_REASON_MAX, AFTER_SALE_STATES, type AfterSaleState }

/** One after-sale request on the order (`afterSales[id]`), `id` being the client's requestId. */
export type AfterSaleEntry = {
  id: string
  reason: string
  state: AfterSaleState
  createdAt: Date
  decidedAt?: Date
  reply?: string
}

/** Made by the client once per request: a retry with it files nothing new. */
export const AFTER_SALE_ID = /^[A-Za-z0-9_-]{8,64}$/

// C0 and C1 control characters (line breaks among them) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** The shopper's reason: trimmed, 1–200 characters (一 counts one), one line. Refusals name the field. */
export function parseAfterSaleReason(raw: unknown): string {
  if (typeof raw !== 'string' && raw !== undefined && raw !== null)
    throw new AppError('INVALID_ARGUMENT', '售后原因格式不正确', { detail: 'reason must be a string' })
  const reason = typeof raw === 'string' ? raw.trim() : ''
  if (reason === '') throw new AppError('INVALID_ARGUMENT', '请填写售后原因', { detail: 'reason is required' })
  if (CONTROL.test(reason)) throw new AppError('INVALID_ARGUMENT', '售后原因不能换行或包含特殊字符', { detail: 'reason has a control character or line break' })
  if ([...reason].length > AFTER_SALE_REASON_MAX)
    throw new AppError('INVALID_ARGUMENT', `售后原因最多 ${AFTER_SALE_REASON_MAX} 个字`, {
      detail: `reason is longer than ${AFTER_SALE_REASON_MAX} characters`,
    })
  return reason
}

type AfterSaleOrder = {
  status: OrderStatus
  totalFee: Fen
  refundReservedFee: Fen
  latePayment?: { totalFee: Fen }
  fulfilment?: Pick<Fulfilment, 'state'>
  afterSales: Record<string, Pick<AfterSaleEntry, 'state'>>
}

/** After-sale is for goods on their way or received. */
export const AFTER_SALE_FULFILMENT: readonly FulfilmentState[] = ['SHIPPED', 'RECEIVED']

export const NOT_SHIPPED = '订单发货后才能申请售后；未发货的订单可以直接取消'
export const ALREADY_PENDING = '已有售后申请正在处理，请耐心等待商家回复'
export const FULLY_REFUNDED = '订单已全额退款，无需申请售后'

/** True while a request waits for staff: only one at a time. */
export function hasPendingAfterSale(order: Pick<AfterSaleOrder, 'afterSales'>): boolean {
  return Object.values(order.afterSales).some((entry) => entry.state === 'PENDING')
}

/**
 * Why the shopper cannot ask for after-sale now, in their words; null when they can: shipped or
 * received, something left to refund (not refunded in full, nor reserved for it), none pending.
 */
export function afterSaleRefusal(order: AfterSaleOrder): string | null {
  const state = order.fulfilment?.state
  if (state === undefined || !AFTER_SALE_FULFILMENT.includes(state)) return NOT_SHIPPED
  if (order.status !== 'SUCCESS' || refundable(order) === 0) return FULLY_REFUNDED
  return hasPendingAfterSale(order) ? ALREADY_PENDING : null
}
