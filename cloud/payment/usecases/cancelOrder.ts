import { cancelPaidRefusal } from '../core/fulfilment'
import { isClosedUnpaid, isPaid } from '../core/orderState'
import { toOrderView } from '../core/orderView'
import { paidFactsOf } from '../core/payment'
import type { OrderView } from '../contracts'
import { AppError, explain, isUncertain } from '../errors'
import { parseObject } from '../parse'
import type { OrderRecord, TradeQueryResult } from '../ports'
import { applyPaid, applyUnpaidEnd } from './applyPayment'
import { finishCancelRefund } from './cancelRefund'
import type { PayDeps } from './deps'
import { loadOwnOrder } from './queryOrder'
import { requireSameMode } from './sendRefund'

const SOURCE = 'cancelOrder'
export const ALREADY_PAID = '订单已支付，未关闭；如仍要取消，请刷新订单后再取消，款项将原路退回'
export const TOO_EARLY = '订单刚创建，请在下单 5 分钟后再取消'
export const NOT_CLOSED = '暂时无法取消订单，请稍后重试'
export const CHANGED = '订单状态已变化，请刷新后重试'
export const REFUND_REFUSED = '订单已取消，但退款暂未成功，商家会尽快为你处理'

/**
 * The shopper cancels their own order. Unpaid: closed at the gateway first, so that it can no
 * longer be paid, then here; whatever the gateway reports paid is applied and that cancel
 * refused. Paid and not shipped: fulfilment CANCELLED, then everything paid goes back
 * (`finishCancelRefund`). Cancelling again answers the order as it is — after finishing a
 * refund that a crash or a lost answer left undone.
 */
export async function cancelOrder(deps: PayDeps, openid: string, event: unknown): Promise<OrderView> {
  const order = await loadOwnOrder(deps, openid, parseObject(event)['outTradeNo'])
  if (isClosedUnpaid(order.status)) return toOrderView(order, deps.clock.now())
  if (isPaid(order.status)) return cancelPaid(deps, order)

  const trade = await deps.gateway.queryOrder(order.outTradeNo)
  if (await applyIfPaid(deps, order, trade)) throw alreadyPaid(order, 'the gateway reports it paid')
  const closing = trade.found ? await deps.gateway.closeOrder(order.outTradeNo) : ({ closed: true } as const)
  if (!closing.closed) {
    if (closing.reason === 'too_early') throw new AppError('ORDER_STATE_CONFLICT', TOO_EARLY, { detail: `close refused as too early: ${closing.detail}` })
    if (closing.reason === 'paid') {
      // Paid between the query and the close: ask again and apply the payment instead.
      await applyIfPaid(deps, order, await deps.gateway.queryOrder(order.outTradeNo))
      throw alreadyPaid(order, `close refused as paid: ${closing.detail}`)
    }
    throw new AppError('PAY_GATEWAY_ERROR', NOT_CLOSED, { detail: `close refused (${closing.reason}): ${closing.detail}` })
  }
  const closed = await applyUnpaidEnd(deps, order, 'CLOSED', {
    kind: 'close',
    source: SOURCE,
    raw: { requestedBy: 'shopper', gateway: trade.found ? 'closed' : 'never prepaid' },
  })
  return toOrderView(closed.order ?? order, deps.clock.now())
}

/**
 * A paid order: one conditional update PENDING → CANCELLED decides against a racing shipment,
 * then the refund. The refund's channel is checked before anything is written.
 */
async function cancelPaid(deps: PayDeps, order: OrderRecord): Promise<OrderView> {
  let current = order
  if (current.fulfilment?.state !== 'CANCELLED') {
    const refusal = cancelPaidRefusal(current)
    if (refusal) throw new AppError('ORDER_STATE_CONFLICT', refusal, { detail: refusedDetail(current) })
    requireSameMode(deps, current)
    deps.gateway.assertCanRefund()
    const cancelled = await deps.orders.cancelFulfilment(current.outTradeNo, new Date(deps.clock.now()))
    current = (await deps.orders.get(current.outTradeNo)) ?? current
    if (!cancelled && current.fulfilment?.state !== 'CANCELLED') {
      // Shipped, or refunded by staff, in between: that change won.
      throw new AppError('ORDER_STATE_CONFLICT', cancelPaidRefusal(current) ?? CHANGED, { detail: `lost a race: ${refusedDetail(current)}` })
    }
    if (cancelled) console.log(`order ${current.outTradeNo}: cancelled by the shopper before shipping; refunding`)
  }
  try {
    current = await finishCancelRefund(deps, current, SOURCE)
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'PAY_GATEWAY_ERROR') throw error
    // Refused outright: the refund is FAILED and staff must act; the order stays cancelled.
    if (!isUncertain(error)) throw new AppError('PAY_GATEWAY_ERROR', REFUND_REFUSED, { detail: explain(error), cause: error })
    // Sent, answer unknown: the refund stays PROCESSING and reconcile asks about it (and sends it
    // again if it never arrived). The order is cancelled either way; the shopper sees that.
    console.warn(`cancelOrder ${current.outTradeNo}: refund outcome unknown, left for reconcile: ${explain(error)}`)
    current = (await deps.orders.get(current.outTradeNo)) ?? current
  }
  return toOrderView(current, deps.clock.now())
}

function refusedDetail(order: OrderRecord): string {
  return `cancel ${order.outTradeNo} refused: order is ${order.status}, fulfilment ${order.fulfilment?.state ?? 'none'}`
}

/** Applies a paid answer from the gateway; true when the gateway says the order is paid. */
async function applyIfPaid(deps: PayDeps, order: OrderRecord, trade: TradeQueryResult): Promise<boolean> {
  const paid = paidFactsOf(order.outTradeNo, trade)
  if (!paid) return false
  await applyPaid(deps, paid, { kind: 'payment_query', source: SOURCE, raw: { ...trade } })
  return true
}

function alreadyPaid(order: OrderRecord, why: string): AppError {
  return new AppError('ORDER_STATE_CONFLICT', ALREADY_PAID, { detail: `cancel ${order.outTradeNo} refused: ${why}` })
}
