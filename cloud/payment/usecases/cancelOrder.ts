import { isClosedUnpaid, isPayable } from '../core/orderState'
import { toOrderView } from '../core/orderView'
import { paidFactsOf } from '../core/payment'
import type { OrderView } from '../contracts'
import { AppError } from '../errors'
import { parseObject } from '../parse'
import type { OrderRecord, TradeQueryResult } from '../ports'
import { applyPaid, applyUnpaidEnd } from './applyPayment'
import type { PayDeps } from './deps'
import { loadOwnOrder } from './queryOrder'

const SOURCE = 'cancelOrder'
export const ALREADY_PAID = '订单已支付，不能取消；如需退款请申请退款'
export const TOO_EARLY = '订单刚创建，请在下单 5 分钟后再取消'
export const NOT_CLOSED = '暂时无法取消订单，请稍后重试'

/**
 * The shopper cancels their own unpaid order: closed at the gateway first, so that it can no
 * longer be paid, then here. A paid order is never closed — whatever the gateway reports paid is
 * applied and the cancel refused. Cancelling a closed order again answers it as it is.
 */
export async function cancelOrder(deps: PayDeps, openid: string, event: unknown): Promise<OrderView> {
  const order = await loadOwnOrder(deps, openid, parseObject(event)['outTradeNo'])
  if (isClosedUnpaid(order.status)) return toOrderView(order, deps.clock.now())
  if (!isPayable(order.status)) throw alreadyPaid(order, `order is ${order.status}`)

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
