import { AFTER_SALE_ID, afterSaleRefusal, parseAfterSaleReason } from '../core/afterSale'
import { receiptRefusal } from '../core/fulfilment'
import { toOrderView } from '../core/orderView'
import { paidAmount } from '../core/refund'
import type { OrderView } from '../contracts'
import { AppError } from '../errors'
import { BAD_REQUEST, parseObject } from '../parse'
import type { OrderRecord } from '../ports'
import type { OrderDeps } from './deps'
import { loadOwnOrder } from './queryOrder'

export const CHANGED = '订单状态已变化，请刷新后重试'
export const REQUEST_REUSED = '售后申请内容已变化，请重新提交'

/**
 * The shopper's actions on their own order besides paying and cancelling: `confirmReceipt` and
 * `afterSale`. Everything in the event is checked before the order is read, so bad input
 * writes nothing.
 */
export async function orderAction(deps: OrderDeps, openid: string, event: unknown): Promise<OrderView> {
  const input = parseObject(event)
  const action = input['action']
  if (action === 'confirmReceipt') return confirmReceipt(deps, await loadOwnOrder(deps, openid, input['outTradeNo']))
  if (action === 'afterSale') {
    const reason = parseAfterSaleReason(input['reason'])
    const id = input['requestId']
    if (typeof id !== 'string' || !AFTER_SALE_ID.test(id)) throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: 'requestId is not valid' })
    return fileAfterSale(deps, await loadOwnOrder(deps, openid, input['outTradeNo']), id, reason)
  }
  throw new AppError('INVALID_ARGUMENT', BAD_REQUEST, { detail: 'action must be confirmReceipt or afterSale' })
}

/** SHIPPED → RECEIVED by the shopper; a received order answers as it is. */
async function confirmReceipt(deps: OrderDeps, order: OrderRecord): Promise<OrderView> {
  const refusal = receiptRefusal(order.fulfilment?.state)
  if (refusal)
    throw new AppError('ORDER_STATE_CONFLICT', refusal, {
      detail: `confirm receipt of ${order.outTradeNo}: fulfilment is ${order.fulfilment?.state ?? 'none'}`,
    })
  if (order.fulfilment?.state === 'RECEIVED') return toOrderView(order, deps.clock.now())
  const changed = await deps.orders.confirmReceipt(order.outTradeNo, { at: new Date(deps.clock.now()), auto: false })
  const latest = (await deps.orders.get(order.outTradeNo)) ?? order
  // Lost only to the reconcile timer receiving it first (nothing else leaves SHIPPED): received all the same.
  if (!changed && latest.fulfilment?.state !== 'RECEIVED')
    throw new AppError('ORDER_STATE_CONFLICT', CHANGED, { detail: `confirm receipt of ${order.outTradeNo} lost a race` })
  if (changed) console.log(`order ${order.outTradeNo}: received, confirmed by the shopper`)
  return toOrderView(latest, deps.clock.now())
}

/**
 * Files an after-sale request (PENDING, for staff to decide) — once per `requestId`: a retry
 * finds it and answers the order as it is; the same id with another reason is refused.
 */
async function fileAfterSale(deps: OrderDeps, order: OrderRecord, id: string, reason: string): Promise<OrderView> {
  const existing = order.afterSales[id]
  if (existing) return sameRequest(deps, order, id, reason)
  const refusal = afterSaleRefusal(order)
  if (refusal) throw new AppError('ORDER_STATE_CONFLICT', refusal, { detail: `after-sale on ${order.outTradeNo} refused` })
  const entry = { id, reason, state: 'PENDING' as const, createdAt: new Date(deps.clock.now()) }
  const filed = await deps.orders.fileAfterSale(order.outTradeNo, entry, { paidFee: paidAmount(order) })
  const latest = (await deps.orders.get(order.outTradeNo)) ?? order
  if (!filed) {
    // A concurrent retry filed it first, or the order changed (another request, a refund in full).
    if (latest.afterSales[id]) return sameRequest(deps, latest, id, reason)
    throw new AppError('ORDER_STATE_CONFLICT', afterSaleRefusal(latest) ?? CHANGED, { detail: `after-sale on ${order.outTradeNo} lost a race` })
  }
  console.log(`order ${order.outTradeNo}: after-sale request ${id} filed`)
  return toOrderView(latest, deps.clock.now())
}

function sameRequest(deps: OrderDeps, order: OrderRecord, id: string, reason: string): OrderView {
  if (order.afterSales[id]?.reason !== reason)
    throw new AppError('INVALID_ARGUMENT', REQUEST_REUSED, { detail: `requestId ${id} was already used with another reason` })
  return toOrderView(order, deps.clock.now())
}
